package org.jrmt.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open file descriptor from a {@link Directory}: a regular file being written or read, or an
 * {@code O_PATH} handle on any inode (to stat it or change its mode without following a link).
 * Closing twice does nothing. Not thread-safe.
 */
public final class FileHandle implements AutoCloseable {
  private final int fd;
  private final String shown;
  private boolean closed;

  FileHandle(int fd, String shown) {
    this.fd = fd;
    this.shown = shown;
  }

  /** The descriptor number. */
  public int fd() {
    return fd;
  }

  /** The name for messages. */
  public String shown() {
    return shown;
  }

  /**
   * A path that names this open file itself ({@code /proc/self/fd/N}): opening it reaches the inode
   * this handle holds, whatever has been renamed or replaced since, without resolving any name
   * again. Needs {@code /proc}.
   */
  public Path procPath() {
    return Path.of("/proc/self/fd/" + fd);
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
    long pos = at;
    while (src.hasRemaining()) {
      long n = Native.libc().pwrite(fd, src, src.remaining(), pos);
      if (n < 0) {
        if (Native.errno() == Native.EINTR) {
          continue;
        }
        throw new FsException("write " + shown, Native.errno());
      }
      src.position(src.position() + (int) n);
      pos += n;
    }
  }

  /** Reads up to {@code dst.remaining()} bytes at file offset {@code at}; -1 at end of file. */
  public int read(ByteBuffer dst, long at) throws FsException {
    while (true) {
      long n = Native.libc().pread(fd, dst, dst.remaining(), at);
      if (n < 0) {
        if (Native.errno() == Native.EINTR) {
          continue;
        }
        throw new FsException("read " + shown, Native.errno());
      }
      if (n == 0 && dst.hasRemaining()) {
        return -1;
      }
      dst.position(dst.position() + (int) n);
      return (int) n;
    }
  }

  /** Sets the file's size (a trailing hole stays a hole). */
  public void truncate(long size) throws FsException {
    check(Native.libc().ftruncate(fd, size), "truncate");
  }

  /** All 12 permission bits, set-id and sticky included. Works on an {@code O_PATH} handle too. */
  public void chmod(int mode) throws FsException {
    int rc = Native.libc().fchmod(fd, mode & 07777);
    if (rc != 0 && Native.errno() == 9) {
      // EBADF: an O_PATH handle. Its /proc link reaches the inode without a name lookup.
      byte[] proc = (procPath() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      rc = Native.libc().fchmodat(Native.AT_FDCWD, proc, mode & 07777, 0);
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
      throw new FsException(what + " " + shown, Native.errno());
    }
  }

  @Override
  public void close() throws FsException {
    if (closed) {
      return;
    }
    closed = true;
    if (Native.libc().close(fd) != 0 && Native.errno() != Native.EINTR) {
      throw new FsException("close " + shown, Native.errno());
    }
  }
}
