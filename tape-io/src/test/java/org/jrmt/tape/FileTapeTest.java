package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

class FileTapeTest {
  @TempDir Path dir;

  @Test
  void readsReturnUpToTheRequestedBytesAndZeroAtEndOfFile() throws Exception {
    Path f = Files.write(dir.resolve("f"), "hello world".getBytes(StandardCharsets.US_ASCII));
    try (FileTape tape = FileTape.open(f, OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(5);
      assertThat(tape.read(buf)).isEqualTo(5);
      assertThat(new String(buf.array(), StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(tape.read(ByteBuffer.allocate(100))).isEqualTo(6);
      assertThat(tape.read(ByteBuffer.allocate(100))).isZero();
    }
  }

  @Test
  void aRegularFileTellsHowMuchTheNextReadReturnsADeviceDoesNot() throws Exception {
    Path f = Files.write(dir.resolve("f"), "hello world".getBytes(StandardCharsets.US_ASCII));
    try (FileTape tape = FileTape.open(f, OpenMode.readOnly())) {
      assertThat(tape.nextReadLength()).isEqualTo(11);
      tape.read(ByteBuffer.allocate(5));
      assertThat(tape.nextReadLength()).isEqualTo(6);
      tape.read(ByteBuffer.allocate(100));
      assertThat(tape.nextReadLength()).isZero();
    }
    try (FileTape tape = FileTape.open(f, OpenMode.writeOnly())) {
      assertThat(tape.nextReadLength()).as("not open for reading").isEqualTo(-1);
    }
    try (FileTape tape = FileTape.open(Path.of("/dev/zero"), OpenMode.readOnly())) {
      assertThat(tape.nextReadLength()).as("a device cannot tell").isEqualTo(-1);
    }
  }

  @Test
  void seekAndTellWorkLikeLseek() throws Exception {
    Path f = dir.resolve("f");
    try (FileTape tape =
        FileTape.open(
            f, OpenMode.readWrite().with(OpenMode.Flag.CREATE, OpenMode.Flag.EXCLUSIVE))) {
      assertThat(tape.write(ByteBuffer.wrap("abcdef".getBytes(StandardCharsets.US_ASCII))))
          .isEqualTo(6);
      assertThat(tape.tell()).isEqualTo(6);
      assertThat(tape.seek(2, Whence.SET)).isEqualTo(2);
      assertThat(tape.seek(1, Whence.CURRENT)).isEqualTo(3);
      ByteBuffer buf = ByteBuffer.allocate(10);
      assertThat(tape.read(buf)).isEqualTo(3);
      assertThat(tape.seek(-1, Whence.END)).isEqualTo(5);
      assertThatThrownBy(() -> tape.seek(-10, Whence.CURRENT))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }
    assertThatThrownBy(
            () ->
                FileTape.open(
                    f, OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.EXCLUSIVE)))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
  }

  @Test
  void truncateAndAppendFollowOpenFlags() throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});
    try (FileTape tape = FileTape.open(f, OpenMode.writeOnly().with(OpenMode.Flag.APPEND))) {
      tape.write(ByteBuffer.wrap(new byte[] {4}));
    }
    assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3, 4);
    try (FileTape tape = FileTape.open(f, OpenMode.writeOnly().with(OpenMode.Flag.TRUNCATE))) {
      tape.write(ByteBuffer.wrap(new byte[] {9}));
    }
    assertThat(Files.readAllBytes(f)).containsExactly(9);
  }

  @Test
  void everyTapeOperationFailsWithEnotty() throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[] {1});
    List<ThrowingConsumer<Tape>> ops =
        List.of(
            t -> t.writeFilemarks(1),
            t -> t.spaceFiles(1),
            t -> t.spaceRecords(-1),
            Tape::rewind,
            Tape::unload,
            Tape::seekEndOfData,
            Tape::erase,
            Tape::position,
            Tape::status,
            t -> t.execute(TapeOp.NOP, 1));
    try (FileTape tape = FileTape.open(f, OpenMode.readWrite())) {
      for (ThrowingConsumer<Tape> op : ops) {
        assertThatThrownBy(() -> op.accept(tape))
            .isInstanceOfSatisfying(
                TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
      }
    }
  }

  @Test
  void devNullSwallowsWritesAndReadsAsEmpty() throws Exception {
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.isWritable(devNull), "/dev/null is not available");
    try (FileTape tape = FileTape.open(devNull, OpenMode.readWrite())) {
      assertThat(tape.write(ByteBuffer.allocate(65536))).isEqualTo(65536);
      assertThat(tape.read(ByteBuffer.allocate(10))).isZero();
    }
  }

  @Test
  void devFullWritesFailWithEnospc() throws Exception {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.isWritable(devFull), "/dev/full is not available");
    try (FileTape tape = FileTape.open(devFull, OpenMode.writeOnly())) {
      assertThatThrownBy(() -> tape.write(ByteBuffer.allocate(512)))
          .isInstanceOfSatisfying(TapeException.class, e -> assertThat(e.isEndOfTape()).isTrue());
    }
  }

  @Test
  void openErrorsCarryTheirErrno() {
    assertThatThrownBy(() -> FileTape.open(dir.resolve("missing"), OpenMode.readOnly()))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
  }

  @Test
  void accessModesAreEnforcedWithEbadf() throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[] {1});
    try (FileTape tape = FileTape.open(f, OpenMode.readOnly())) {
      assertThatThrownBy(() -> tape.write(ByteBuffer.allocate(1)))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }
    FileTape closed = FileTape.open(f, OpenMode.writeOnly());
    assertThatThrownBy(() -> closed.read(ByteBuffer.allocate(1)))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    closed.close();
    assertThatThrownBy(closed::tell)
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
  }
}
