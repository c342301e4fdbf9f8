package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jrmt.dump.DumpHeader;
import org.jrmt.dump.HeaderType;
import org.jrmt.dump.Jdump;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jdump volume sets cut small with {@code -b}/{@code -B}, read by the stock {@code restore -r -M}:
 * a sweep of record and volume sizes puts the cuts at every kind of place in the stream (inside the
 * maps, right after a header whose data all follows on the next volume, inside the data of a file
 * or of its continuation header, at a header boundary, just before the end), and the tree comes
 * back identical every time.
 *
 * <p>The stock restore reads the first 32 KiB of a volume file in one piece and takes all 32
 * records as read, whatever the file held: a volume shorter than that is misread ("Incorrect
 * block", files lost), the stock dump's own as much as jdump's. So jdump refuses such a {@code -B}
 * before it writes anything.
 */
class JdumpSmallVolumesTest {
  @TempDir Path tmp;

  /** Where a volume was cut: what the stream was doing at the first record of the next one. */
  enum Cut {
    IN_MAPS,
    AFTER_HEADER,
    IN_DATA,
    IN_CONTINUATION,
    AT_HEADER,
    BEFORE_END
  }

  private static final int[][] SWEEP = {
    {1, 32}, {1, 33}, {1, 34}, {1, 35}, {1, 37}, {1, 38}, {1, 41}, {1, 43}, {2, 32}, {2, 34},
    {3, 33}, {3, 35}, {4, 36}, {5, 35}, {7, 35}, {8, 40}, {10, 40}, {16, 32}, {32, 64}
  };

  /** Small files around the record sizes, a file with a continuation header, a sparse file. */
  private Path tree() throws IOException {
    Path src = SampleTree.write(tmp.resolve("src"), 600_000);
    java.util.Random random = new java.util.Random(32);
    for (int i = 0; i < 24; i++) {
      Files.write(src.resolve("sub/f" + i), SampleTree.bytes(random, i * 700 + (i % 3) * 1024));
    }
    try (RandomAccessFile sparse = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
      sparse.write(SampleTree.bytes(random, 3000));
      sparse.seek(600_000);
      sparse.write(SampleTree.bytes(random, 2000));
    }
    return src;
  }

  /**
   * Runs jdump in this JVM, the inode numbers 300,000 higher than the file system's: the maps then
   * span several small volumes on any file system, so cuts fall inside them too.
   */
  private static String jdump(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Jdump.run(
            args, new PrintStream(err, true, StandardCharsets.UTF_8), new ShiftedInodes(300_000));
    String text = err.toString(StandardCharsets.UTF_8);
    return status + "\n" + text;
  }

  @Test
  void everyCutPositionRestoresWithTheStockRestore() throws Exception {
    Path restore = Peers.require("restore");
    Path src = tree();
    List<int[]> sweep = new ArrayList<>(List.of(SWEEP));
    int beforeTheEnd = volumeCuttingRightBeforeTheEnd(src);
    if (sweep.stream().noneMatch(c -> c[0] == 1 && c[1] == beforeTheEnd)) {
      sweep.add(new int[] {1, beforeTheEnd});
    }
    EnumSet<Cut> seen = EnumSet.noneOf(Cut.class);
    for (int[] c : sweep) {
      String name = "b" + c[0] + "B" + c[1];
      Path dir = Files.createDirectory(tmp.resolve(name));
      String out =
          jdump(
              "-0",
              "-b",
              "" + c[0],
              "-B",
              "" + c[1],
              "-M",
              "-D",
              dir.resolve("dates").toString(),
              "-f",
              dir.resolve("vol").toString(),
              src.toString());
      assertThat(out).as(name).startsWith("0\n").contains("DUMP IS DONE");
      List<Path> volumes = volumes(dir);
      assertThat(volumes).as(name).hasSizeGreaterThan(3);
      for (Path v : volumes.subList(0, volumes.size() - 1)) {
        assertThat(Files.size(v))
            .as(name + " " + v.getFileName())
            .isEqualTo(c[1] / c[0] * c[0] * 1024L);
      }
      seen.addAll(cuts(volumes));
      Path restored = Files.createDirectory(dir.resolve("restored"));
      Proc.Result r =
          Proc.of(restore, "-r", "-y", "-M", "-f", dir.resolve("vol")).in(restored).run();
      assertThat(r.stderr())
          .as(name)
          .doesNotContain("Incorrect block", "Missing", "not found", "rror");
      assertThat(TreeDiff.compare(src, restored, StockDumpRoundTrip.RESTORE_FILES))
          .as(name)
          .isEmpty();
    }
    assertThat(seen).as("the kinds of cut the sweep made").isEqualTo(EnumSet.allOf(Cut.class));
  }

  @ParameterizedTest(name = "-b {0} -B {1}")
  @CsvSource({"10, 20", "1, 7", "1, 31", "10, 30", "10, 39", "3, 32"})
  void aVolumeTheStockRestoreWouldMisreadIsRefusedBeforeAnythingIsWritten(int b, int kib)
      throws Exception {
    Path src = SampleTree.write(tmp.resolve("src"), 60_000);
    String out =
        jdump(
            "-0",
            "-b",
            "" + b,
            "-B",
            "" + kib,
            "-M",
            "-D",
            tmp.resolve("dates").toString(),
            "-f",
            tmp.resolve("vol").toString(),
            src.toString());
    assertThat(out)
        .startsWith("1\n")
        .contains(
            "jdump: -B "
                + kib
                + ": a volume must hold at least 32 KiB of whole "
                + b
                + " KiB records (the stock restore reads a volume file's first 32 KiB in one"
                + " piece and misreads a shorter one)");
    assertThat(volumes(tmp)).isEmpty();
  }

  /**
   * A {@code -B} for {@code -b 1} whose last cut falls right before the TS_END: each volume holds
   * its TS_TAPE and {@code B - 1} records of the stream, so {@code B - 1} must divide the number of
   * records before the end. Small files are added to the tree until some {@code B} of 32 or more
   * does.
   */
  private int volumeCuttingRightBeforeTheEnd(Path src) throws Exception {
    for (int extra = 0; ; extra++) {
      Path one = tmp.resolve("one" + extra);
      String out =
          jdump(
              "-0",
              "-b",
              "1",
              "-D",
              tmp.resolve("dates").toString(),
              "-f",
              one.toString(),
              src.toString());
      assertThat(out).startsWith("0\n");
      byte[] bytes = Files.readAllBytes(one);
      int owed = 0;
      int end = -1;
      for (int at = DumpHeader.TP_BSIZE; end < 0; at += DumpHeader.TP_BSIZE) {
        if (owed > 0) {
          owed--;
          continue;
        }
        DumpHeader h = DumpHeader.decode(bytes, at);
        owed = h.dataRecords();
        if (h.type() == HeaderType.END) {
          end = at / DumpHeader.TP_BSIZE - 1;
        }
      }
      for (int d = 31; d <= end / 4; d++) {
        if (end % d == 0) {
          return d + 1;
        }
      }
      Files.write(src.resolve("pad" + extra), new byte[] {(byte) extra});
    }
  }

  private static List<Path> volumes(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("vol\\d{3}")).sorted().toList();
    }
  }

  /**
   * Walks the set as one stream (the cuts of {@code -B} replay nothing) and says, for each volume
   * after the first, what its first record continues.
   */
  private static Set<Cut> cuts(List<Path> volumes) throws Exception {
    EnumSet<Cut> out = EnumSet.noneOf(Cut.class);
    DumpHeader current = null;
    int owed = 0;
    boolean justHeader = false;
    for (int v = 0; v < volumes.size(); v++) {
      byte[] bytes = Files.readAllBytes(volumes.get(v));
      for (int at = 0; at < bytes.length; at += DumpHeader.TP_BSIZE) {
        boolean header = (at == 0 || owed == 0) && DumpHeader.isHeader(bytes, at);
        DumpHeader h = header ? DumpHeader.decode(bytes, at) : null;
        if (h != null && h.type() == HeaderType.TAPE) {
          assertThat(h.volume()).isEqualTo(v + 1);
          if (v > 0) {
            assertThat(h.count()).as("c_count of volume %d", v + 1).isEqualTo(owed);
            out.add(kind(current, owed, justHeader, bytes, at + DumpHeader.TP_BSIZE));
          }
          continue;
        }
        if (h != null) {
          current = h;
          owed = h.dataRecords();
          justHeader = owed > 0;
        } else {
          assertThat(owed)
              .as("a data record where a header belongs, volume %d", v + 1)
              .isPositive();
          owed--;
          justHeader = false;
        }
      }
    }
    return out;
  }

  private static Cut kind(DumpHeader current, int owed, boolean justHeader, byte[] vol, int next)
      throws Exception {
    if (owed == 0) {
      return DumpHeader.decode(vol, next).type() == HeaderType.END ? Cut.BEFORE_END : Cut.AT_HEADER;
    }
    if (current.type() == HeaderType.CLRI || current.type() == HeaderType.BITS) {
      return Cut.IN_MAPS;
    }
    if (justHeader) {
      return Cut.AFTER_HEADER;
    }
    return current.type() == HeaderType.ADDR ? Cut.IN_CONTINUATION : Cut.IN_DATA;
  }
}
