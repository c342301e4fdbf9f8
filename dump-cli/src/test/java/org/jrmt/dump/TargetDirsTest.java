package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jrmt.dump.testing.DumpBuilder.entries;
import static org.jrmt.dump.testing.DumpBuilder.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrmt.dump.DumpTree.Node;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore's open directories: bounded in number, reopened by handles, never through a link. */
class TargetDirsTest {
  @TempDir Path tmp;

  /** A chain {@code a/a/a…} of {@code depth} directories, inodes 3 on. */
  static DumpTree chain(int depth) {
    Map<Integer, List<DirectoryEntry>> dirs = new LinkedHashMap<>();
    dirs.put(2, entries(2, 2, entry(3, DirectoryEntry.DT_DIR, "a")));
    for (int i = 0; i < depth; i++) {
      int ino = 3 + i;
      dirs.put(
          ino,
          i < depth - 1
              ? entries(ino, ino - 1, entry(ino + 1, DirectoryEntry.DT_DIR, "a"))
              : entries(ino, ino - 1));
    }
    return new DumpTree(dirs);
  }

  @Test
  void aDeepTreeNeverHoldsMoreThanTheCapacityAndEveryHandleIsItsDirectory() throws Exception {
    DumpTree tree = chain(300);
    List<Node> nodes = tree.nodes();
    long[] inodes = new long[nodes.size()];
    try (Directory root = Directory.open(tmp);
        TargetDirs dirs = new TargetDirs(root, 8)) {
      for (int i = 1; i < nodes.size(); i++) {
        inodes[i] = dirs.make(nodes.get(i), 0700).status().ino();
        assertThat(dirs.openCount()).isLessThanOrEqualTo(8);
      }
      // Deepest first, as the restore's last pass goes: each reopened from an open ancestor.
      for (int i = nodes.size() - 1; i >= 1; i--) {
        assertThat(dirs.get(nodes.get(i)).status().ino()).isEqualTo(inodes[i]);
        assertThat(dirs.openCount()).isLessThanOrEqualTo(8);
      }
    }
  }

  @Test
  void aDirectorySwappedForALinkOnceClosedIsNeverReopenedThroughIt() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside/a/a"));
    Path target = Files.createDirectory(tmp.resolve("target"));
    DumpTree tree = chain(3);
    List<Node> nodes = tree.nodes();
    try (Directory root = Directory.open(target);
        TargetDirs dirs = new TargetDirs(root, 1)) {
      for (Node n : nodes.subList(1, nodes.size())) {
        dirs.make(n, 0700);
      }
      // Only the deepest is open now; its parent's parent is swapped for a link.
      Files.move(target.resolve("a"), tmp.resolve("moved"));
      Files.createSymbolicLink(target.resolve("a"), outside.getParent().getParent());
      assertThatThrownBy(() -> dirs.get(nodes.get(2)))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.wrongType()).isTrue());
      assertThatThrownBy(() -> dirs.make(nodes.get(2), 0700))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.wrongType()).isTrue());
    }
    try (var s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
  }
}
