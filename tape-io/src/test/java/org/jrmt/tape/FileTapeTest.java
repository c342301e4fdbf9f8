package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Plain files and character devices as tapes, each opened by path and from a handle. */
class FileTapeTest {
  @TempDir Path dir;

  /** The two ways to open an existing file: by its path, or from an O_PATH handle on it. */
  enum Opener {
    BY_PATH {
      @Override
      FileTape open(Path p, OpenMode mode) throws Exception {
        return FileTape.open(p, mode);
      }
    },
    BY_HANDLE {
      @Override
      FileTape open(Path p, OpenMode mode) throws Exception {
        try (Directory d = Directory.open(p.getParent());
            FileHandle h = d.handle(FileName.of(p.getFileName().toString()))) {
          return FileTape.open(h, mode);
        }
      }
    };

    abstract FileTape open(Path p, OpenMode mode) throws Exception;
  }

  @ParameterizedTest
  @EnumSource(Opener.class)
  void readsReturnUpToTheRequestedBytesAndZeroAtEndOfFile(Opener opener) throws Exception {
    Path f = Files.write(dir.resolve("f"), "hello world".getBytes(StandardCharsets.US_ASCII));
    try (FileTape tape = opener.open(f, OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(5);
      assertThat(tape.read(buf)).isEqualTo(5);
      assertThat(new String(buf.array(), StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(tape.read(ByteBuffer.allocate(100))).isEqualTo(6);
      assertThat(tape.read(ByteBuffer.allocate(100))).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Opener.class)
  void aRegularFileTellsHowMuchTheNextReadReturnsADeviceDoesNot(Opener opener) throws Exception {
    Path f = Files.write(dir.resolve("f"), "hello world".getBytes(StandardCharsets.US_ASCII));
    try (FileTape tape = opener.open(f, OpenMode.readOnly())) {
      assertThat(tape.nextReadLength()).isEqualTo(11);
      tape.read(ByteBuffer.allocate(5));
      assertThat(tape.nextReadLength()).isEqualTo(6);
      tape.read(ByteBuffer.allocate(100));
      assertThat(tape.nextReadLength()).isZero();
    }
    try (FileTape tape = opener.open(f, OpenMode.writeOnly())) {
      assertThat(tape.nextReadLength()).as("not open for reading").isEqualTo(-1);
    }
    try (FileTape tape = FileTape.open(Path.of("/dev/zero"), OpenMode.readOnly())) {
      assertThat(tape.nextReadLength()).as("a device cannot tell").isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @EnumSource(Opener.class)
  void seekAndTellWorkLikeLseek(Opener opener) throws Exception {
    Path f = Files.createFile(dir.resolve("f"));
    try (FileTape tape = opener.open(f, OpenMode.readWrite())) {
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
      assertThat(tape.tell()).isEqualTo(5);
    }
  }

  @Test
  void exclusiveCreateMakesANewFileOnly() throws Exception {
    Path f = dir.resolve("f");
    FileTape.open(f, OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.EXCLUSIVE))
        .close();
    assertThat(f).exists();
    assertThatThrownBy(
            () ->
                FileTape.open(
                    f, OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.EXCLUSIVE)))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
  }

  @ParameterizedTest
  @EnumSource(Opener.class)
  void truncateAndAppendFollowOpenFlags(Opener opener) throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});
    try (FileTape tape = opener.open(f, OpenMode.writeOnly().with(OpenMode.Flag.APPEND))) {
      tape.seek(0, Whence.SET);
      tape.write(ByteBuffer.wrap(new byte[] {4}));
    }
    assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3, 4);
    try (FileTape tape = opener.open(f, OpenMode.readOnly().with(OpenMode.Flag.TRUNCATE))) {
      assertThat(tape.read(ByteBuffer.allocate(10)))
          .as("no truncation without writing")
          .isEqualTo(4);
    }
    try (FileTape tape = opener.open(f, OpenMode.writeOnly().with(OpenMode.Flag.TRUNCATE))) {
      tape.write(ByteBuffer.wrap(new byte[] {9}));
    }
    assertThat(Files.readAllBytes(f)).containsExactly(9);
  }

  @ParameterizedTest
  @EnumSource(Opener.class)
  void everyTapeOperationFailsWithEnotty(Opener opener) throws Exception {
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
    try (FileTape tape = opener.open(f, OpenMode.readWrite())) {
      for (ThrowingConsumer<Tape> op : ops) {
        assertThatThrownBy(() -> op.accept(tape))
            .isInstanceOfSatisfying(
                TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Opener.class)
  void devNullSwallowsWritesAndReadsAsEmpty(Opener opener) throws Exception {
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.isWritable(devNull), "/dev/null is not available");
    try (FileTape tape = opener.open(devNull, OpenMode.readWrite())) {
      assertThat(tape.write(ByteBuffer.allocate(65536))).isEqualTo(65536);
      assertThat(tape.read(ByteBuffer.allocate(10))).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Opener.class)
  void devFullWritesFailWithEnospc(Opener opener) throws Exception {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.isWritable(devFull), "/dev/full is not available");
    try (FileTape tape = opener.open(devFull, OpenMode.writeOnly())) {
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

  @ParameterizedTest
  @EnumSource(Opener.class)
  void accessModesAreEnforcedWithEbadf(Opener opener) throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[] {1});
    try (FileTape tape = opener.open(f, OpenMode.readOnly())) {
      assertThatThrownBy(() -> tape.write(ByteBuffer.allocate(1)))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }
    FileTape closed = opener.open(f, OpenMode.writeOnly());
    assertThatThrownBy(() -> closed.read(ByteBuffer.allocate(1)))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    closed.close();
    assertThatThrownBy(closed::tell)
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
  }

  @Test
  void aHandleOpensTheInodeItHoldsWhateverItsNameBecame() throws Exception {
    Files.writeString(dir.resolve("f"), "mine");
    Files.writeString(dir.resolve("other"), "other");
    try (Directory d = Directory.open(dir);
        FileHandle h = d.handle(FileName.of("f"))) {
      Files.move(dir.resolve("f"), dir.resolve("moved"));
      Files.createSymbolicLink(dir.resolve("f"), dir.resolve("other"));
      try (FileTape tape = FileTape.open(h, OpenMode.readWrite().with(OpenMode.Flag.TRUNCATE))) {
        tape.write(ByteBuffer.wrap("new".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(tape::rewind)
            .isInstanceOfSatisfying(
                TapeException.class,
                e -> assertThat(e.getMessage()).isEqualTo(dir + "/f is not a tape"));
      }
    }
    assertThat(Files.readString(dir.resolve("moved"))).isEqualTo("new");
    assertThat(Files.readString(dir.resolve("other"))).isEqualTo("other");
  }

  @Test
  void openingFromAHandleKeepsTheErrnoAndNeverBlocks() throws Exception {
    Files.createDirectory(dir.resolve("sub"));
    try (Directory d = Directory.open(dir)) {
      d.mknod(FileName.of("socket"), FileStatus.S_IFSOCK | 0600, 0);
      d.mknod(FileName.of("fifo"), FileStatus.S_IFIFO | 0600, 0);
      try (FileHandle sub = d.handle(FileName.of("sub"));
          FileHandle socket = d.handle(FileName.of("socket"));
          FileHandle fifo = d.handle(FileName.of("fifo"))) {
        assertThatThrownBy(() -> FileTape.open(sub, OpenMode.writeOnly()))
            .isInstanceOfSatisfying(
                TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EISDIR));
        assertThatThrownBy(() -> FileTape.open(socket, OpenMode.readOnly()))
            .isInstanceOfSatisfying(
                TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENXIO));
        // No reader: a blocking open would wait for one for ever; this one fails at once.
        assertThatThrownBy(() -> FileTape.open(fifo, OpenMode.writeOnly()))
            .isInstanceOfSatisfying(
                TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENXIO));
      }
    }
  }
}
