package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GNU mt 2.13 ({@code mt-gnu}, from cpio) driving a virtual tape through {@code jrmt}. mt opens
 * without O_CREAT ({@code 0 O_RDONLY}, or {@code 1 O_WRONLY} for eof), so each test first puts a
 * tape in the tape directory; an empty file is a blank tape.
 */
class GnuMtInteropTest {
  @TempDir Path tmp;
  private Path mt;
  private Path tapes;
  private Path rsh;

  @BeforeEach
  void setUp() throws Exception {
    mt = Peers.require("mt-gnu");
    tapes = Files.createDirectory(tmp.resolve("tapes"));
    rsh = RshScript.jrmt(tmp, tapes);
  }

  private Proc.Result mt(String... command) {
    return Proc.of(mt, "-f", "localhost:m1", "--rsh-command=" + rsh).args((Object[]) command).run();
  }

  /** Writes {@code m1.tap}: record "first", filemark, record "second", filemark. */
  private void twoFileTape() throws Exception {
    try (SimhTape t =
        SimhTape.open(tapes.resolve("m1.tap"), OpenMode.readWrite().with(OpenMode.Flag.CREATE))) {
      t.write(ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII)));
      t.writeFilemarks(1);
      t.write(ByteBuffer.wrap("second".getBytes(StandardCharsets.US_ASCII)));
      t.writeFilemarks(1);
    }
  }

  @Test
  void eofWritesFilemarksOnABlankTape() throws Exception {
    Files.write(tapes.resolve("m1.tap"), new byte[0]);
    mt("eof", "2").ok(); // O…1 O_WRONLY, I5\n2\n
    TapeContents tape = TapeContents.read(tapes.resolve("m1.tap"));
    assertThat(tape.layout()).containsExactly(TapeContents.FILEMARK, TapeContents.FILEMARK);
  }

  @Test
  void eofAtTheBeginningOfAWrittenTapeReplacesItsContents() throws Exception {
    // A new session starts at the beginning of the tape; writing there ends the recorded data.
    twoFileTape();
    mt("weof", "1").ok();
    assertThat(TapeContents.read(tapes.resolve("m1.tap")).layout())
        .containsExactly(TapeContents.FILEMARK);
  }

  @Test
  void rewindAndForwardSpacingSucceedWithinTheRecordedFiles() throws Exception {
    twoFileTape();
    mt("rewind").ok(); // I6\n1\n
    mt("fsf", "1").ok(); // I1\n1\n: over the first filemark
    mt("fsf", "2").ok(); // over both filemarks, to the end of data
    // The tape is untouched by motion.
    assertThat(TapeContents.read(tapes.resolve("m1.tap")).layout())
        .containsExactly(5, TapeContents.FILEMARK, 6, TapeContents.FILEMARK);
  }

  @Test
  void forwardSpacingPastTheEndOfDataFailsWithEio() throws Exception {
    twoFileTape();
    Proc.Result r = mt("fsf", "3"); // I1\n3\n → E5
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("localhost:m1: rmtioctl failed: Input/output error");
  }

  @Test
  void statusIsRejectedByGnuMt213() throws Exception {
    // mt status sends I8\n1\n (MTNOP) then S. jrmt answers A48 + the 48-byte Linux x86-64 struct
    // mtget, which is what Linux rmt servers send; GNU rtapelib 1.34 / cpio 2.13 rejects any S
    // reply longer than sizeof(struct mtop) = 8 with EOVERFLOW (a client bug, fixed upstream in
    // 2024; reference §4). So status can never work with this mt against a Linux-layout server.
    twoFileTape();
    Proc.Result r = mt("status");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr())
        .endsWith(": localhost:m1: rmtioctl failed: Value too large for defined data type\n");
  }

  @Test
  void aMissingTapeIsNotCreatedByMt() throws Exception {
    Proc.Result r = mt("rewind");
    assertThat(r.exit()).isNotZero();
    assertThat(r.stderr()).contains("localhost:m1: rmtopen failed: No such file or directory");
    try (Stream<Path> left = Files.list(tapes)) {
      assertThat(left.toList()).isEqualTo(List.of());
    }
  }
}
