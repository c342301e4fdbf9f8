package org.jrmt.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What {@code statx(2)} says of one inode, never following a symbolic link.
 *
 * @param dev the device holding the inode ({@code makedev(major, minor)} as the C library forms it)
 * @param ino the inode number
 * @param mode type and permission bits ({@code st_mode})
 * @param nlink the number of names
 * @param rdev the device a device node stands for
 * @param blocks 512-byte blocks allocated
 */
public record FileStatus(
    long dev,
    long ino,
    int mode,
    int nlink,
    int uid,
    int gid,
    long rdev,
    long size,
    long blocks,
    long atimeSeconds,
    int atimeNanos,
    long mtimeSeconds,
    int mtimeNanos,
    long ctimeSeconds,
    int ctimeNanos) {

  /** The type bits of {@code st_mode}. */
  public static final int S_IFMT = 0170000;

  public static final int S_IFSOCK = 0140000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 060000;
  public static final int S_IFDIR = 040000;
  public static final int S_IFCHR = 020000;
  public static final int S_IFIFO = 010000;

  /** The type bits of {@link #mode}. */
  public int type() {
    return mode & S_IFMT;
  }

  public boolean isDirectory() {
    return type() == S_IFDIR;
  }

  public boolean isRegularFile() {
    return type() == S_IFREG;
  }

  public boolean isSymbolicLink() {
    return type() == S_IFLNK;
  }

  public boolean isCharacterDevice() {
    return type() == S_IFCHR;
  }

  /** True when {@code o} is the same inode on the same device. */
  public boolean sameInode(FileStatus o) {
    return dev == o.dev && ino == o.ino;
  }

  /** {@code makedev}, as glibc encodes a device number from its major and minor. */
  public static long makedev(long major, long minor) {
    return (major & 0xfffff000L) << 32
        | (major & 0xfffL) << 8
        | (minor & 0xffffff00L) << 12
        | (minor & 0xffL);
  }

  /** Decodes a {@code struct statx} (its layout is the same on every Linux architecture). */
  static FileStatus ofStatx(byte[] buf) {
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    return new FileStatus(
        makedev(Integer.toUnsignedLong(b.getInt(136)), Integer.toUnsignedLong(b.getInt(140))),
        b.getLong(32),
        b.getShort(28) & 0xFFFF,
        b.getInt(16),
        b.getInt(20),
        b.getInt(24),
        makedev(Integer.toUnsignedLong(b.getInt(128)), Integer.toUnsignedLong(b.getInt(132))),
        b.getLong(40),
        b.getLong(48),
        b.getLong(64),
        b.getInt(72),
        b.getLong(112),
        b.getInt(120),
        b.getLong(96),
        b.getInt(104));
  }
}
