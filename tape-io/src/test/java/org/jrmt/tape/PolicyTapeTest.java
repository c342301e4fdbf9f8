package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link AppendOnlyTape} and {@link ReadOnlyTape} on SIMH tapes, call by call and op by op. */
class PolicyTapeTest {
  private static final String AO = "tape:v append-only (rule 1, user:t)";
  private static final String RO = "tape:v read-only (rule 1, user:t)";
  private static final int[] COUNTS = {0, 1, 2, 1000, Integer.MAX_VALUE};

  @TempDir Path dir;

  /** monday, FM, tuesday, FM: what two closed backups leave. */
  private Path twoBackups() throws Exception {
    return new SimhImage()
        .record("monday".getBytes())
        .mark()
        .record("tuesday".getBytes())
        .mark()
        .writeTo(dir.resolve("v.tap"));
  }

  private static SimhTape openForWriting(Path file) throws TapeException {
    return SimhTape.open(file, OpenMode.readWrite());
  }

  private static ByteBuffer record(String s) {
    return ByteBuffer.wrap(s.getBytes());
  }

  private static void assertRefused(ThrowingCall call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            TapeException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(Errno.EACCES);
              assertThat(e.isRefusal()).isTrue();
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  private static void ignoringFailure(ThrowingCall call) {
    try {
      call.run();
    } catch (Exception e) {
      // The motion may fail; what matters is what a write does after it.
    }
  }

  @Test
  void aWriteOpenIsAtTheEndOfDataAndAppendsTheNextFile() throws Exception {
    Path file = twoBackups();
    try (AppendOnlyTape t = AppendOnlyTape.forWriting(openForWriting(file), AO)) {
      assertThat(t.atEndOfData()).isTrue();
      assertThat(t.position()).isEqualTo(new TapePosition(2, 0));
      t.write(record("wednesday"));
    }
    try (SimhTape t = SimhTape.open(file, OpenMode.readOnly())) {
      assertThat(SimhTapePropertiesTest.readAll(t))
          .containsExactly(
              Arrays.toString("monday".getBytes()),
              "FM",
              Arrays.toString("tuesday".getBytes()),
              "FM",
              Arrays.toString("wednesday".getBytes()),
              "FM");
    }
  }

  @Test
  void aBlankTapeIsItsOwnEndOfData() throws Exception {
    Path file = dir.resolve("blank.tap");
    try (AppendOnlyTape t =
        AppendOnlyTape.forWriting(
            SimhTape.open(file, OpenMode.writeOnly().with(OpenMode.Flag.CREATE)), AO)) {
      assertThat(t.write(record("first"))).isEqualTo(5);
    }
    assertThat(Files.size(file)).isEqualTo(SimhFormat.recordSize(5) + 4);
  }

  @Test
  void aReadOpenStaysAtTheBeginningAndMayNotWrite() throws Exception {
    Path file = twoBackups();
    byte[] before = Files.readAllBytes(file);
    try (AppendOnlyTape t = AppendOnlyTape.forReading(openForWriting(file), AO)) {
      assertThat(t.position()).isEqualTo(TapePosition.BOT);
      assertRefused(() -> t.write(record("x")), "records only at end of data: " + AO);
      assertRefused(() -> t.writeFilemarks(1), "filemarks only at end of data: " + AO);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void eraseIsRefusedEvenAtTheEndOfData() throws Exception {
    Path file = twoBackups();
    try (AppendOnlyTape t = AppendOnlyTape.forWriting(openForWriting(file), AO)) {
      assertRefused(t::erase, "no erase: " + AO);
      assertRefused(() -> t.execute(TapeOp.ERASE, 1), "no erase: " + AO);
      assertThat(t.atEndOfData()).as("refusing moved nothing").isTrue();
    }
  }

  /**
   * Every operation there is, with small and huge counts, right after an append: whether it
   * succeeds or fails half way, a write after it lands at the end of data or is refused.
   */
  @ParameterizedTest
  @EnumSource(TapeOp.class)
  void afterAnyOperationAWriteAppendsOrIsRefused(TapeOp op) throws Exception {
    for (int count : COUNTS) {
      byte[][] tape =
          onTwoBackups(
              file -> AppendOnlyTape.forWriting(openForWriting(file), AO),
              t -> {
                t.write(record("wednesday"));
                ignoringFailure(() -> t.execute(op, count));
                ignoringFailure(() -> t.write(record("cut")));
                ignoringFailure(() -> t.writeFilemarks(1));
              });
      assertThat(Arrays.copyOf(tape[1], tape[0].length)).as("%s %d", op, count).isEqualTo(tape[0]);
    }
  }

  /** Opens a tape for a test. */
  private interface Opener {
    Tape open(Path file) throws Exception;
  }

  /** What a test does with the tape. */
  private interface Session {
    void run(Tape tape) throws Exception;
  }

  /** The bytes of a fresh tape of two backups before and after {@code session} on it. */
  private byte[][] onTwoBackups(Opener opener, Session session) throws Exception {
    Path file = twoBackups();
    byte[] before = Files.readAllBytes(file);
    try (Tape t = opener.open(file)) {
      session.run(t);
    }
    return new byte[][] {before, Files.readAllBytes(file)};
  }

  @Test
  void aFailedBackwardSpaceLeavesNoProofBehind() throws Exception {
    Path file = twoBackups();
    try (AppendOnlyTape t = AppendOnlyTape.forWriting(openForWriting(file), AO)) {
      t.write(record("wednesday"));
      assertThatThrownBy(() -> t.execute(TapeOp.BSF, Integer.MAX_VALUE))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      assertThat(t.position()).as("the failed space moved to BOT").isEqualTo(TapePosition.BOT);
      assertThat(t.atEndOfData()).isFalse();
      assertRefused(() -> t.write(record("cut")), "records only at end of data: " + AO);
      t.execute(TapeOp.EOM, 1);
      t.write(record("thursday"));
    }
  }

  @Test
  void aWriteThatFailsLeavesNoProofButEndOfTapeDoes() throws Exception {
    Path file = twoBackups();
    Tape faulty = Faults.none().failingWrite(2, Errno.EIO).wrap(openForWriting(file));
    try (AppendOnlyTape t = AppendOnlyTape.forWriting(faulty, AO)) {
      t.write(record("one"));
      assertThatThrownBy(() -> t.write(record("two"))).isInstanceOf(TapeException.class);
      assertThat(t.atEndOfData()).as("after EIO the position is not trusted").isFalse();
      assertRefused(() -> t.write(record("three")), "records only at end of data: " + AO);
      t.seekEndOfData();
      t.write(record("three"));
    }
    Path full = dir.resolve("full.tap");
    SimhTape.Options small = SimhTape.Options.defaults().withCapacity(20);
    try (AppendOnlyTape t =
        AppendOnlyTape.forWriting(
            SimhTape.open(full, OpenMode.readWrite().with(OpenMode.Flag.CREATE), small), AO)) {
      assertThatThrownBy(() -> t.write(ByteBuffer.allocate(30)))
          .isInstanceOfSatisfying(TapeException.class, e -> assertThat(e.isEndOfTape()).isTrue());
      assertThat(t.atEndOfData()).as("ENOSPC wrote nothing and moved nothing").isTrue();
      t.writeFilemarks(1);
    }
  }

  @Test
  void anUnterminatedLastFileIsEndedBeforeTheNextBackup() throws Exception {
    // A tape some other writer left ending in the middle of a file (no filemark after tuesday).
    Path file =
        new SimhImage()
            .record("monday".getBytes())
            .mark()
            .record("tuesday".getBytes())
            .writeTo(dir.resolve("open.tap"));
    SimhTape.Options noRepair = SimhTape.Options.defaults().withFilemarkOnClose(false);
    try (AppendOnlyTape t =
        AppendOnlyTape.forWriting(SimhTape.open(file, OpenMode.readWrite(), noRepair), AO)) {
      t.write(record("wednesday"));
      assertThat(t.position()).as("wednesday is file 2").isEqualTo(new TapePosition(2, 1));
    }
  }

  @Test
  void aTapeWhoseEndCannotBeFoundIsClosedAndTheOpenFails() throws Exception {
    // A record whose trailer does not match, followed by more: damage in the middle.
    Path file =
        new SimhImage()
            .word(4)
            .raw(new byte[] {1, 2, 3, 4})
            .word(5)
            .record("later".getBytes())
            .writeTo(dir.resolve("bad.tap"));
    SimhTape simh = openForWriting(file);
    assertThatThrownBy(() -> AppendOnlyTape.forWriting(simh, AO))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
    assertThatThrownBy(simh::status)
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
  }

  /** Every operation there is, on a tape opened for writing: read-only lets none of them write. */
  @ParameterizedTest
  @EnumSource(TapeOp.class)
  void readOnlyChangesNothingWhateverTheOperation(TapeOp op) throws Exception {
    for (int count : COUNTS) {
      byte[][] tape =
          onTwoBackups(
              file -> ReadOnlyTape.of(openForWriting(file), RO),
              t -> {
                t.seekEndOfData();
                ignoringFailure(() -> t.execute(op, count));
                ignoringFailure(() -> t.write(record("x")));
              });
      assertThat(tape[1]).as("%s %d", op, count).isEqualTo(tape[0]);
    }
  }

  @Test
  void readOnlyRefusalsSayWhy() throws Exception {
    Path file = twoBackups();
    try (ReadOnlyTape t = ReadOnlyTape.of(openForWriting(file), RO)) {
      assertRefused(() -> t.write(record("x")), "no write: " + RO);
      assertRefused(() -> t.execute(TapeOp.WEOF, 1), "no filemark: " + RO);
      assertRefused(() -> t.execute(TapeOp.WEOFI, 0), "no filemark: " + RO);
      assertRefused(() -> t.execute(TapeOp.ERASE, 1), "no erase: " + RO);
      ByteBuffer buf = ByteBuffer.allocate(100);
      assertThat(t.read(buf)).as("reads pass").isEqualTo(6);
    }
  }
}
