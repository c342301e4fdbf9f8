package org.jrmt.fs;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The C library's {@code *at} calls with names passed as bytes (jnr-posix takes Strings, which
 * cannot hold every Unix name), and the Linux flag values they need. Loaded on first use. {@link
 * #errno()} must be read right after a call, on the same thread.
 */
final class Native {
  private Native() {}

  /** The calls, with NUL-terminated byte names. */
  public interface LibC {
    int openat(int dirfd, @In byte[] path, int flags, int mode);

    int close(int fd);

    int mkdirat(int dirfd, @In byte[] path, int mode);

    int unlinkat(int dirfd, @In byte[] path, int flags);

    int renameat2(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

    int symlinkat(@In byte[] target, int newdirfd, @In byte[] linkpath);

    int linkat(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

    int mknodat(int dirfd, @In byte[] path, int mode, long dev);

    long readlinkat(int dirfd, @In byte[] path, @Out byte[] buf, long size);

    int fchownat(int dirfd, @In byte[] path, int uid, int gid, int flags);

    int fchmodat(int dirfd, @In byte[] path, int mode, int flags);

    int fchmod(int fd, int mode);

    int fchown(int fd, int uid, int gid);

    int futimens(int fd, @In long[] times);

    int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

    int statx(int dirfd, @In byte[] path, int flags, int mask, @Out byte[] statxbuf);

    long pwrite(int fd, @In ByteBuffer buf, long count, long offset);

    long pread(int fd, @Out ByteBuffer buf, long count, long offset);

    long read(int fd, @Out ByteBuffer buf, long count);

    long write(int fd, @In ByteBuffer buf, long count);

    long lseek(int fd, long offset, int whence);

    /** The three-argument form ({@code F_GETFL}, {@code F_SETFL}). */
    int fcntl(int fd, int cmd, int arg);

    int ftruncate(int fd, long length);

    int fsync(int fd);

    Pointer fdopendir(int fd);

    Pointer readdir(Pointer dir);

    int closedir(Pointer dir);

    int ioctl(int fd, long request, @Out int[] arg);

    long flistxattr(int fd, @Out byte[] list, long size);

    long fgetxattr(int fd, @In byte[] name, @Out byte[] value, long size);

    long llistxattr(@In byte[] path, @Out byte[] list, long size);

    long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, long size);
  }

  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int AT_REMOVEDIR = 0x200;
  static final int AT_EMPTY_PATH = 0x1000;
  static final int RENAME_NOREPLACE = 1;
  static final int RENAME_EXCHANGE = 2;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_NOCTTY = 0400;
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int O_NONBLOCK = 04000;
  static final int O_CLOEXEC = 02000000;
  static final int O_PATH = 010000000;
  static final int O_DIRECTORY;
  static final int O_NOFOLLOW;

  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EBADF = 9;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int EISDIR = 21;
  static final int ELOOP = 40;
  static final int ENOTEMPTY = 39;
  static final int ENXIO = 6;
  static final int EINVAL = 22;
  static final int ENOTTY = 25;
  static final int ERANGE = 34;
  static final int ENOSYS = 38;
  static final int ENODATA = 61;
  static final int EOPNOTSUPP = 95;

  /** {@code _IOR('f', 1, long)}: the same number on every 64-bit Linux. */
  static final long FS_IOC_GETFLAGS = 0x80086601L;

  static final int SEEK_DATA = 3;

  static {
    // The two flags whose values differ between Linux's architectures (asm-generic vs x86).
    String arch = System.getProperty("os.arch");
    if (arch.equals("aarch64") || arch.equals("arm64") || arch.startsWith("riscv")) {
      O_DIRECTORY = 040000;
      O_NOFOLLOW = 0100000;
    } else {
      O_DIRECTORY = 0200000;
      O_NOFOLLOW = 0400000;
    }
  }

  private static final class Holder {
    static final LibC LIBC = load();
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private static LibC load() {
      if (Platform.getNativePlatform().getOS() != Platform.OS.LINUX) {
        throw new UnsupportedOperationException("file access by handle is implemented for Linux");
      }
      return LibraryLoader.create(LibC.class)
          .library(Platform.getNativePlatform().getStandardCLibraryName())
          .load();
    }
  }

  static LibC libc() {
    return Holder.LIBC;
  }

  static int errno() {
    return Holder.RUNTIME.getLastError();
  }

  static void clearErrno() {
    Holder.RUNTIME.setLastError(0);
  }
}
