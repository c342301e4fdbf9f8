package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code bin/jrmt} (stdin/stdout, as behind rsh) fed malformed requests. */
class BadInputStdioTest {
  @TempDir Path tmp;

  static List<BadInput> cases() {
    return BadInput.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersWithExactBytesOrCloses(BadInput c) throws Exception {
    Path tapes = tmp.resolve("tapes");
    Proc.Result r = Proc.of(ProjectRoot.jrmt(), "--tape-dir", tapes).input(c.request()).run();
    assertThat(new String(r.stdoutBytes(), StandardCharsets.ISO_8859_1))
        .as(r.describe("replied"))
        .isEqualTo(c.reply());
    // No stack traces or other noise for the operator.
    assertThat(r.stderr()).doesNotContain("Exception");
    // Whatever was half received, no partial record reaches the tape.
    Path t1 = tapes.resolve("t1.tap");
    if (Files.exists(t1) && c.name().startsWith("truncated")) {
      assertThat(TapeContents.read(t1).records()).isZero();
    }
  }
}
