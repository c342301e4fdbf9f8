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
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.protocol.Errno;

/**
 * A plain file or character device (such as {@code /dev/null}) used where a tape is expected.
 *
 * <p>It is a byte stream, not a tape: {@link #read} returns up to {@code dst.remaining()} bytes (0
 * at end of file), {@link #write} writes all of {@code src}, and {@link #seek}/{@link #tell} work
 * as {@code lseek(2)}. Every tape operation, rewind and status included, fails with {@code ENOTTY},
 * which is what {@code ioctl(2)} answers on such files and what GNU rmt reports. Device errors keep
 * their errno: a write to {@code /dev/full} fails with {@code ENOSPC}. Not thread-safe.
 *
 * <p>It is opened by path ({@link #open(Path, OpenMode)}), from a channel already open ({@link
 * #of}), or from a {@link FileHandle} without resolving any name ({@link #open(FileHandle,
 * OpenMode)}), which is how jrmtd opens what it serves.
 */
public final class FileTape implements Tape {
  private final String path;
  private final OpenMode mode;
  private final Io io;
  private boolean closed;

  private FileTape(String path, OpenMode mode, Io io) {
    this.path = path;
    this.mode = mode;
    this.io = io;
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
      return new FileTape(path.toString(), mode, new ChannelIo(ch, isRegular(path)));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      throw IoErrors.toTapeException("open " + path, e);
    }
  }

  /**
   * Opens the inode {@code handle} holds, again and without resolving any name ({@link
   * FileHandle#reopen}), as {@code open(2)} would with the mode's access and, when writing, its
   * {@code APPEND} and {@code TRUNCATE} flags; {@code CREATE} and {@code EXCLUSIVE} mean nothing
   * here, the inode exists. The open never blocks, whatever the inode is, and reads and writes then
   * block as usual: check the type on the handle first (a FIFO's reads would wait for a writer).
   * The tape is named as the handle in messages; {@code handle} stays the caller's to close.
   *
   * @throws TapeException EACCES, EISDIR, ENXIO … as {@code open(2)} fails
   */
  public static FileTape open(FileHandle handle, OpenMode mode) throws TapeException {
    Directory.Access access =
        switch (mode.access()) {
          case READ_ONLY -> Directory.Access.READ;
          case WRITE_ONLY -> Directory.Access.WRITE;
          case READ_WRITE -> Directory.Access.READ_WRITE;
        };
    boolean writes = mode.canWrite();
    try {
      FileHandle h =
          handle.reopen(
              access,
              writes && mode.has(OpenMode.Flag.APPEND),
              writes && mode.has(OpenMode.Flag.TRUNCATE));
      return new FileTape(handle.shown(), mode, new HandleIo(h, h.status().isRegularFile()));
    } catch (IOException e) {
      throw IoErrors.toTapeException("open " + handle.shown(), e);
    }
  }

  /**
   * Wraps a channel that is already open (standard output, a pipe) as a plain-file tape named
   * {@code name} in messages; closing the tape closes the channel.
   */
  public static FileTape of(Path name, FileChannel ch, OpenMode mode) {
    // A standard stream or pipe: its name is no path to look at, and its size says nothing.
    return new FileTape(name.toString(), mode, new ChannelIo(ch, false));
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

  /** The bytes left before the end of a regular file; -1 for a device, which cannot tell. */
  @Override
  public int nextReadLength() {
    if (closed || !mode.canRead()) {
      return -1;
    }
    try {
      long left = io.remaining();
      return left < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, left);
    } catch (IOException e) {
      return -1;
    }
  }

  /** The bytes below the tape: a channel, or a handle's descriptor. */
  private interface Io {
    /** As {@link FileChannel#read(ByteBuffer)}: -1 at end of file. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes all of {@code src}. */
    void write(ByteBuffer src) throws IOException;

    /** As {@code lseek(2)}; an offset before the start is EINVAL. */
    long seek(long offset, Whence whence) throws IOException, TapeException;

    /** The bytes from the offset to the end of a regular file; -1 when the file cannot tell. */
    long remaining() throws IOException;

    void close() throws IOException;
  }

  private record ChannelIo(FileChannel ch, boolean regular) implements Io {
    @Override
    public long remaining() throws IOException {
      return regular ? Math.max(0, ch.size() - ch.position()) : -1;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return ch.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
      while (src.hasRemaining()) {
        ch.write(src);
      }
    }

    @Override
    public long seek(long offset, Whence whence) throws IOException, TapeException {
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
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  private record HandleIo(FileHandle h, boolean regular) implements Io {
    @Override
    public long remaining() throws IOException {
      return regular ? Math.max(0, h.status().size() - h.seek(0, FileHandle.SEEK_CUR)) : -1;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return h.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
      h.write(src);
    }

    @Override
    public long seek(long offset, Whence whence) throws IOException {
      return h.seek(
          offset,
          switch (whence) {
            case SET -> FileHandle.SEEK_SET;
            case CURRENT -> FileHandle.SEEK_CUR;
            case END -> FileHandle.SEEK_END;
          });
    }

    @Override
    public void close() throws IOException {
      h.close();
    }
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    checkOpen();
    if (!mode.canRead()) {
      throw new TapeException(Errno.EBADF, "not open for reading");
    }
    try {
      int n = io.read(dst);
      return Math.max(n, 0);
    } catch (IOException e) {
      throw IoErrors.toTapeException("read " + path, e);
    }
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    checkOpen();
    if (!mode.canWrite()) {
      throw new TapeException(Errno.EBADF, "not open for writing");
    }
    int total = src.remaining();
    try {
      io.write(src);
      return total;
    } catch (IOException e) {
      throw IoErrors.toTapeException("write " + path, e);
    }
  }

  @Override
  public long seek(long offset, Whence whence) throws TapeException {
    checkOpen();
    try {
      return io.seek(offset, whence);
    } catch (IOException e) {
      throw IoErrors.toTapeException("seek " + path, e);
    }
  }

  @Override
  public long tell() throws TapeException {
    checkOpen();
    try {
      return io.seek(0, Whence.CURRENT);
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
      io.close();
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
