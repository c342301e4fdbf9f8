package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;
import org.jrmt.protocol.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimhTapeTest {
  @TempDir Path dir;

  private static final SimhTape.Options NO_CLOSING_MARK =
      SimhTape.Options.defaults().withFilemarkOnClose(false);

  private static final OpenMode CREATE_RW =
      OpenMode.readWrite().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE);

  private Path tap() {
    return dir.resolve("t.tap");
  }

  private static byte[] readRecord(Tape tape) throws TapeException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    int n = tape.read(buf);
    assertThat(buf.position()).isEqualTo(n);
    return Arrays.copyOf(buf.array(), n);
  }

  private static void write(Tape tape, byte[] data) throws TapeException {
    assertThat(tape.write(ByteBuffer.wrap(data))).isEqualTo(data.length);
  }

  @Test
  void writesTheSimhLayoutWithPaddingAndFilemarks() throws Exception {
    try (SimhTape tape = SimhTape.open(tap(), CREATE_RW, NO_CLOSING_MARK)) {
      write(tape, new byte[] {1, 2, 3});
      tape.writeFilemarks(1);
      write(tape, new byte[] {9, 8});
    }
    byte[] expected =
        new SimhImage().record(new byte[] {1, 2, 3}).mark().record(new byte[] {9, 8}).bytes();
    assertThat(Files.readAllBytes(tap())).isEqualTo(expected);
    assertThat(expected).hasSize((4 + 3 + 1 + 4) + 4 + (4 + 2 + 4));
  }

  @Test
  void closingAfterWritingRecordsWritesOneFilemark() throws Exception {
    try (SimhTape tape = SimhTape.open(tap(), CREATE_RW)) {
      write(tape, new byte[] {1, 2});
    }
    assertThat(Files.readAllBytes(tap()))
        .isEqualTo(new SimhImage().record(new byte[] {1, 2}).mark().bytes());
  }

  @Test
  void readsRecordsAndFilemarksAndReportsEndOfDataOnceThenEio() throws Exception {
    new SimhImage()
        .record(SimhImage.bytes(5, 1))
        .record(SimhImage.bytes(6, 2))
        .mark()
        .record(SimhImage.bytes(7, 3))
        .writeTo(tap());
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(5, 1));
      assertThat(tape.position()).isEqualTo(new TapePosition(0, 1));
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(6, 2));
      assertThat(readRecord(tape)).isEmpty();
      assertThat(tape.position()).isEqualTo(new TapePosition(1, 0));
      assertThat(tape.status().afterFilemark()).isTrue();
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(7, 3));
      assertThat(tape.status().endOfData()).isTrue();
      assertThat(readRecord(tape)).isEmpty();
      assertThatThrownBy(() -> readRecord(tape))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
    }
  }

  @Test
  void readsImagesFromOtherToolsSkippingGapsPrivateRecordsAndStoppingAtEndOfMedium()
      throws Exception {
    new SimhImage()
        .word(SimhFormat.ERASE_GAP)
        .record(0xE, "tape description".getBytes())
        .record(SimhImage.bytes(3, 1))
        .word(0x70000001) // private marker
        .record(3, SimhImage.bytes(4, 9)) // private record
        .record(8, SimhImage.bytes(2, 4)) // bad data
        .record(SimhImage.bytes(4, 2))
        .word(SimhFormat.HALF_GAP_FORWARD)
        .raw((byte) 0xff, (byte) 0xff) // rest of the erased word after the half gap
        .mark()
        .word(SimhFormat.END_OF_MEDIUM)
        .record(SimhImage.bytes(9, 9)) // beyond the end of medium: never read
        .writeTo(tap());
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(3, 1));
      assertThatThrownBy(() -> readRecord(tape))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      assertThat(tape.position()).isEqualTo(new TapePosition(0, 2));
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(4, 2));
      assertThat(readRecord(tape)).isEmpty();
      assertThat(tape.position()).isEqualTo(new TapePosition(1, 0));
      assertThat(tape.status().endOfData()).isTrue();
      assertThat(readRecord(tape)).isEmpty();
      // Backward over the whole thing, with gaps, private objects and the bad record in the way.
      tape.spaceFiles(-1);
      tape.spaceRecords(-3);
      assertThat(tape.status().beginningOfTape()).isFalse();
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(3, 1));
    }
  }

  @Test
  void aRecordLongerThanTheBufferFailsWithEnomemAndIsSkipped() throws Exception {
    new SimhImage().record(SimhImage.bytes(100, 1)).record(SimhImage.bytes(10, 2)).writeTo(tap());
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      ByteBuffer small = ByteBuffer.allocate(99);
      assertThatThrownBy(() -> tape.read(small))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
      assertThat(small.position()).isZero();
      assertThat(tape.read(small)).isEqualTo(10);
      assertThat(Arrays.copyOf(small.array(), 10)).isEqualTo(SimhImage.bytes(10, 2));
    }
  }

  @Test
  void spacingRecordsStopsPastAFilemarkWithEio() throws Exception {
    new SimhImage()
        .record(SimhImage.bytes(2, 1))
        .mark()
        .record(SimhImage.bytes(2, 2))
        .record(SimhImage.bytes(2, 3))
        .writeTo(tap());
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      assertThatThrownBy(() -> tape.spaceRecords(5))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      assertThat(tape.position()).isEqualTo(new TapePosition(1, 0));
      tape.spaceRecords(2);
      assertThat(tape.position()).isEqualTo(new TapePosition(1, 2));
      tape.spaceRecords(-1);
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(2, 3));
      assertThatThrownBy(() -> tape.spaceRecords(-3))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      // Crossed the mark backward: before it, block number unknown, like st.
      assertThat(tape.position()).isEqualTo(new TapePosition(0, TapePosition.UNKNOWN));
      assertThat(readRecord(tape)).isEmpty();
      assertThat(tape.position()).isEqualTo(new TapePosition(1, 0));
      tape.rewind();
      assertThatThrownBy(() -> tape.spaceRecords(-1))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      assertThat(tape.status().beginningOfTape()).isTrue();
    }
  }

  @Test
  void spacingFilesLeavesTheTapeAfterForwardAndBeforeBackward() throws Exception {
    new SimhImage()
        .record(SimhImage.bytes(2, 1))
        .mark()
        .record(SimhImage.bytes(2, 2))
        .mark()
        .record(SimhImage.bytes(2, 3))
        .writeTo(tap());
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      tape.spaceFiles(2);
      assertThat(tape.position()).isEqualTo(new TapePosition(2, 0));
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(2, 3));
      tape.spaceFiles(-1);
      assertThat(tape.position().fileNumber()).isEqualTo(1);
      assertThat(readRecord(tape)).isEmpty();
      assertThatThrownBy(() -> tape.spaceFiles(1))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      tape.seekEndOfData();
      assertThat(tape.position()).isEqualTo(new TapePosition(2, 1));
      assertThat(tape.status().endOfData()).isTrue();
      assertThatThrownBy(() -> tape.spaceFiles(-3))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      assertThat(tape.status().beginningOfTape()).isTrue();
      assertThat(tape.position()).isEqualTo(TapePosition.BOT);
    }
  }

  @Test
  void writingAfterRepositioningCutsOffTheRestOfTheTape() throws Exception {
    try (SimhTape tape = SimhTape.open(tap(), CREATE_RW, NO_CLOSING_MARK)) {
      write(tape, SimhImage.bytes(10, 1));
      write(tape, SimhImage.bytes(10, 2));
      tape.writeFilemarks(1);
      write(tape, SimhImage.bytes(10, 3));
      tape.rewind();
      tape.spaceRecords(1);
      write(tape, SimhImage.bytes(3, 4));
      assertThat(tape.status().endOfData()).isTrue();
      tape.rewind();
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(10, 1));
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(3, 4));
      assertThat(readRecord(tape)).isEmpty();
      assertThatThrownBy(() -> readRecord(tape)).isInstanceOf(TapeException.class);
    }
    assertThat(Files.size(tap())).isEqualTo(18 + 12);
  }

  @Test
  void eraseCutsTheTapeAtThePosition() throws Exception {
    try (SimhTape tape = SimhTape.open(tap(), CREATE_RW, NO_CLOSING_MARK)) {
      write(tape, SimhImage.bytes(10, 1));
      write(tape, SimhImage.bytes(10, 2));
      tape.spaceRecords(-1);
      tape.erase();
      tape.rewind();
      tape.seekEndOfData();
      assertThat(tape.position()).isEqualTo(new TapePosition(0, 1));
    }
    assertThat(Files.size(tap())).isEqualTo(18);
  }

  @Test
  void writeProtectionRefusesWriteOpensAndReadOnlyOpensRefuseWrites() throws Exception {
    new SimhImage().record(SimhImage.bytes(4, 1)).writeTo(tap());
    SimhTape.Options prot = SimhTape.Options.defaults().withWriteProtected(true);
    assertThatThrownBy(() -> SimhTape.open(tap(), OpenMode.readWrite(), prot))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EROFS));
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly(), prot)) {
      assertThat(tape.status().writeProtected()).isTrue();
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(4, 1));
    }
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      assertThatThrownBy(() -> tape.write(ByteBuffer.wrap(new byte[] {1})))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
      assertThatThrownBy(() -> tape.writeFilemarks(1))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
      assertThatThrownBy(tape::erase)
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }
    assertThat(Files.readAllBytes(tap()))
        .isEqualTo(new SimhImage().record(SimhImage.bytes(4, 1)).bytes());
  }

  @Test
  void writeOnlyTapesRefuseReads() throws Exception {
    try (SimhTape tape =
        SimhTape.open(tap(), OpenMode.writeOnly().with(OpenMode.Flag.CREATE), NO_CLOSING_MARK)) {
      write(tape, new byte[] {1});
      assertThatThrownBy(() -> tape.read(ByteBuffer.allocate(10)))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }
  }

  @Test
  void openingAMissingTapeWithoutCreateFailsWithEnoent() {
    assertThatThrownBy(() -> SimhTape.open(tap(), OpenMode.readWrite()))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
  }

  @Test
  void unloadTakesTheTapeOfflineAndSeekIsNotForTapes() throws Exception {
    try (SimhTape tape = SimhTape.open(tap(), CREATE_RW)) {
      assertThatThrownBy(() -> tape.seek(0, Whence.SET))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESPIPE));
      assertThatThrownBy(tape::tell)
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESPIPE));
      tape.unload();
      assertThat(tape.status().online()).isFalse();
      assertThatThrownBy(tape::rewind)
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEDIUM));
    }
  }

  @Test
  void closedTapesFailWithEbadfAndCloseIsIdempotent() throws Exception {
    SimhTape tape = SimhTape.open(tap(), CREATE_RW);
    tape.close();
    tape.close();
    assertThatThrownBy(tape::status)
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
  }

  @Test
  void executeDispatchesPortableOperations() throws Exception {
    try (SimhTape tape = SimhTape.open(tap(), CREATE_RW, NO_CLOSING_MARK)) {
      write(tape, new byte[] {1});
      tape.execute(TapeOp.WEOF, 2);
      tape.execute(TapeOp.REWIND, 1);
      tape.execute(TapeOp.FSF, 2);
      assertThat(tape.position()).isEqualTo(new TapePosition(2, 0));
      tape.execute(TapeOp.BSF, 2);
      assertThat(tape.position().fileNumber()).isZero();
      tape.execute(TapeOp.BSR, 1);
      assertThat(tape.status().beginningOfTape()).isTrue();
      assertThatThrownBy(() -> tape.execute(TapeOp.WEOF, -1))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }
  }

  @Test
  void aTornTailIsCutBackToTheLastWholeObjectWithALogLine() throws Exception {
    byte[] whole = new SimhImage().record(SimhImage.bytes(10, 1)).mark().bytes();
    byte[] torn = new SimhImage().record(SimhImage.bytes(10, 2)).bytes();
    Files.write(tap(), concat(whole, Arrays.copyOf(torn, torn.length - 3)));
    try (LogCapture logs = new LogCapture();
        SimhTape tape = SimhTape.open(tap(), OpenMode.readWrite(), NO_CLOSING_MARK)) {
      assertThat(logs.text())
          .contains("Torn tail")
          .contains("cut " + (torn.length - 3) + " bytes at offset " + whole.length);
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(10, 1));
      assertThat(readRecord(tape)).isEmpty();
      assertThat(tape.status().endOfData()).isTrue();
    }
    assertThat(Files.readAllBytes(tap())).isEqualTo(whole);
  }

  @Test
  void aTornTailIsIgnoredButKeptWhenOpenedReadOnly() throws Exception {
    byte[] whole = new SimhImage().record(SimhImage.bytes(10, 1)).bytes();
    byte[] file = concat(whole, new byte[] {10, 0});
    Files.write(tap(), file);
    try (LogCapture logs = new LogCapture();
        SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      assertThat(logs.text()).contains("Torn tail").contains("opened read-only");
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(10, 1));
      assertThat(readRecord(tape)).isEmpty();
    }
    assertThat(Files.readAllBytes(tap())).isEqualTo(file);
  }

  /**
   * Issue 14 item 13: a writer killed mid-backup leaves its last file without the closing filemark.
   * Opened for writing, the tape gets that filemark, so the crashed file stays file 1 and the next
   * backup is file 2 (what {@code restore -s 3} and {@code mt fsf 2} count on), not part of it.
   */
  @Test
  void aLastFileLeftOpenByACrashGetsItsClosingFilemark() throws Exception {
    byte[] crashed =
        new SimhImage()
            .record(SimhImage.bytes(10, 1))
            .mark()
            .record(SimhImage.bytes(10, 2))
            .record(SimhImage.bytes(10, 3))
            .bytes();
    Files.write(tap(), crashed);
    try (LogCapture logs = new LogCapture();
        SimhTape tape = SimhTape.open(tap(), OpenMode.readWrite())) {
      assertThat(logs.text()).contains("without the filemark closing its last file");
      tape.seekEndOfData();
      assertThat(tape.position()).as("the next backup is file 2").isEqualTo(new TapePosition(2, 0));
      write(tape, SimhImage.bytes(10, 4));
    }
    assertThat(Files.readAllBytes(tap()))
        .isEqualTo(
            concat(crashed, new SimhImage().mark().record(SimhImage.bytes(10, 4)).mark().bytes()));
  }

  @Test
  void aTornTailIsCutAndTheCrashedFileClosed() throws Exception {
    byte[] whole = new SimhImage().record(SimhImage.bytes(10, 1)).bytes();
    byte[] torn = new SimhImage().record(SimhImage.bytes(10, 2)).bytes();
    Files.write(tap(), concat(whole, Arrays.copyOf(torn, 7)));
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readWrite())) {
      assertThat(tape.status().endOfData()).isFalse();
    }
    assertThat(Files.readAllBytes(tap())).isEqualTo(concat(whole, new SimhImage().mark().bytes()));
  }

  @Test
  void noClosingFilemarkIsAddedWhenReadingOrWhenTheTapeWasClosedOrWrittenWithoutOne()
      throws Exception {
    byte[] open = new SimhImage().record(SimhImage.bytes(10, 1)).bytes();
    Files.write(tap(), open);
    try (LogCapture logs = new LogCapture();
        SimhTape tape = SimhTape.open(tap(), OpenMode.readOnly())) {
      assertThat(logs.text()).contains("opened read-only");
      assertThat(readRecord(tape)).isEqualTo(SimhImage.bytes(10, 1));
    }
    assertThat(Files.readAllBytes(tap())).as("read-only: unchanged").isEqualTo(open);
    SimhTape.open(tap(), OpenMode.readWrite(), NO_CLOSING_MARK).close();
    assertThat(Files.readAllBytes(tap())).as("a tape written without marks").isEqualTo(open);
    byte[] closed = new SimhImage().record(SimhImage.bytes(10, 1)).mark().bytes();
    Files.write(tap(), closed);
    SimhTape.open(tap(), OpenMode.readWrite()).close();
    assertThat(Files.readAllBytes(tap())).as("closed properly").isEqualTo(closed);
    byte[] endOfMedium = concat(open, new SimhImage().word(0xFFFFFFFF).bytes());
    Files.write(tap(), endOfMedium);
    SimhTape.open(tap(), OpenMode.readWrite()).close();
    assertThat(Files.readAllBytes(tap()))
        .as("recorded data ending at an end-of-medium marker ends there on purpose")
        .isEqualTo(endOfMedium);
    SimhTape.Options full = SimhTape.Options.defaults().withCapacity(open.length + 3);
    Files.write(tap(), open);
    try (LogCapture logs = new LogCapture();
        SimhTape tape = SimhTape.open(tap(), OpenMode.readWrite(), full)) {
      assertThat(logs.text()).contains("no room");
    }
    assertThat(Files.readAllBytes(tap())).as("no room for the mark").isEqualTo(open);
  }

  @Test
  void moreFilemarksThanAnyClientWritesAreRefused() throws Exception {
    try (SimhTape tape = SimhTape.open(tap(), CREATE_RW)) {
      assertThatThrownBy(() -> tape.writeFilemarks(Integer.MAX_VALUE))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
      tape.writeFilemarks(SimhTape.MAX_FILEMARKS);
    }
    assertThat(Files.size(tap())).isEqualTo(4L * SimhTape.MAX_FILEMARKS);
  }

  @Test
  void damageInTheMiddleIsNotMistakenForATornTail() throws Exception {
    byte[] image =
        new SimhImage().record(SimhImage.bytes(4, 1)).record(SimhImage.bytes(4, 2)).bytes();
    image[8] = 9; // first record's trailing length word no longer matches
    Files.write(tap(), image);
    try (SimhTape tape = SimhTape.open(tap(), OpenMode.readWrite())) {
      assertThatThrownBy(() -> readRecord(tape))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
    }
    assertThat(Files.readAllBytes(tap())).isEqualTo(image);
  }

  @Test
  void syncPoliciesAllWriteTheSameBytes() throws Exception {
    for (SyncPolicy policy : SyncPolicy.values()) {
      Path file = dir.resolve(policy + ".tap");
      try (SimhTape tape =
          SimhTape.open(file, CREATE_RW, SimhTape.Options.defaults().withSyncPolicy(policy))) {
        write(tape, SimhImage.bytes(5, 1));
        tape.writeFilemarks(0);
      }
      assertThat(Files.readAllBytes(file))
          .isEqualTo(new SimhImage().record(SimhImage.bytes(5, 1)).mark().bytes());
    }
    assertThat(SyncPolicy.DEFAULT).isEqualTo(SyncPolicy.FILEMARK_AND_CLOSE);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void aSecondWriterIsRefusedAndCannotTruncateTheFirstOnesTape() throws Exception {
    Path p = dir.resolve("shared.tap");
    try (SimhTape first = SimhTape.open(p, OpenMode.writeOnly().with(OpenMode.Flag.CREATE))) {
      first.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      assertThatThrownBy(
              () ->
                  SimhTape.open(
                      p, OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE)))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
      assertThatThrownBy(() -> SimhTape.open(p, OpenMode.readOnly()))
          .as("nor may anyone read it while it is being written")
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
      assertThat(Files.size(p)).isEqualTo(12);
    }
  }

  @Test
  void aSymbolicLinkWhereATapeShouldBeIsNotFollowed() throws Exception {
    Path target = Files.writeString(dir.resolve("elsewhere"), "precious");
    Path link = Files.createSymbolicLink(dir.resolve("link.tap"), target);
    assertThatThrownBy(() -> SimhTape.open(link, OpenMode.readWrite().with(OpenMode.Flag.TRUNCATE)))
        .isInstanceOf(TapeException.class);
    assertThat(Files.readString(target)).isEqualTo("precious");
  }
}
