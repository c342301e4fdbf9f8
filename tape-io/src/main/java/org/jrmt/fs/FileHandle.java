package org.jrmt.fs;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open file descriptor from a {@link Directory}: a regular file being written or read, or an
 * {@code O_PATH} handle on any inode (to stat it or change its mode without following a link).
 * Closing twice does nothing. Not thread-safe.
 */
public final class FileHandle implements AutoCloseable {
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
        throw new FsException("write " + shown(), Native.errno());
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
        throw new FsException("read " + shown(), Native.errno());
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
    if (rc != 0 && Native.errno() == Native.EBADF) {
      // EBADF: an O_PATH handle. Its /proc link reaches the inode without a name lookup.
      byte[] proc = (procPath() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      rc = Native.libc().fchmodat(Native.AT_FDCWD, proc, mode & 07777, 0);
    }
    check(rc, "chmod");
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
