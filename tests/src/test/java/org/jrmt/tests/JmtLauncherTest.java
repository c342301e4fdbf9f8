package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/jmt} as users run it: on a local virtual tape and through {@code RSH} to rmt-dump. */
class JmtLauncherTest {
  @TempDir Path tmp;

  @Test
  void jmtOnALocalTapeAndThroughRshToRmtDump() throws Exception {
    Path jmt = ProjectRoot.jrmt().resolveSibling("jmt");
    Path tape = tmp.resolve("t.tap");
    try (SimhTape t =
        SimhTape.open(
            tape, OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE))) {
      t.write(ByteBuffer.wrap(new byte[512]));
      t.writeFilemarks(1);
      t.write(ByteBuffer.wrap(new byte[512]));
    }
    Proc.Result status = Proc.of(jmt, "status").env("TAPE", tape).run().ok();
    assertThat(status.stdout()).contains("file number = 0").contains("BOT");
    Proc.of(jmt, "-f", tape, "fsf", "1").run().ok();
    assertThat(Proc.of(jmt, "-f", tape, "bsf", "1").run().exit()).isEqualTo(2);
    assertThat(Proc.of(jmt, "-f", tape, "nonsense").run().exit()).isEqualTo(1);

    Path rmtDump =
        Peers.find("rmt-dump")
            .orElseGet(() -> Peers.unavailable("rmt-dump not installed: apt-get install dump"));
    Path rsh = tmp.resolve("rsh.sh");
    Files.writeString(rsh, "#!/bin/sh\nexec '" + rmtDump + "'\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(rsh, PosixFilePermissions.fromString("rwx------"));
    Path file = tmp.resolve("plain");
    Files.write(file, new byte[100]);
    Proc.Result notATape = Proc.of(jmt, "-f", "localhost:" + file, "rewind").env("RSH", rsh).run();
    assertThat(notATape.exit()).isEqualTo(2);
    assertThat(notATape.stderr().strip())
        .isEqualTo("jmt: localhost:" + file + ": Inappropriate ioctl for device");
  }
}
