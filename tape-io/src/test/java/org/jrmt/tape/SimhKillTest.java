package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record whose write returned under the default sync policy survives a SIGKILL of the writing
 * process: the data is in the kernel's page cache, which the process's death leaves be. The next
 * writer's open closes the crashed file with its filemark, so the next backup is a file of its own.
 */
class SimhKillTest {
  @TempDir Path dir;

  @Test
  void acknowledgedRecordsSurviveSigkill() throws Exception {
    Path file = dir.resolve("killed.tap");
    int total = 2000;
    int killAfter = 25;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                SimhWriterMain.class.getName(),
                file.toString(),
                Integer.toString(total))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    int acked = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while (acked < killAfter && (line = out.readLine()) != null) {
        assertThat(line).isEqualTo("ack " + acked);
        acked++;
      }
      // SIGKILL on Unix, while the child is still writing.
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).isEqualTo(killAfter);

    try (SimhTape tape = SimhTape.open(file, OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(4096);
      for (int i = 0; i < acked; i++) {
        buf.clear();
        int n = tape.read(buf);
        assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(SimhImage.bytes(1000 + i, i));
      }
      // Records written after the last acknowledgement may or may not be there, each whole.
      for (int i = acked; !tape.status().endOfData(); i++) {
        buf.clear();
        int n = tape.read(buf);
        assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(SimhImage.bytes(1000 + i, i));
      }
      assertThat(tape.position().fileNumber()).as("no closing filemark was written").isZero();
    }

    // The next writer finds the crashed file closed with a filemark: its backup is file 1.
    try (SimhTape tape = SimhTape.open(file, OpenMode.readWrite())) {
      tape.seekEndOfData();
      assertThat(tape.position()).isEqualTo(new TapePosition(1, 0));
      tape.write(ByteBuffer.wrap(new byte[] {42}));
    }
    try (SimhTape tape = SimhTape.open(file, OpenMode.readOnly())) {
      tape.spaceFiles(1);
      ByteBuffer buf = ByteBuffer.allocate(16);
      assertThat(tape.read(buf)).isEqualTo(1);
      assertThat(buf.get(0)).isEqualTo((byte) 42);
    }
  }
}
