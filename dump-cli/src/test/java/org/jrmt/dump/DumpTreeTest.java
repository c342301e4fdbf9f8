package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jrmt.dump.DirectoryEntry.DT_DIR;
import static org.jrmt.dump.DirectoryEntry.DT_REG;
import static org.jrmt.dump.testing.DumpBuilder.entries;
import static org.jrmt.dump.testing.DumpBuilder.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrmt.dump.DumpTree.Node;
import org.jrmt.fs.FileName;
import org.junit.jupiter.api.Test;

/** The name tree: what it refuses, and that it costs the same at any depth. */
class DumpTreeTest {
  @Test
  void aChainDeeperThanTheLimitIsCutThereWithAReport() {
    int depth = DumpTree.MAX_DEPTH + 10;
    Map<Integer, List<DirectoryEntry>> dirs = new LinkedHashMap<>();
    dirs.put(2, entries(2, 2, entry(3, DT_DIR, "d")));
    for (int i = 0; i < depth; i++) {
      dirs.put(3 + i, entries(3 + i, 2 + i, entry(4 + i, DT_DIR, "d")));
    }
    DumpTree t = new DumpTree(dirs);
    // The root, then the levels 1 to MAX_DEPTH; the walk is iterative (no stack overflow).
    assertThat(t.nodes()).hasSize(DumpTree.MAX_DEPTH + 1);
    assertThat(t.problems().lines())
        .singleElement()
        .asString()
        .startsWith("directory ./.../d/d")
        .endsWith(": deeper than 2048 levels: skipped");
    Node deepest = t.nodes().get(t.nodes().size() - 1);
    assertThat(deepest.depth).isEqualTo(DumpTree.MAX_DEPTH);
    assertThat(deepest.display().length()).isLessThan(DumpTree.SHOWN + 20);
    assertThat(deepest.display(Integer.MAX_VALUE)).hasSize(2 * DumpTree.MAX_DEPTH + 1);
  }

  @Test
  void oneNameStandsForOneInodeAndNamesAreBytes() {
    byte[] e8 = {'c', 'a', 'f', (byte) 0xE8};
    Map<Integer, List<DirectoryEntry>> dirs = new LinkedHashMap<>();
    dirs.put(
        2,
        entries(
            2,
            2,
            entry(3, DT_REG, e8),
            entry(4, DT_REG, e8),
            entry(5, DT_REG, "a\nb"),
            entry(6, DT_REG, "x/y"),
            entry(7, DT_DIR, "..")));
    DumpTree t = new DumpTree(dirs);
    assertThat(t.names().get(3)).singleElement().extracting(n -> n.name).isEqualTo(FileName.of(e8));
    assertThat(t.names()).doesNotContainKeys(4, 6, 7);
    assertThat(t.names().get(5).get(0).display()).isEqualTo("./a\\012b");
    assertThat(t.problems().lines())
        .containsExactly(
            "./caf\\350: listed twice in directory .: the entry for inode 4 is ignored",
            "refused the name x/y: it could leave the target");
  }
}
