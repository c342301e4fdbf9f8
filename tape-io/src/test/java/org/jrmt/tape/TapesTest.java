package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TapesTest {
  @TempDir Path dir;

  @Test
  void dotTapIsASimhTape() throws Exception {
    try (Tape t =
        Tapes.open(dir.resolve("x.TAP"), OpenMode.readWrite().with(OpenMode.Flag.CREATE))) {
      assertThat(t).isInstanceOf(SimhTape.class);
    }
  }

  @Test
  void regularFilesEvenNamedLikeDrivesArePlainFiles() throws Exception {
    Path f = Files.createFile(dir.resolve("nst0"));
    try (Tape t = Tapes.open(f, OpenMode.readOnly())) {
      assertThat(t).isInstanceOf(FileTape.class);
    }
  }

  @Test
  void devNullIsAPlainFile() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/null")), "/dev/null is not available");
    try (Tape t = Tapes.open(Path.of("/dev/null"), OpenMode.writeOnly())) {
      assertThat(t).isInstanceOf(FileTape.class);
    }
  }
}
