package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import org.jrmt.dump.DumpStream;
import org.jrmt.dump.TreeDump;
import org.jrmt.dump.TreeScanner;
import org.jrmt.dump.VolumeWriter;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jrmt's dump writer against the stock Linux restore 0.4b47: a tree dumped by {@link TreeDump} is
 * rebuilt by {@code restore -r} identically (contents, kinds, permissions, link targets, hard
 * links, holes, times).
 */
class DumpFormatInteropTest {
  @TempDir Path tmp;

  @Test
  void stockRestoreRebuildsATreeDumpedByJrmt() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 700_000);
    Files.createLink(src.resolve("sub/hard-link"), src.resolve("sub/odd.bin"));
    Files.writeString(src.resolve("sub/deeper/" + "n".repeat(200)), "long name\n");
    try (RandomAccessFile sparse = new RandomAccessFile(src.resolve("sparse.bin").toFile(), "rw")) {
      sparse.seek(3 << 20);
      sparse.write("end of a sparse file".getBytes());
    }
    Files.createDirectories(src.resolve("many"));
    for (int i = 0; i < 120; i++) {
      Files.writeString(src.resolve("many/entry-" + "x".repeat(i % 40) + i), "e" + i);
    }
    Files.setLastModifiedTime(
        src.resolve("one"), FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));

    TreeScanner.Scan scan = TreeScanner.scan(src);
    assertThat(scan.warnings()).isEmpty();
    Path dump = tmp.resolve("tree.dump");
    try (FileChannel out =
        FileChannel.open(dump, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      VolumeWriter volumes =
          new VolumeWriter(
              new OneFileSink(out),
              10,
              new DumpStream.Label(
                  (int) (System.currentTimeMillis() / 1000),
                  0,
                  0,
                  "jrmt",
                  src.toString(),
                  "-",
                  "localhost"),
              new long[0]);
      TreeDump.write(scan, volumes.stream());
    }
    assertThat(Files.size(dump) % 10_240).as("whole 10 KiB tape records").isZero();

    Path out = Files.createDirectory(tmp.resolve("restored"));
    Proc.of(restore, "-r", "-y", "-f", dump).in(out).run().ok();
    assertThat(TreeDiff.compare(src, out, Set.of("restoresymtable"))).isEmpty();
    assertThat(Files.isSameFile(out.resolve("sub/hard-link"), out.resolve("sub/odd.bin"))).isTrue();
    assertThat(Files.getLastModifiedTime(out.resolve("one")).toInstant())
        .isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
    assertThat(allocatedBlocks(out.resolve("sparse.bin")))
        .as("the hole stays a hole")
        .isLessThan(64);

    Proc.Result listing = Proc.of(restore, "-t", "-f", dump).run().ok();
    assertThat(listing.stdout()).contains("./sub/deeper/records.bin", "./many/entry-0");
  }

  /** 512-byte blocks allocated to {@code p}, as stat(1) reports (Java has no such attribute). */
  private static long allocatedBlocks(Path p) {
    return Long.parseLong(Proc.of("stat", "-c", "%b", p).run().ok().stdout().strip());
  }
}
