package org.jrmt.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open file descriptor from a {@link Directory}: a regular file being written or read, or an
 * {@code O_PATH} handle on any inode (to stat it, change its mode or {@link #reopen} it without
 * following a link). Reads and writes come in two kinds: at an offset given ({@code pread}, {@code
 * pwrite}) and at the descriptor's own offset ({@code read}, {@code write}, moved by {@link
 * #seek}), the kind devices that cannot seek need. Closing twice does nothing. Not thread-safe.
 */
public final class FileHandle implements AutoCloseable {
  /** {@code whence} for {@link #seek}: from the start, the current offset, the end. */
  public static final int SEEK_SET = 0;

  public static final int SEEK_CUR = 1;
  public static final int SEEK_END = 2;

  private final int fd;
  private final String dirShown;
  private final FileName name;
  private String shown;
  private boolean closed;

  /** A handle on {@code name} in the directory shown as {@code dirShown}: shown on demand only. */
  FileHandle(int fd, String dirShown, FileName name) {
    this.fd = fd;
    this.dirShown = dirShown;
    this.name = name;
  }

  /** The descriptor number. */
  public int fd() {
    return fd;
  }

  /** The name for messages. */
  public String shown() {
    if (shown == null) {
      shown = Directory.shown(dirShown, name);
    }
    return shown;
  }

  /**
   * The inode flags ({@code lsattr}, {@code FS_IOC_GETFLAGS}) of this open regular file or
   * directory; 0 where the file system keeps none.
   *
   * @throws FsException on an {@code O_PATH} handle ({@code EBADF}) or an I/O error
   */
  public int inodeFlags() throws FsException {
    return Attributes.flags(fd, shown());
  }

  /**
   * The file's extended attributes, POSIX ACLs ({@code system.posix_acl_*}) included, in the order
   * the file system lists them; none where it keeps none. Not on an {@code O_PATH} handle.
   */
  public java.util.List<Xattr> xattrs() throws FsException {
    return Attributes.ofDescriptor(fd, shown());
  }

  /**
   * The offset of the first data at or after {@code offset} ({@code lseek(SEEK_DATA)}), or -1 when
   * only a hole follows to the end of the file.
   *
   * @throws FsException where the file system cannot tell ({@code EINVAL}) or on an I/O error
   */
  public long nextData(long offset) throws FsException {
    long at = Native.libc().lseek(fd, offset, Native.SEEK_DATA);
    if (at >= 0) {
      return at;
    }
    int e = Native.errno();
    if (e == Native.ENXIO) {
      return -1;
    }
    throw new FsException("find data in " + shown(), e);
  }

  /**
   * A path that names this open file itself ({@code /proc/self/fd/N}): opening it reaches the inode
   * this handle holds, whatever has been renamed or replaced since, without resolving any name
   * again. Needs {@code /proc}.
   */
  public Path procPath() {
    return Path.of("/proc/self/fd/" + fd);
  }

  /**
   * Opens the inode this handle holds a second time, through {@link #procPath} (no name is
   * resolved, so nothing renamed or swapped in since can be reached), with {@code access} and
   * {@code O_APPEND} or {@code O_TRUNC} as asked. The open itself is made with {@code O_NONBLOCK},
   * so it never blocks whatever the inode is (a FIFO without a peer, a terminal waiting for
   * carrier, a drive loading a tape); the new handle's reads and writes then block as usual. Check
   * the type on this handle first: a truncation happens in this open.
   *
   * @throws FsException as {@code open(2)} fails ({@code EACCES}, {@code EISDIR}, {@code ENXIO} for
   *     a socket …)
   */
  public FileHandle reopen(Directory.Access access, boolean append, boolean truncate)
      throws FsException {
    int flags = access.flag | Native.O_CLOEXEC | Native.O_NOCTTY | Native.O_NONBLOCK;
    flags |= (append ? Native.O_APPEND : 0) | (truncate ? Native.O_TRUNC : 0);
    int f = Native.libc().openat(Native.AT_FDCWD, procCString(), flags, 0);
    if (f < 0) {
      throw new FsException("open " + shown(), Native.errno());
    }
    FileHandle h = new FileHandle(f, dirShown, name);
    int now = Native.libc().fcntl(f, Native.F_GETFL, 0);
    if (now < 0 || Native.libc().fcntl(f, Native.F_SETFL, now & ~Native.O_NONBLOCK) != 0) {
      int e = Native.errno();
      h.close();
      throw new FsException("fcntl " + shown(), e);
    }
    return h;
  }

  private byte[] procCString() {
    return (procPath() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** The inode's status. */
  public FileStatus status() throws FsException {
    byte[] buf = new byte[256];
    int rc =
        Native.libc()
            .statx(
                fd, new byte[] {0}, Native.AT_EMPTY_PATH | Native.AT_SYMLINK_NOFOLLOW, 0x7ff, buf);
    check(rc, "stat");
    return FileStatus.ofStatx(buf);
  }

  /** Writes all of {@code src} (its remaining bytes) at file offset {@code at}. */
  public void write(ByteBuffer src, long at) throws FsException {
    write(src, true, at);
  }

  /** Reads up to {@code dst.remaining()} bytes at file offset {@code at}; -1 at end of file. */
  public int read(ByteBuffer dst, long at) throws FsException {
    return read(dst, true, at);
  }

  /**
   * Reads up to {@code dst.remaining()} bytes at the descriptor's offset, which moves past them; -1
   * at end of file.
   */
  public int read(ByteBuffer dst) throws FsException {
    return read(dst, false, 0);
  }

  /**
   * Writes all of {@code src} (its remaining bytes) at the descriptor's offset, or at the end of
   * the file when it was opened with {@code O_APPEND}.
   */
  public void write(ByteBuffer src) throws FsException {
    write(src, false, 0);
  }

  private int read(ByteBuffer dst, boolean positional, long at) throws FsException {
    while (true) {
      long n =
          positional
              ? Native.libc().pread(fd, dst, dst.remaining(), at)
              : Native.libc().read(fd, dst, dst.remaining());
      if (n < 0) {
        if (Native.errno() == Native.EINTR) {
          continue;
        }
        throw new FsException("read " + shown(), Native.errno());
      }
      if (n == 0 && dst.hasRemaining()) {
        return -1;
      }
      dst.position(dst.position() + (int) n);
      return (int) n;
    }
  }

  private void write(ByteBuffer src, boolean positional, long at) throws FsException {
    long pos = at;
    while (src.hasRemaining()) {
      long n =
          positional
              ? Native.libc().pwrite(fd, src, src.remaining(), pos)
              : Native.libc().write(fd, src, src.remaining());
      if (n < 0) {
        if (Native.errno() == Native.EINTR) {
          continue;
        }
        throw new FsException("write " + shown(), Native.errno());
      }
      src.position(src.position() + (int) n);
      pos += n;
    }
  }

  /**
   * Moves the descriptor's offset as {@code lseek(2)} does and returns the new one.
   *
   * @param whence {@link #SEEK_SET}, {@link #SEEK_CUR} or {@link #SEEK_END}
   * @throws FsException {@code EINVAL} for an offset before the start, {@code ESPIPE} on a pipe
   */
  public long seek(long offset, int whence) throws FsException {
    long at = Native.libc().lseek(fd, offset, whence);
    if (at < 0) {
      throw new FsException("seek " + shown(), Native.errno());
    }
    return at;
  }

  /** Sets the file's size (a trailing hole stays a hole). */
  public void truncate(long size) throws FsException {
    check(Native.libc().ftruncate(fd, size), "truncate");
  }

  /** All 12 permission bits, set-id and sticky included. Works on an {@code O_PATH} handle too. */
  public void chmod(int mode) throws FsException {
    int rc = Native.libc().fchmod(fd, mode & 07777);
    if (rc != 0 && Native.errno() == Native.EBADF) {
      // EBADF: an O_PATH handle. Its /proc link reaches the inode without a name lookup.
      rc = Native.libc().fchmodat(Native.AT_FDCWD, procCString(), mode & 07777, 0);
    }
    check(rc, "chmod");
  }

  /**
   * Sets the owner of this inode itself; works on an {@code O_PATH} handle too (a handle on a
   * symbolic link changes the link, never its target).
   */
  public void chown(int uid, int gid) throws FsException {
    check(
        Native.libc()
            .fchownat(
                fd, new byte[] {0}, uid, gid, Native.AT_EMPTY_PATH | Native.AT_SYMLINK_NOFOLLOW),
        "chown");
  }

  /**
   * Sets the access and modification times ({@code futimens}). Not on an {@code O_PATH} handle: use
   * {@link Directory#setTimes(FileName, long, int, long, int)} for inodes that cannot be opened.
   */
  public void setTimes(long atime, int atimeNanos, long mtime, int mtimeNanos) throws FsException {
    check(
        Native.libc().futimens(fd, new long[] {atime, atimeNanos, mtime, mtimeNanos}), "set times");
  }

  /**
   * The file's bytes from offset 0 on, read with {@code pread} as the stream is read; closing the
   * stream leaves the handle open. Not for {@code O_PATH} handles.
   */
  public InputStream inputStream() {
    return new InputStream() {
      private long at;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n = FileHandle.this.read(ByteBuffer.wrap(b, off, len), at);
        if (n > 0) {
          at += n;
        }
        return n;
      }
    };
  }

  /**
   * A stream writing the file from offset 0 on with {@code pwrite}, unbuffered (wrap it in a {@link
   * java.io.BufferedOutputStream}); closing the stream leaves the handle open.
   */
  public OutputStream outputStream() {
    return new OutputStream() {
      private long at;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        FileHandle.this.write(ByteBuffer.wrap(b, off, len), at);
        at += len;
      }
    };
  }

  /** Flushes the file's data to the device. */
  public void sync() throws FsException {
    check(Native.libc().fsync(fd), "fsync");
  }

  private void check(int rc, String what) throws FsException {
    if (rc != 0) {
      throw new FsException(what + " " + shown(), Native.errno());
    }
  }

  @Override
  public void close() throws FsException {
    if (closed) {
      return;
    }
    closed = true;
    if (Native.libc().close(fd) != 0 && Native.errno() != Native.EINTR) {
      throw new FsException("close " + shown(), Native.errno());
    }
  }
}
