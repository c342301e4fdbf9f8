package org.jrmt.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a file's extended attributes and inode flags, either on a descriptor ({@code flistxattr},
 * {@code fgetxattr}, {@code FS_IOC_GETFLAGS}) or, for what cannot be opened without side effects
 * (symbolic links, devices, FIFOs, sockets), by a name below a directory descriptor reached through
 * {@code /proc/self/fd} with the {@code l*} calls, so the name itself is never followed.
 */
final class Attributes {
  /** Linux's largest attribute value (XATTR_SIZE_MAX). */
  private static final int MAX_VALUE = 65536;

  private Attributes() {}

  /** How the calls reach the file: by descriptor, or by a path that no call follows. */
  private interface Target {
    long list(byte[] buf, long size);

    long get(byte[] name, byte[] buf, long size);
  }

  static List<Xattr> ofDescriptor(int fd, String shown) throws FsException {
    return read(
        new Target() {
          @Override
          public long list(byte[] buf, long size) {
            return Native.libc().flistxattr(fd, buf, size);
          }

          @Override
          public long get(byte[] name, byte[] buf, long size) {
            return Native.libc().fgetxattr(fd, name, buf, size);
          }
        },
        shown);
  }

  static List<Xattr> ofName(int dirFd, FileName name, String shown) throws FsException {
    byte[] prefix = ("/proc/self/fd/" + dirFd + "/").getBytes(StandardCharsets.US_ASCII);
    byte[] c = name.cString();
    byte[] path = Arrays.copyOf(prefix, prefix.length + c.length);
    System.arraycopy(c, 0, path, prefix.length, c.length);
    return read(
        new Target() {
          @Override
          public long list(byte[] buf, long size) {
            return Native.libc().llistxattr(path, buf, size);
          }

          @Override
          public long get(byte[] n, byte[] buf, long size) {
            return Native.libc().lgetxattr(path, n, buf, size);
          }
        },
        shown);
  }

  /**
   * Every attribute, in the order the file system lists them. A file system without attributes has
   * none; one removed between the listing and its reading is left out.
   */
  private static List<Xattr> read(Target t, String shown) throws FsException {
    byte[] names = null;
    int end;
    while (true) {
      // First asked with no buffer: a file without attributes costs one call and nothing else.
      long n = t.list(names, names == null ? 0 : names.length);
      if (n < 0) {
        int e = Native.errno();
        if (e == Native.EOPNOTSUPP || e == Native.ENOSYS) {
          return List.of();
        }
        if (e == Native.ERANGE) {
          names = null; // grew since asked: ask again
          continue;
        }
        throw new FsException("list extended attributes of " + shown, e);
      }
      if (n == 0) {
        return List.of();
      }
      if (names != null) {
        end = (int) n;
        break;
      }
      names = new byte[(int) n];
    }
    List<Xattr> out = new ArrayList<>();
    byte[] value = new byte[MAX_VALUE];
    int start = 0;
    while (start < end) {
      int z = start;
      while (z < end && names[z] != 0) {
        z++;
      }
      if (z > start) {
        byte[] cname = Arrays.copyOfRange(names, start, z + 1); // with its NUL
        long len = t.get(cname, value, value.length);
        if (len >= 0) {
          out.add(new Xattr(Arrays.copyOf(cname, z - start), Arrays.copyOf(value, (int) len)));
        } else if (Native.errno() != Native.ENODATA) {
          throw new FsException(
              "read extended attribute "
                  + FileName.escape(Arrays.copyOf(cname, z - start))
                  + " of "
                  + shown,
              Native.errno());
        }
      }
      start = z + 1;
    }
    return out;
  }

  /**
   * The inode flags ({@code lsattr}) of an open regular file or directory; 0 where the file system
   * has none ({@code ENOTTY}, {@code EOPNOTSUPP}, {@code EINVAL}).
   */
  static int flags(int fd, String shown) throws FsException {
    int[] flags = new int[1];
    if (Native.libc().ioctl(fd, Native.FS_IOC_GETFLAGS, flags) == 0) {
      return flags[0];
    }
    int e = Native.errno();
    if (e == Native.ENOTTY || e == Native.EOPNOTSUPP || e == Native.EINVAL || e == Native.ENOSYS) {
      return 0;
    }
    throw new FsException("read the inode flags of " + shown, e);
  }
}
