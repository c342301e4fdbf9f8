package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDumpTest {
  @TempDir Path dir;

  @Test
  void incrementalSelectsChangedInodesAndTheDirectoriesLeadingToThem() throws Exception {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/f"), "f");
    Files.writeString(dir.resolve("g"), "g");
    TreeScanner.Scan scan = TreeScanner.scan(dir);
    int newest =
        Stream.concat(scan.directories().stream(), scan.others().stream())
            .mapToInt(n -> Math.max(n.meta().ctime(), n.meta().mtime()))
            .max()
            .orElseThrow();
    InodeMap nothingChanged = TreeDump.selected(scan, newest + 1L);
    assertThat(nothingChanged.size()).as("only the root").isEqualTo(1);
    assertThat(nothingChanged.contains(2)).isTrue();
    InodeMap all = TreeDump.selected(scan, Long.MIN_VALUE);
    assertThat(all.size()).isEqualTo(scan.directories().size() + scan.others().size());
  }

  @Test
  void anyNumberOfWorkersWritesTheSameBytes() throws Exception {
    Random random = new Random(5);
    for (int i = 0; i < 40; i++) {
      byte[] data = new byte[random.nextInt(1_500_000)];
      random.nextBytes(data);
      if (i % 7 == 0) {
        // A run of zeros: a hole in the dump.
        Arrays.fill(data, data.length / 4, data.length / 2, (byte) 0);
      }
      Files.write(dir.resolve("f" + i), data);
    }
    TreeScanner.Scan scan = TreeScanner.scan(dir);
    byte[] one = dump(scan, 1);
    assertThat(dump(scan, 5)).isEqualTo(one);
    assertThat(dump(scan, 16)).isEqualTo(one);
  }

  private static byte[] dump(TreeScanner.Scan scan, int workers) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DumpWriter.BlockSink sink =
        new DumpWriter.BlockSink() {
          @Override
          public void write(ByteBuffer block) {
            byte[] b = new byte[block.remaining()];
            block.get(b);
            out.write(b, 0, b.length);
          }

          @Override
          public long acknowledged() {
            return Long.MAX_VALUE;
          }

          @Override
          public void nextVolume(int number) {
            throw new AssertionError("one volume");
          }
        };
    DumpWriter writer =
        new DumpWriter(sink, 7, new DumpWriter.Label(1_700_000_000, 0, 0, "l", "/", "-", "h"));
    TreeDump.write(scan, writer, Long.MIN_VALUE, workers, w -> {});
    return out.toByteArray();
  }
}
