package org.jrmt.dump;

import java.nio.file.Path;
import jnr.constants.platform.OpenFlags;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/**
 * Reads a file's inode flags (what {@code lsattr} shows) with the {@code FS_IOC_GETFLAGS} ioctl, as
 * Linux dump reads them from the inode. Only regular files and directories carry them (opening a
 * device or FIFO to ask could have side effects, and lsattr does not either). Anything that cannot
 * answer (another system, a file system without attributes, a file that vanished) reads as no
 * flags, quietly: the caller only wants to know whether a file asks not to be dumped.
 */
final class InodeFlags {
  /** {@code FS_NODUMP_FL}, set by {@code chattr +d}. */
  static final int NODUMP = 0x40;

  /** {@code _IOR('f', 1, long)}: the same number on every 64-bit Linux. */
  private static final long FS_IOC_GETFLAGS = 0x80086601L;

  /** The C library calls used. */
  public interface LibC {
    int open(String path, int flags, int mode);

    int ioctl(int fd, long request, @Out IntByReference flags);

    int close(int fd);
  }

  private static final LibC LIBC = load();

  private InodeFlags() {}

  private static LibC load() {
    if (Platform.getNativePlatform().getOS() != Platform.OS.LINUX
        || Platform.getNativePlatform().addressSize() != 64) {
      return null;
    }
    try {
      return LibraryLoader.create(LibC.class).load("c");
    } catch (RuntimeException | LinkageError e) {
      return null; // no native access: no flags, as on a file system without them
    }
  }

  /** The flags of {@code file} of type {@code mode} (st_mode); 0 when it has none or cannot say. */
  static int read(Path file, int mode) {
    int type = mode & InodeMeta.S_IFMT;
    if (LIBC == null || (type != InodeMeta.S_IFREG && type != InodeMeta.S_IFDIR)) {
      return 0;
    }
    int fd =
        LIBC.open(
            file.toString(),
            OpenFlags.O_RDONLY.intValue()
                | OpenFlags.O_NONBLOCK.intValue()
                | OpenFlags.O_NOFOLLOW.intValue()
                | OpenFlags.O_CLOEXEC.intValue(),
            0);
    if (fd < 0) {
      return 0;
    }
    try {
      IntByReference flags = new IntByReference();
      return LIBC.ioctl(fd, FS_IOC_GETFLAGS, flags) == 0 ? flags.intValue() : 0;
    } finally {
      LIBC.close(fd);
    }
  }
}
