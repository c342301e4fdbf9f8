package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
