package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GNU cpio 2.13 as a client of {@code jrmt} through {@code --rsh-command}. */
class GnuCpioInteropTest {
  @TempDir Path tmp;

  @Test
  void newcArchiveRoundTripsThroughAVirtualTape() throws Exception {
    Path cpio = Peers.require("cpio");
    Path src = SampleTree.write(tmp.resolve("src"), 0);
    Path tapes = tmp.resolve("tapes");
    Path rsh = RshScript.jrmt(tmp, tapes);
    String names;
    try (Stream<Path> s = Files.walk(src)) {
      names =
          s.filter(p -> !p.equals(src))
              .map(p -> src.relativize(p) + "\n")
              .sorted()
              .collect(Collectors.joining());
    }

    // cpio -o opens 577 O_WRONLY|O_CREAT|O_TRUNC and writes 512-byte records.
    Proc.Result out =
        Proc.of(cpio, "-o", "-H", "newc", "-F", "localhost:c1", "--rsh-command=" + rsh)
            .in(src)
            .input(names)
            .run()
            .ok();
    assertThat(out.stderr()).matches("(?s)\\d+ blocks\\n");
    TapeContents tape = TapeContents.read(tapes.resolve("c1.tap"));
    assertThat(tape.records()).isPositive();
    assertThat(tape.layout()).containsOnly(512, TapeContents.FILEMARK);
    assertThat(tape.layout()).endsWith(TapeContents.FILEMARK);

    Path dst = Files.createDirectory(tmp.resolve("out"));
    Proc.of(cpio, "-i", "-d", "-m", "-F", "localhost:c1", "--rsh-command=" + rsh)
        .in(dst)
        .run()
        .ok();
    assertThat(TreeDiff.compare(src, dst, Set.of())).isEmpty();
  }
}
