package org.jrmt.tape;

import java.nio.ByteBuffer;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;

/**
 * A tape: local virtual tapes, plain files, real drives and remote tapes all implement this.
 *
 * <p>A tape is record oriented. {@link #read} transfers exactly one record, {@link #write} writes
 * exactly one record. Filemarks separate files; a read at a filemark returns 0 and moves past it.
 * Plain files ({@link FileTape}) are byte streams instead: reads return up to the requested bytes,
 * and every tape-only operation fails with {@link Errno#ENOTTY}, as {@code ioctl(2)} does on them.
 *
 * <p>Every failure is a {@link TapeException} carrying an {@link Errno}. End of tape on write is
 * reported as {@code ENOSPC} or as a write returning 0, per the backend's {@link EndOfTapeMode}.
 *
 * <p>Tapes are not thread-safe: one caller at a time, as with a file descriptor for a drive.
 */
public interface Tape extends AutoCloseable {

  /**
   * Reads the next record into {@code dst} from its position and advances the buffer position by
   * the record's length.
   *
   * @return the record length; 0 when a filemark was read (the tape is then past it) or, once, at
   *     the end of recorded data
   * @throws TapeException {@code ENOMEM} if the record is longer than {@code dst.remaining()}
   *     (nothing is copied and the tape is past the record, as with st in variable-block mode);
   *     {@code EIO} for a bad record or when reading again at the end of data; {@code EBADF} if not
   *     open for reading
   */
  int read(ByteBuffer dst) throws TapeException;

  /**
   * At most how many bytes the next {@link #read} returns, when the tape can tell without moving:
   * so that a reader can size its buffer to the record rather than to the largest count a client
   * may ask for. A buffer of {@code min(count, nextReadLength())} bytes then reads exactly what one
   * of {@code count} bytes would. Decorators forward it.
   *
   * @return the length of the next record (0 before a filemark or at the end of data), or -1 when
   *     the tape cannot tell (a drive) or the next read will fail anyway
   */
  default int nextReadLength() {
    return -1;
  }

  /**
   * Writes the remaining bytes of {@code src} as one record. Anything after the write point on the
   * tape is lost, as on a real drive.
   *
   * @return the number of bytes written: {@code src.remaining()}, or 0 when the record met the end
   *     of the tape in {@link EndOfTapeMode#ZERO}; in both cases the buffer position advances by it
   * @throws TapeException {@code ENOSPC} at end of tape in {@link EndOfTapeMode#ENOSPC} (nothing
   *     written); {@code EBADF} if not open for writing; {@code EROFS} if write-protected
   */
  int write(ByteBuffer src) throws TapeException;

  /**
   * A writer of records to this tape from its position, for a run of writes whose end of tape is
   * handled by writing the records the tape did not take elsewhere (the next volume). The default
   * writes each record at once through this tape's own {@link #write}, so a tape that wraps another
   * (a policy, a fault injector) applies its checks to every record; a tape that can keep records
   * in flight (a remote one) returns a writer that does.
   */
  default RecordWriter writer() throws TapeException {
    return new SynchronousWriter(this);
  }

  /** Writes {@code count} filemarks ({@code count >= 0}); 0 only flushes. */
  void writeFilemarks(int count) throws TapeException;

  /**
   * Spaces over {@code count} filemarks: forward leaves the tape just after the last one crossed,
   * backward just before it. Hitting the beginning or end of data first throws {@code EIO}.
   */
  void spaceFiles(int count) throws TapeException;

  /**
   * Spaces over {@code count} records (negative = backward). Meeting a filemark stops the motion
   * with {@code EIO} just past the mark in the direction of motion, as SCSI SPACE does; meeting the
   * beginning or end of data also throws {@code EIO}.
   */
  void spaceRecords(int count) throws TapeException;

  /** Rewinds to the beginning of the tape. */
  void rewind() throws TapeException;

  /** Rewinds and takes the tape offline; later motion fails with {@code ENOMEDIUM}. */
  void unload() throws TapeException;

  /** Positions at the end of recorded data, where the next write appends. */
  void seekEndOfData() throws TapeException;

  /** Erases from the current position to the end of the tape. */
  void erase() throws TapeException;

  /** The current file and block numbers. */
  TapePosition position() throws TapeException;

  /** The tape's status. */
  TapeStatus status() throws TapeException;

  /**
   * Moves the byte offset of a plain file, as {@code lseek(2)}; tapes throw {@code ESPIPE}.
   *
   * @return the new offset from the start of the file
   */
  default long seek(long offset, Whence whence) throws TapeException {
    throw new TapeException(Errno.ESPIPE, "tapes are not seekable by byte offset");
  }

  /** The byte offset of a plain file; tapes throw {@code ESPIPE}. */
  default long tell() throws TapeException {
    throw new TapeException(Errno.ESPIPE, "tapes have no byte offset");
  }

  /**
   * Performs a tape operation ({@code MTIOCTOP}) with a non-negative count by dispatching to the
   * methods above. Operations a tape cannot do fail with {@code EINVAL}; on a plain file every
   * operation fails with {@code ENOTTY}, as ioctl(2) does on one.
   */
  default void execute(TapeOp op, int count) throws TapeException {
    if (count < 0) {
      throw new TapeException(Errno.EINVAL, "negative count " + count);
    }
    switch (op) {
      case WEOF, WEOFI -> writeFilemarks(count);
      case FSF -> spaceFiles(count);
      case BSF, NBSF -> spaceFiles(-count);
      case FSR -> spaceRecords(count);
      case BSR -> spaceRecords(-count);
      case FSFM -> {
        // Forward over count marks, then back over the last one: stop on its near side.
        spaceFiles(count);
        spaceFiles(-1);
      }
      case BSFM -> {
        spaceFiles(-count);
        spaceFiles(1);
      }
      case REWIND, RETENSION -> rewind();
      case OFFLINE, UNLOAD -> unload();
      case NOP, CACHE, NOCACHE, LOCK, UNLOCK, LOAD -> status();
      case EOM -> seekEndOfData();
      case ERASE -> erase();
      case SETBLK -> {
        status();
        if (count != 0) {
          throw new TapeException(Errno.EINVAL, "only variable block size (0) is supported");
        }
      }
      default -> {
        status();
        throw new TapeException(Errno.EINVAL, "operation " + op + " not supported");
      }
    }
  }

  /** Releases the tape. Closing twice does nothing. */
  @Override
  void close() throws TapeException;
}
