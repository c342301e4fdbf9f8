package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GNU tar (1.34 on Debian 12) as a client of {@code jrmt}, reached the classic way: {@code
 * --rsh-command} names a script that runs {@code bin/jrmt} on its stdin/stdout, and the archive is
 * {@code localhost:NAME}, a SIMH virtual tape (or an absolute path under {@code --file-dir}).
 */
class GnuTarInteropTest {
  @TempDir Path tmp;
  private Path tar;
  private Path tapes;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    tar = Peers.require("tar");
    tapes = tmp.resolve("tapes");
    src = SampleTree.write(tmp.resolve("src"), 0);
  }

  private Proc tar(Path rsh, Object... args) {
    // Literal quoting: in the C locale tar would print UTF-8 names as octal escapes.
    return Proc.of(tar, "--quoting-style=literal", "--rsh-command=" + rsh).args(args);
  }

  /** The member names {@code tar -C dir .} stores: {@code ./}, {@code ./a}, {@code ./d/} … */
  static Set<String> memberNames(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(
              p -> {
                String rel = dir.relativize(p).toString();
                String name = rel.isEmpty() ? "." : "./" + rel;
                boolean isDir = Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                return isDir ? name + "/" : name;
              })
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void createListExtractRoundTripsATree() throws Exception {
    Path rsh = RshScript.jrmt(tmp, tapes);
    tar(rsh, "-cf", "localhost:t1", "-C", src, ".").run().ok();

    // On the tape: tar's 10240-byte records, then the filemark written when tar closed.
    TapeContents tape = TapeContents.read(tapes.resolve("t1.tap"));
    assertThat(tape.records()).isPositive();
    assertThat(tape.layout().subList(0, (int) tape.records())).containsOnly(10_240);
    assertThat(tape.layout()).endsWith(TapeContents.FILEMARK);
    assertThat(tape.filemarks()).isEqualTo(1);

    Proc.Result list = tar(rsh, "-tf", "localhost:t1").run().ok();
    assertThat(lines(list.stdout())).containsExactlyInAnyOrderElementsOf(memberNames(src));

    Path out = Files.createDirectory(tmp.resolve("out"));
    tar(rsh, "-xf", "localhost:t1", "-C", out).run().ok();
    assertThat(TreeDiff.compare(src, out, Set.of())).isEmpty();
  }

  @Test
  void appendToVirtualTapeKeepsBothMembers() throws Exception {
    // tar -r reads to the end of the archive, then backs up one record with MTBSR (I4\n1\n).
    // A virtual tape honours MTBSR, so tar never needs the L (lseek) fallback, which a tape
    // would refuse with ESPIPE, and rewrites the last record with the new member.
    Path rsh = RshScript.jrmt(tmp, tapes);
    tar(rsh, "-cf", "localhost:t1", "-C", src, "./sub").run().ok();
    tar(rsh, "-rf", "localhost:t1", "-C", src, "./one").run().ok();

    Proc.Result list = tar(rsh, "-tf", "localhost:t1").run().ok();
    List<String> members = lines(list.stdout());
    assertThat(members)
        .containsExactlyInAnyOrder(
            "./sub/",
            "./sub/deeper/",
            "./sub/deeper/records.bin",
            "./sub/odd.bin",
            "./sub/secret",
            "./one");
    assertThat(members).endsWith("./one");

    Path out = Files.createDirectory(tmp.resolve("out"));
    tar(rsh, "-xf", "localhost:t1", "-C", out).run().ok();
    assertThat(Files.mismatch(src.resolve("one"), out.resolve("one"))).isEqualTo(-1);
    assertThat(Files.mismatch(src.resolve("sub/odd.bin"), out.resolve("sub/odd.bin")))
        .isEqualTo(-1);
  }

  @Test
  void appendToRegularFileUsesOffsetFirstSeeksAndKeepsBothMembers() throws Exception {
    // On a plain file tar -r gets E25 for MTBSR, then asks L0\n1\n (tell, offset first) and
    // seeks back with L<pos>\n0\n. GNU's own rmt reads these whence-first, seeks to 1, then to
    // 0, and overwrites the first member; jrmt must leave a correct archive.
    Path files = Files.createDirectory(tmp.resolve("files"));
    Path archive = files.resolve("a.tar");
    Path rsh = RshScript.jrmt(tmp, tapes, "--file-dir", files.toString());
    String device = "localhost:" + archive;
    tar(rsh, "-cf", device, "-C", src, "./sub/odd.bin", "./run.sh").run().ok();
    tar(rsh, "-rf", device, "-C", src, "./one").run().ok();

    List<String> expected = List.of("./sub/odd.bin", "./run.sh", "./one");
    assertThat(lines(Proc.of(tar, "--quoting-style=literal", "-tf", archive).run().ok().stdout()))
        .isEqualTo(expected);
    assertThat(lines(tar(rsh, "-tf", device).run().ok().stdout())).isEqualTo(expected);

    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(tar, "-xf", archive, "-C", out).run().ok();
    for (String name : List.of("sub/odd.bin", "run.sh", "one")) {
      assertThat(Files.mismatch(src.resolve(name), out.resolve(name))).as(name).isEqualTo(-1);
    }
  }

  @Test
  void verifyOnVirtualTapeBehavesAsOnAnStDrive() throws Exception {
    // tar -W goes back for verification with MTBSF 1 (I2\n1\n). Like Linux st, the virtual tape
    // first ends the records just written with a filemark, then backspaces over it; tar's next
    // read meets that filemark and it verifies nothing, silently: what GNU tar does on a real
    // drive too. The archive must be intact and the tape must hold records and one filemark.
    Path rsh = RshScript.jrmt(tmp, tapes);
    Proc.Result r = tar(rsh, "-cWf", "localhost:w1", "-C", src, ".").run();
    assertThat(r.exit()).as(r.describe("exit")).isZero();
    assertThat(r.stderr()).isEmpty();

    Proc.Result list = tar(rsh, "-tf", "localhost:w1").run().ok();
    assertThat(lines(list.stdout())).containsExactlyInAnyOrderElementsOf(memberNames(src));
  }

  @Test
  void verifyOnRegularFileReadsTheArchiveBack() throws Exception {
    // On a plain file MTBSF fails with E25 and tar seeks to 0 with L0\n0\n, then reads back.
    Path files = Files.createDirectory(tmp.resolve("files"));
    Path archive = files.resolve("w.tar");
    Path rsh = RshScript.jrmt(tmp, tapes, "--file-dir", files.toString());
    Proc.Result r = tar(rsh, "-cWf", "localhost:" + archive, "-C", src, ".").run();
    assertThat(r.exit()).as(r.describe("exit")).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(lines(Proc.of(tar, "--quoting-style=literal", "-tf", archive).run().ok().stdout()))
        .containsExactlyInAnyOrderElementsOf(memberNames(src));
  }

  @ParameterizedTest
  @ValueSource(strings = {"enospc", "zero"})
  void multiVolumeArchiveSpansTwoSmallTapes(String eot) throws Exception {
    Path big = tmp.resolve("big");
    SampleTree.write(big, 250_000);
    Path rsh = RshScript.jrmt(tmp, tapes, "--capacity", "200K", "--eot", eot);

    Proc.Result create =
        tar(rsh, "-M", "-cf", "localhost:v1", "-f", "localhost:v2", "-C", big, ".").run();
    if (eot.equals("enospc")) {
      // E28 for the record that does not fit: tar moves on to the next -f name.
      create.ok();
      assertThat(create.stderr()).isEmpty();
    } else {
      // A0 for the record that does not fit: GNU rtapelib takes any short write count as a
      // broken connection and shuts the pipes (EIO); tar still switches volumes and writes a
      // complete set, but then fails to close the first volume and exits 2.
      assertThat(create.exit()).as(create.describe("exit")).isEqualTo(2);
      assertThat(create.stderr())
          .contains("localhost:v1: Cannot close: Input/output error")
          .contains("Exiting with failure status due to previous errors");
    }
    for (String v : List.of("v1", "v2")) {
      Path file = tapes.resolve(v + ".tap");
      assertThat(Files.size(file)).as(v).isLessThanOrEqualTo(200 * 1024);
      assertThat(TapeContents.read(file).records()).as(v).isPositive();
    }

    Path out = Files.createDirectory(tmp.resolve("out"));
    tar(rsh, "-M", "-xf", "localhost:v1", "-f", "localhost:v2", "-C", out).run().ok();
    assertThat(TreeDiff.compare(big, out, Set.of())).isEmpty();
  }

  /** Collects what {@link TapeContents} saw, for failure messages. */
  static List<Integer> layout(Path tape) throws TapeException {
    return new ArrayList<>(TapeContents.read(tape).layout());
  }
}
