package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jrmt.dump.Jdump;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What jdump leaves out, restored by the stock restore: inodes named with {@code -e}/{@code -E},
 * files flagged nodump ({@code chattr +d} on a real ext2 file system) from the {@code -h} level on;
 * and inode numbers past 32 bits, numbered stably so that level 0 then level 1 restore.
 */
class JdumpExcludeTest {
  @TempDir Path tmp;

  private Path jdump() {
    return ProjectRoot.jrmt().resolveSibling("jdump");
  }

  private static long ino(Path p) throws IOException {
    return (Long) Files.getAttribute(p, "unix:ino");
  }

  @Test
  void excludedInodesAndNodumpFilesOnExt2() throws Exception {
    Path restore = Peers.require("restore");
    Path chattr = Peers.require("chattr");
    try (LoopImage fs = LoopImage.create(tmp, 16)) {
      Path mnt = fs.mount(false);
      Files.createDirectories(mnt.resolve("keep/sub"));
      Files.writeString(mnt.resolve("keep/sub/file"), "kept\n");
      Files.createDirectories(mnt.resolve("by-e/inner"));
      Files.writeString(mnt.resolve("by-e/inner/file"), "excluded with its directory\n");
      Files.writeString(mnt.resolve("by-E.txt"), "excluded from a list\n");
      Files.createDirectories(mnt.resolve("nodump dir/inner"));
      Files.writeString(mnt.resolve("nodump dir/inner/file"), "beneath a nodump directory\n");
      Files.writeString(mnt.resolve("nodump.txt"), "flagged\n");
      Proc.of(chattr, "+d", mnt.resolve("nodump dir"), mnt.resolve("nodump.txt")).run().ok();
      Path list = tmp.resolve("exclude.list");
      Files.writeString(list, ino(mnt.resolve("by-E.txt")) + "\n");
      String byE = Long.toString(ino(mnt.resolve("by-e")));

      // Level 0 with the default -h 1: nodump files are kept, the excluded ones are not.
      Path level0 = tmp.resolve("l0");
      Proc.of(jdump(), "-0", "-e", byE, "-E", list, "-f", level0, mnt).run().ok();
      Path out0 = Files.createDirectory(tmp.resolve("out0"));
      Proc.of(restore, "-r", "-y", "-f", level0).in(out0).run().ok();
      assertThat(TreeDiff.compare(mnt, out0, StockDumpRoundTrip.RESTORE_FILES))
          .containsExactlyInAnyOrder(
              "missing: by-E.txt",
              "missing: by-e",
              "missing: by-e/inner",
              "missing: by-e/inner/file");

      // -h 0 honours nodump at level 0 too: the flagged directory goes with what it holds.
      Path honoured = tmp.resolve("h0");
      Proc.of(jdump(), "0hf", "0", honoured, mnt).run().ok();
      Path outH = Files.createDirectory(tmp.resolve("outH"));
      Proc.of(restore, "-r", "-y", "-f", honoured).in(outH).run().ok();
      assertThat(TreeDiff.compare(mnt, outH, StockDumpRoundTrip.RESTORE_FILES))
          .containsExactlyInAnyOrder(
              "missing: nodump.txt",
              "missing: nodump dir",
              "missing: nodump dir/inner",
              "missing: nodump dir/inner/file");
      fs.unmount();
    }
  }

  private static String run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Jdump.run(
            args, new PrintStream(err, true, StandardCharsets.UTF_8), new ShiftedInodes(1L << 40));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(status).as(text).isZero();
    return text;
  }

  /** File system inode to dump number, from the mapping file's {@code DEV INO NUMBER TREE}. */
  private static Map<Long, String> numbers(List<String> lines) {
    Map<Long, String> out = new HashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ", 4);
      out.put(Long.parseLong(f[1]), f[2]);
    }
    return out;
  }

  @Test
  void inodeNumbersPast32BitsAreMappedStablyForIncrementals() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 50_000);
    Files.createDirectories(src.resolve("old dir"));
    Files.writeString(src.resolve("old dir/gone.txt"), "gone\n");
    Path dates = tmp.resolve("state/dumpdates");
    Files.createDirectories(dates.getParent());
    run("-0", "-u", "-D", dates.toString(), "-f", tmp.resolve("l0").toString(), src.toString());
    Path mapping = tmp.resolve("state/dumpdates.inodes");
    List<String> first = Files.readAllLines(mapping);
    assertThat(first).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(" " + src));

    List<Long> kept = new ArrayList<>();
    for (String name : List.of("one", "zero", "sub", "sub/odd.bin", "sub/deeper", "link")) {
      kept.add(ino(src.resolve(name)) + (1L << 40));
    }
    Files.writeString(src.resolve("one"), "appended", StandardOpenOption.APPEND);
    Files.delete(src.resolve("old dir/gone.txt"));
    Files.delete(src.resolve("old dir"));
    Files.move(src.resolve("sub/odd.bin"), src.resolve("moved.bin"));
    Files.createDirectories(src.resolve("new dir"));
    Files.writeString(src.resolve("new dir/new.txt"), "new\n");
    run("-1", "-u", "-D", dates.toString(), "-f", tmp.resolve("l1").toString(), src.toString());
    List<String> second = Files.readAllLines(mapping);
    // Every inode still there kept its number.
    Map<Long, String> firstNumbers = numbers(first);
    Map<Long, String> secondNumbers = numbers(second);
    for (long ino : kept) {
      assertThat(secondNumbers.get(ino)).isNotNull().isEqualTo(firstNumbers.get(ino));
    }

    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(restore, "-r", "-y", "-f", tmp.resolve("l0")).in(out).run().ok();
    Proc.of(restore, "-r", "-y", "-f", tmp.resolve("l1")).in(out).run().ok();
    assertThat(TreeDiff.compare(src, out, StockDumpRoundTrip.RESTORE_FILES)).isEmpty();
  }
}
