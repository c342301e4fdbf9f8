package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jdump's incremental levels, applied by the stock {@code restore -r} on top of level 0. */
class JdumpIncrementalTest {
  private static final Set<String> RESTORE_FILES = Set.of("restoresymtable");

  @TempDir Path tmp;

  private Path jdump() {
    return ProjectRoot.jrmt().resolveSibling("jdump");
  }

  @Test
  void levelZeroThenOneRebuildTheChangedTree() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 100_000);
    Files.createDirectories(src.resolve("old dir"));
    Files.writeString(src.resolve("old dir/gone.txt"), "gone\n");
    Path dates = tmp.resolve("dumpdates");
    Proc.of(jdump(), "-0", "-u", "-D", dates, "-f", tmp.resolve("l0"), src).run().ok();

    Files.writeString(src.resolve("one"), "appended", StandardOpenOption.APPEND);
    Files.delete(src.resolve("old dir/gone.txt"));
    Files.delete(src.resolve("old dir"));
    Files.move(src.resolve("sub/odd.bin"), src.resolve("moved.bin"));
    Files.createDirectories(src.resolve("new dir"));
    Files.writeString(src.resolve("new dir/new.txt"), "new\n");
    Files.delete(src.resolve("link"));
    Files.createSymbolicLink(src.resolve("link"), Path.of("new dir"));
    Proc.Result r =
        Proc.of(jdump(), "-1", "-u", "-D", dates, "-f", tmp.resolve("l1"), src).run().ok();
    assertThat(r.stderr()).contains("Date of last level dump it is based on");
    assertThat(Files.readAllLines(dates)).hasSize(2);

    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(restore, "-r", "-y", "-f", tmp.resolve("l0")).in(out).run().ok();
    Proc.of(restore, "-r", "-y", "-f", tmp.resolve("l1")).in(out).run().ok();
    assertThat(TreeDiff.compare(src, out, RESTORE_FILES)).isEmpty();
  }

  @Test
  void anUnchangedTreeGivesALevelOneOfTheRootAlone() throws Exception {
    // The project's own sources were checked out long before this test runs.
    Path src = ProjectRoot.get().resolve("protocol-spec/src/main/java");
    Path dates = tmp.resolve("dumpdates");
    Proc.of(jdump(), "-0", "-u", "-D", dates, "-f", tmp.resolve("l0"), src).run().ok();
    Proc.Result r = Proc.of(jdump(), "-1", "-D", dates, "-f", tmp.resolve("l1"), src).run().ok();
    assertThat(r.stderr()).contains("DUMP: 1 inodes dumped");
    assertThat(Files.size(tmp.resolve("l1"))).isLessThan(Files.size(tmp.resolve("l0")));
  }

  @Test
  void aLevelWithoutABaseIsALevelZero() throws Exception {
    Path src = SampleTree.write(tmp.resolve("src"), 1_000);
    Proc.Result r =
        Proc.of(jdump(), "-3", "-D", tmp.resolve("none"), "-f", tmp.resolve("x"), src).run().ok();
    assertThat(r.stderr())
        .contains("There is no inferior level dump")
        .contains("Date of this level 0 dump");
  }
}
