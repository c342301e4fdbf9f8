package org.jrmt.dump;

import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;

/**
 * Inode flags (what {@code lsattr} shows, {@code FS_IOC_GETFLAGS}), which Linux dump copies into
 * {@code di_flags} and restore puts back with {@code chattr}'s ioctl. Only regular files and
 * directories carry them (opening a device or FIFO to ask could have side effects, and lsattr does
 * not either).
 */
final class InodeFlags {
  /** {@code FS_NODUMP_FL}, set by {@code chattr +d}. */
  static final int NODUMP = 0x40;

  private InodeFlags() {}

  /**
   * The flags of {@code name} in {@code dir}, whose status is {@code status}, for the nodump test;
   * 0 when it has none or cannot say (another system, a file system without flags, a file that
   * vanished or cannot be opened).
   */
  static int read(Directory dir, FileName name, FileStatus status) {
    if (!status.isRegularFile() && !status.isDirectory()) {
      return 0;
    }
    try (FileHandle f = dir.open(name, Directory.Access.READ, Directory.Create.NO, false, 0)) {
      return f.inodeFlags();
    } catch (FsException | UnsupportedOperationException e) {
      return 0;
    }
  }
}
