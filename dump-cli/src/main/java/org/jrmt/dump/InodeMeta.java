package org.jrmt.dump;

/**
 * The metadata of one inode as a dump header carries it.
 *
 * @param ino the inode number on the dump (2 for the root)
 * @param mode type and permission bits, as st_mode
 * @param nlink link count
 * @param uid owner
 * @param gid group
 * @param size size in bytes (for directories, the size of the converted entries)
 * @param atime access time, seconds
 * @param mtime modification time, seconds
 * @param ctime change time, seconds
 * @param rdev device number in the old {@code (major << 8) | minor} form, for device nodes
 * @param flags the inode flags ({@code FS_IOC_GETFLAGS}, what {@code lsattr} shows), {@code
 *     di_flags}
 */
public record InodeMeta(
    int ino,
    int mode,
    int nlink,
    int uid,
    int gid,
    long size,
    int atime,
    int mtime,
    int ctime,
    int rdev,
    int flags) {

  /** File type bits of {@code mode}. */
  public static final int S_IFMT = 0xF000;

  public static final int S_IFDIR = 0x4000;
  public static final int S_IFREG = 0x8000;
  public static final int S_IFLNK = 0xA000;

  /** True for a directory. */
  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  /** A copy with another size (directories: the converted size). */
  public InodeMeta withSize(long newSize) {
    return new InodeMeta(ino, mode, nlink, uid, gid, newSize, atime, mtime, ctime, rdev, flags);
  }

  /** A copy with other inode flags. */
  public InodeMeta withFlags(int newFlags) {
    return new InodeMeta(ino, mode, nlink, uid, gid, size, atime, mtime, ctime, rdev, newFlags);
  }
}
