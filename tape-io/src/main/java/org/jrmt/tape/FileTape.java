package org.jrmt.tape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Set;
import org.jrmt.protocol.Errno;

/**
 * A plain file or character device (such as {@code /dev/null}) used where a tape is expected.
 *
 * <p>It is a byte stream, not a tape: {@link #read} returns up to {@code dst.remaining()} bytes (0
 * at end of file), {@link #write} writes all of {@code src}, and {@link #seek}/{@link #tell} work
 * as {@code lseek(2)}. Every tape operation, rewind and status included, fails with {@code ENOTTY},
 * which is what {@code ioctl(2)} answers on such files and what GNU rmt reports. Device errors keep
 * their errno: a write to {@code /dev/full} fails with {@code ENOSPC}. Not thread-safe.
 */
public final class FileTape implements Tape {
  private final Path path;
  private final OpenMode mode;
  private final FileChannel ch;
  private final boolean regular;
  private boolean closed;

  private FileTape(Path path, OpenMode mode, FileChannel ch, boolean regular) {
    this.path = path;
    this.mode = mode;
    this.ch = ch;
    this.regular = regular;
  }

  /**
   * Whether the file just opened is a regular one, whose size says how much a read returns. Judged
   * on the path without following links, as {@code open} opened it.
   */
  private static boolean isRegular(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .isRegularFile();
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Opens a file as {@code open(2)} would with the matching flags.
   *
   * @throws TapeException ENOENT, EACCES, EEXIST, EISDIR … as the file system reports
   */
  public static FileTape open(Path path, OpenMode mode) throws TapeException {
    Set<StandardOpenOption> opts = EnumSet.noneOf(StandardOpenOption.class);
    if (mode.canRead()) {
      opts.add(StandardOpenOption.READ);
    }
    if (mode.canWrite()) {
      opts.add(StandardOpenOption.WRITE);
      if (mode.has(OpenMode.Flag.APPEND)) {
        opts.add(StandardOpenOption.APPEND);
      }
      if (mode.has(OpenMode.Flag.TRUNCATE)) {
        opts.add(StandardOpenOption.TRUNCATE_EXISTING);
      }
      if (mode.has(OpenMode.Flag.CREATE)) {
        opts.add(
            mode.has(OpenMode.Flag.EXCLUSIVE)
                ? StandardOpenOption.CREATE_NEW
                : StandardOpenOption.CREATE);
      }
    }
    try {
      FileChannel ch = FileChannel.open(path, Tapes.noFollow(opts));
      return new FileTape(path, mode, ch, isRegular(path));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      throw IoErrors.toTapeException("open " + path, e);
    }
  }

  /**
   * Wraps a channel that is already open (standard output, a pipe) as a plain-file tape named
   * {@code name} in messages; closing the tape closes the channel.
   */
  public static FileTape of(Path name, FileChannel ch, OpenMode mode) {
    // A standard stream or pipe: its name is no path to look at, and its size says nothing.
    return new FileTape(name, mode, ch, false);
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    checkOpen();
    if (!mode.canRead()) {
      throw new TapeException(Errno.EBADF, "not open for reading");
    }
    try {
      int n = ch.read(dst);
      return Math.max(n, 0);
    } catch (IOException e) {
      throw IoErrors.toTapeException("read " + path, e);
    }
  }

  /** The bytes left before the end of a regular file; -1 for a device, which cannot tell. */
  @Override
  public int nextReadLength() {
    if (closed || !mode.canRead() || !regular) {
      return -1;
    }
    try {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(0, ch.size() - ch.position()));
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    checkOpen();
    if (!mode.canWrite()) {
      throw new TapeException(Errno.EBADF, "not open for writing");
    }
    int total = 0;
    try {
      while (src.hasRemaining()) {
        total += ch.write(src);
      }
      return total;
    } catch (IOException e) {
      throw IoErrors.toTapeException("write " + path, e);
    }
  }

  @Override
  public long seek(long offset, Whence whence) throws TapeException {
    checkOpen();
    try {
      long base =
          switch (whence) {
            case SET -> 0;
            case CURRENT -> ch.position();
            case END -> ch.size();
          };
      long target = base + offset;
      if (target < 0) {
        throw new TapeException(Errno.EINVAL, "seek before the start of the file");
      }
      ch.position(target);
      return target;
    } catch (IOException e) {
      throw IoErrors.toTapeException("seek " + path, e);
    }
  }

  @Override
  public long tell() throws TapeException {
    checkOpen();
    try {
      return ch.position();
    } catch (IOException e) {
      throw IoErrors.toTapeException("tell " + path, e);
    }
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    throw notATape();
  }

  @Override
  public void spaceFiles(int count) throws TapeException {
    throw notATape();
  }

  @Override
  public void spaceRecords(int count) throws TapeException {
    throw notATape();
  }

  @Override
  public void rewind() throws TapeException {
    throw notATape();
  }

  @Override
  public void unload() throws TapeException {
    throw notATape();
  }

  @Override
  public void seekEndOfData() throws TapeException {
    throw notATape();
  }

  @Override
  public void erase() throws TapeException {
    throw notATape();
  }

  @Override
  public TapePosition position() throws TapeException {
    throw notATape();
  }

  @Override
  public TapeStatus status() throws TapeException {
    throw notATape();
  }

  @Override
  public void close() throws TapeException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      ch.close();
    } catch (IOException e) {
      throw IoErrors.toTapeException("close " + path, e);
    }
  }

  private TapeException notATape() throws TapeException {
    checkOpen();
    return new TapeException(Errno.ENOTTY, path + " is not a tape");
  }

  private void checkOpen() throws TapeException {
    if (closed) {
      throw new TapeException(Errno.EBADF, "file is closed");
    }
  }
}
