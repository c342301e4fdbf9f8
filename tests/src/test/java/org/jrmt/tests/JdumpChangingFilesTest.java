package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jrmt.dump.DumpStream;
import org.jrmt.dump.TreeDump;
import org.jrmt.dump.TreeScanner;
import org.jrmt.dump.VolumeWriter;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that change between jdump's scan and its reading of them (the seam: the test acts between
 * {@link TreeScanner#scan} and {@link TreeDump#write}) never break the stream: each is dumped at
 * its scanned size, with one warning naming it, and the stock restore reads the whole set.
 */
class JdumpChangingFilesTest {
  @TempDir Path tmp;

  @Test
  void grownShrunkVanishedAndReplacedFilesKeepTheStreamValid() throws Exception {
    Path restore = Peers.require("restore");
    Random random = new Random(99);
    Path src = SampleTree.write(tmp.resolve("src"), 300_000);
    byte[] grows = SampleTree.bytes(random, 100_000);
    byte[] shrinks = SampleTree.bytes(random, 700_000); // two 512-slot groups
    byte[] vanishes = SampleTree.bytes(random, 50_000);
    byte[] replaced = SampleTree.bytes(random, 3_000);
    Files.write(src.resolve("grows"), grows);
    Files.write(src.resolve("shrinks"), shrinks);
    Files.write(src.resolve("vanishes"), vanishes);
    Files.write(src.resolve("replaced"), replaced);
    TreeScanner.Scan scan = TreeScanner.scan(src);

    byte[] appended = SampleTree.bytes(random, 5_000);
    Files.write(src.resolve("grows"), appended, StandardOpenOption.APPEND);
    try (FileChannel ch = FileChannel.open(src.resolve("shrinks"), StandardOpenOption.WRITE)) {
      ch.truncate(1_000);
    }
    Files.delete(src.resolve("vanishes"));
    Files.delete(src.resolve("replaced"));
    byte[] newer = SampleTree.bytes(random, 1_000);
    Files.write(src.resolve("replaced"), newer);

    Path dump = tmp.resolve("changing.dump");
    List<String> warnings = new ArrayList<>();
    try (FileChannel out =
        FileChannel.open(dump, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      VolumeWriter volumes = new VolumeWriter(new OneFileSink(out), 10, label(src), new long[0]);
      TreeDump.write(scan, volumes.stream(), Long.MIN_VALUE, 2, warnings::add);
    }
    assertThat(warnings)
        .containsExactlyInAnyOrder(
            src.resolve("grows") + ": changed while being dumped",
            src.resolve("shrinks") + ": changed while being dumped",
            src.resolve("vanishes") + ": vanished while being dumped",
            src.resolve("replaced")
                + ": was replaced while being dumped (another file has its name)");

    // What the dump holds: each file at its scanned size, zeros where the data was gone or is
    // another file's.
    Files.write(src.resolve("grows"), grows);
    Files.write(src.resolve("shrinks"), Arrays.copyOf(Arrays.copyOf(shrinks, 1_000), 700_000));
    Files.write(src.resolve("vanishes"), new byte[50_000]);
    Files.write(src.resolve("replaced"), new byte[3_000]);
    Path restored = Files.createDirectory(tmp.resolve("restored"));
    Proc.of(restore, "-r", "-y", "-f", dump).in(restored).run().ok();
    assertThat(TreeDiff.compare(src, restored, Set.of("restoresymtable"))).isEmpty();
  }

  private static DumpStream.Label label(Path src) {
    return new DumpStream.Label(
        (int) (System.currentTimeMillis() / 1000), 0, 0, "jrmt", src.toString(), "-", "localhost");
  }
}
