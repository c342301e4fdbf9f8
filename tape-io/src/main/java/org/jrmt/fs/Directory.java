package org.jrmt.fs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jnr.ffi.Pointer;

/**
 * An open directory, and every file-system operation relative to it by one {@link FileName}: no
 * operation follows a symbolic link in the name it is given, and a directory entered through {@link
 * #directory} is opened with {@code O_NOFOLLOW | O_DIRECTORY}, so a chain of handles from a root
 * never leaves the tree below it, whatever is renamed, swapped or planted while it is used.
 *
 * <p>Each failure is an {@link FsException} naming the operation and the path shown for this
 * directory. Linux only. Closing twice does nothing. The operations that only look a name up
 * ({@link #status(FileName)}, {@link #open}, {@link #handle}, {@link #directory}, {@link
 * #readLink}, {@link #xattrs(FileName)}) may run on several threads at once; nothing may run during
 * or after {@link #close}.
 */
public final class Directory implements AutoCloseable {
  private static final int DIR_FLAGS =
      Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC | Native.O_NOCTTY;

  private final int fd;
  private final String shown;
  private boolean closed;

  private Directory(int fd, String shown) {
    this.fd = fd;
    this.shown = shown;
  }

  /**
   * Opens the directory at {@code path}, following links on the way: for a root the caller trusts
   * (a target directory the user named, a directory the configuration names).
   */
  public static Directory open(Path path) throws FsException {
    byte[] p = (path.toString() + "\0").getBytes(StandardCharsets.UTF_8);
    int fd = Native.libc().openat(Native.AT_FDCWD, p, DIR_FLAGS, 0);
    if (fd < 0) {
      throw new FsException("open directory " + path, Native.errno());
    }
    return new Directory(fd, path.toString());
  }

  /** The path shown for this directory in messages. */
  public String shown() {
    return shown;
  }

  private String shown(FileName name) {
    return shown(shown, name);
  }

  static String shown(String dir, FileName name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  /**
   * Opens the subdirectory {@code name}.
   *
   * @throws FsException {@code ENOENT} if there is none; {@code ENOTDIR} or {@code ELOOP} if {@code
   *     name} is something else, a symbolic link included ({@link FsException#wrongType})
   */
  public Directory directory(FileName name) throws FsException {
    int child = Native.libc().openat(fd, name.cString(), DIR_FLAGS | Native.O_NOFOLLOW, 0);
    if (child < 0) {
      throw new FsException("open directory " + shown(name), Native.errno());
    }
    return new Directory(child, shown(name));
  }

  /** Opens the directory below this one along {@code names}, never following a link. */
  public Directory walk(List<FileName> names) throws FsException {
    Directory cur = this.duplicate();
    for (FileName n : names) {
      Directory next;
      try {
        next = cur.directory(n);
      } finally {
        cur.close();
      }
      cur = next;
    }
    return cur;
  }

  /** A second handle on this directory (its own descriptor). */
  public Directory duplicate() throws FsException {
    return new Directory(dot(fd, shown), shown);
  }

  /**
   * The directory {@code handle} holds (an {@code O_PATH} {@link #handle} whose type was checked on
   * it, say), opened without resolving any name; shown as the handle is.
   *
   * @throws FsException {@code ENOTDIR} if it holds anything else
   */
  public static Directory of(FileHandle handle) throws FsException {
    return new Directory(dot(handle.fd(), handle.shown()), handle.shown());
  }

  /** A new directory descriptor for {@code fd}'s own inode: {@code openat(fd, ".")}. */
  private static int dot(int fd, String shown) throws FsException {
    int d = Native.libc().openat(fd, new byte[] {'.', 0}, DIR_FLAGS, 0);
    if (d < 0) {
      throw new FsException("open directory " + shown, Native.errno());
    }
    return d;
  }

  /**
   * The subdirectory {@code name}, made if missing; anything else in its place (a file, a link, a
   * device) is removed first, so nothing is ever entered through a link.
   */
  public Directory ensureDirectory(FileName name, int mode) throws FsException {
    Optional<FileStatus> s = status(name);
    if (s.isPresent() && !s.get().isDirectory()) {
      unlink(name);
    }
    if (s.isEmpty() || !s.get().isDirectory()) {
      int rc = Native.libc().mkdirat(fd, name.cString(), mode & 07777);
      if (rc != 0 && Native.errno() != Native.EEXIST) {
        throw new FsException("mkdir " + shown(name), Native.errno());
      }
    }
    return directory(name);
  }

  /** The status of {@code name} itself (a link is not followed), or empty if there is none. */
  public Optional<FileStatus> status(FileName name) throws FsException {
    byte[] buf = new byte[256];
    int rc = Native.libc().statx(fd, name.cString(), Native.AT_SYMLINK_NOFOLLOW, 0x7ff, buf);
    if (rc != 0) {
      int e = Native.errno();
      if (e == Native.ENOENT) {
        return Optional.empty();
      }
      throw new FsException("stat " + shown(name), e);
    }
    return Optional.of(FileStatus.ofStatx(buf));
  }

  /** The status of this directory. */
  public FileStatus status() throws FsException {
    byte[] buf = new byte[256];
    int rc =
        Native.libc()
            .statx(
                fd, new byte[] {0}, Native.AT_EMPTY_PATH | Native.AT_SYMLINK_NOFOLLOW, 0x7ff, buf);
    if (rc != 0) {
      throw new FsException("stat " + shown, Native.errno());
    }
    return FileStatus.ofStatx(buf);
  }

  /** How {@link #open(FileName, Access, int)} may create. */
  public enum Create {
    /** The file must exist. */
    NO,
    /** Made if missing ({@code O_CREAT}). */
    IF_MISSING,
    /** Must not exist ({@code O_CREAT | O_EXCL}). */
    NEW
  }

  /** Read, write or both. */
  public enum Access {
    READ(Native.O_RDONLY),
    WRITE(Native.O_WRONLY),
    READ_WRITE(Native.O_RDWR);

    final int flag;

    Access(int flag) {
      this.flag = flag;
    }
  }

  /**
   * Opens the file {@code name} with {@code O_NOFOLLOW} and {@code O_NONBLOCK} (so that a FIFO or a
   * device never blocks the open), creating it as asked with permission bits {@code mode}. {@code
   * truncate} adds {@code O_TRUNC}. A symbolic link fails with {@code ELOOP}.
   */
  public FileHandle open(FileName name, Access access, Create create, boolean truncate, int mode)
      throws FsException {
    int flags = access.flag | Native.O_NOFOLLOW | Native.O_CLOEXEC | Native.O_NOCTTY;
    flags |= Native.O_NONBLOCK;
    flags |=
        switch (create) {
          case NO -> 0;
          case IF_MISSING -> Native.O_CREAT;
          case NEW -> Native.O_CREAT | Native.O_EXCL;
        };
    if (truncate) {
      flags |= Native.O_TRUNC;
    }
    int f = Native.libc().openat(fd, name.cString(), flags, mode & 07777);
    if (f < 0) {
      throw new FsException("open " + shown(name), Native.errno());
    }
    return new FileHandle(f, shown, name);
  }

  /**
   * An {@code O_PATH} handle on {@code name} itself, whatever its type (a symbolic link is the
   * link, not its target): to stat it, or to reach it through {@link FileHandle#procPath} without
   * resolving its name again. Never blocks, reads or writes anything.
   */
  public FileHandle handle(FileName name) throws FsException {
    int f =
        Native.libc()
            .openat(fd, name.cString(), Native.O_PATH | Native.O_NOFOLLOW | Native.O_CLOEXEC, 0);
    if (f < 0) {
      throw new FsException("open " + shown(name), Native.errno());
    }
    return new FileHandle(f, shown, name);
  }

  /**
   * The extended attributes of {@code name} itself, whatever its type (a symbolic link's own, never
   * its target's), read without opening it: for what opening could disturb (a FIFO, a device).
   * Needs {@code /proc}.
   */
  public List<Xattr> xattrs(FileName name) throws FsException {
    return Attributes.ofName(fd, name, shown(name));
  }

  /** This directory's own extended attributes, POSIX ACLs included. */
  public List<Xattr> xattrs() throws FsException {
    return Attributes.ofDescriptor(fd, shown);
  }

  /** This directory's inode flags ({@code lsattr -d}); 0 where the file system keeps none. */
  public int inodeFlags() throws FsException {
    return Attributes.flags(fd, shown);
  }

  /** Removes the non-directory {@code name} (a link itself, never its target). */
  public void unlink(FileName name) throws FsException {
    if (Native.libc().unlinkat(fd, name.cString(), 0) != 0) {
      throw new FsException("remove " + shown(name), Native.errno());
    }
  }

  /** Removes the empty directory {@code name}. */
  public void removeDirectory(FileName name) throws FsException {
    if (Native.libc().unlinkat(fd, name.cString(), Native.AT_REMOVEDIR) != 0) {
      throw new FsException("remove directory " + shown(name), Native.errno());
    }
  }

  /** Directories {@link #removeTree} holds open at most, whatever the depth. */
  static final int REMOVE_TREE_OPEN = 64;

  /**
   * Removes {@code name} whatever it is: a directory with everything below it (walked by handle, no
   * link followed: a link inside is removed, not entered), anything else by unlinking it. Works at
   * any depth with a bounded stack and at most {@value #REMOVE_TREE_OPEN} directories open: each
   * directory is listed once, and an ancestor whose handle was closed to stay within the bound is
   * reopened from the nearest open one, by name and never through a link.
   *
   * @return false if there was nothing to remove
   */
  public boolean removeTree(FileName name) throws FsException {
    Optional<FileStatus> s = status(name);
    if (s.isEmpty()) {
      return false;
    }
    if (!s.get().isDirectory()) {
      unlink(name);
      return true;
    }
    // frames.get(i) is the directory at depth i + 1 below this one: its name, the subdirectories
    // still to remove, and its handle while open.
    List<RemovalFrame> frames = new ArrayList<>();
    try {
      frames.add(new RemovalFrame(name, directory(name)));
      frames.get(0).emptyButSubdirectories();
      while (!frames.isEmpty()) {
        int top = frames.size() - 1;
        RemovalFrame f = frames.get(top);
        FileName sub = f.subdirectories.poll();
        if (sub != null) {
          Directory d = open(frames, top).directory(sub);
          frames.add(new RemovalFrame(sub, d));
          frames.get(top + 1).emptyButSubdirectories();
          bound(frames);
          continue;
        }
        f.close();
        frames.remove(top);
        (top == 0 ? this : open(frames, top - 1)).removeDirectory(f.name);
      }
    } finally {
      for (RemovalFrame f : frames) {
        f.close();
      }
    }
    return true;
  }

  /** The handle of frame {@code i}, reopened from the nearest open frame above it if closed. */
  private Directory open(List<RemovalFrame> frames, int i) throws FsException {
    int j = i;
    while (j >= 0 && frames.get(j).handle == null) {
      j--;
    }
    Directory cur = j < 0 ? this : frames.get(j).handle;
    for (int k = j + 1; k <= i; k++) {
      frames.get(k).handle = cur.directory(frames.get(k).name);
      cur = frames.get(k).handle;
    }
    bound(frames);
    return cur;
  }

  /** Closes the shallowest handles until at most {@link #REMOVE_TREE_OPEN} are open. */
  private static void bound(List<RemovalFrame> frames) throws FsException {
    int open = 0;
    for (RemovalFrame f : frames) {
      open += f.handle == null ? 0 : 1;
    }
    for (int i = 0; open > REMOVE_TREE_OPEN && i < frames.size() - 1; i++) {
      if (frames.get(i).handle != null) {
        frames.get(i).close();
        open--;
      }
    }
  }

  /** One directory being emptied by {@link #removeTree}. */
  private static final class RemovalFrame {
    final FileName name;
    final java.util.ArrayDeque<FileName> subdirectories = new java.util.ArrayDeque<>();
    Directory handle;

    RemovalFrame(FileName name, Directory handle) {
      this.name = name;
      this.handle = handle;
    }

    /** Unlinks everything in the directory but its subdirectories, which it remembers. */
    void emptyButSubdirectories() throws FsException {
      for (Entry e : handle.list()) {
        // d_type says which entries may be directories; their type is then asked of the name.
        boolean maybe = e.type() == Entry.DT_DIR || e.type() == Entry.DT_UNKNOWN;
        Optional<FileStatus> s = maybe ? handle.status(e.name()) : Optional.empty();
        if (maybe && s.isEmpty()) {
          continue; // gone meanwhile
        }
        if (maybe && s.get().isDirectory()) {
          subdirectories.add(e.name());
        } else {
          handle.unlink(e.name());
        }
      }
    }

    void close() throws FsException {
      if (handle != null) {
        Directory h = handle;
        handle = null;
        h.close();
      }
    }
  }

  /**
   * Renames {@code from} in this directory to {@code to} in {@code dir} ({@code renameat2}); with
   * {@code replace} false an existing {@code to} fails with {@code EEXIST}. Neither name is
   * followed if it is a link: the link itself moves.
   */
  public void rename(FileName from, Directory dir, FileName to, boolean replace)
      throws FsException {
    int flags = replace ? 0 : Native.RENAME_NOREPLACE;
    if (Native.libc().renameat2(fd, from.cString(), dir.fd, to.cString(), flags) != 0) {
      throw new FsException("rename " + shown(from) + " to " + dir.shown(to), Native.errno());
    }
  }

  /**
   * Swaps {@code a} in this directory and {@code b} in {@code dir} in one step ({@code renameat2}
   * with {@code RENAME_EXCHANGE}): both must exist, and each, a link or a directory alike, takes
   * the other's place without being followed. The swap a hostile local user makes to redirect a
   * path between its check and its use.
   */
  public void exchange(FileName a, Directory dir, FileName b) throws FsException {
    if (Native.libc().renameat2(fd, a.cString(), dir.fd, b.cString(), Native.RENAME_EXCHANGE)
        != 0) {
      throw new FsException("exchange " + shown(a) + " and " + dir.shown(b), Native.errno());
    }
  }

  /** Makes the symbolic link {@code name} holding {@code target} (bytes, not interpreted). */
  public void symlink(byte[] target, FileName name) throws FsException {
    byte[] t = java.util.Arrays.copyOf(target, target.length + 1);
    if (Native.libc().symlinkat(t, fd, name.cString()) != 0) {
      throw new FsException("symlink " + shown(name), Native.errno());
    }
  }

  /** The text of the symbolic link {@code name}. */
  public byte[] readLink(FileName name) throws FsException {
    byte[] buf = new byte[4097];
    long n = Native.libc().readlinkat(fd, name.cString(), buf, buf.length);
    if (n < 0) {
      throw new FsException("readlink " + shown(name), Native.errno());
    }
    return java.util.Arrays.copyOf(buf, (int) n);
  }

  /**
   * Makes {@code name} here a hard link to {@code existing} in {@code dir}; if {@code existing} is
   * a symbolic link, the new name is another link to the same link inode (never its target).
   */
  public void link(Directory dir, FileName existing, FileName name) throws FsException {
    if (Native.libc().linkat(dir.fd, existing.cString(), fd, name.cString(), 0) != 0) {
      throw new FsException("link " + shown(name) + " to " + dir.shown(existing), Native.errno());
    }
  }

  /** Makes a FIFO, socket or device node; {@code mode} carries the type bits. */
  public void mknod(FileName name, int mode, long dev) throws FsException {
    if (Native.libc().mknodat(fd, name.cString(), mode, dev) != 0) {
      throw new FsException("mknod " + shown(name), Native.errno());
    }
  }

  /** Sets the owner of {@code name} itself (a link is not followed). */
  public void chown(FileName name, int uid, int gid) throws FsException {
    if (Native.libc().fchownat(fd, name.cString(), uid, gid, Native.AT_SYMLINK_NOFOLLOW) != 0) {
      throw new FsException("chown " + shown(name), Native.errno());
    }
  }

  /**
   * Sets the 12 permission bits of {@code name}, which must not be a symbolic link (links have no
   * mode of their own on Linux): done on an {@code O_PATH} handle, so a link swapped in is never
   * followed.
   */
  public void chmod(FileName name, int mode) throws FsException {
    try (FileHandle h = handle(name)) {
      if (h.status().isSymbolicLink()) {
        throw new FsException("chmod " + shown(name), Native.ELOOP);
      }
      h.chmod(mode);
    }
  }

  /** Sets the access and modification times of {@code name} itself (a link is not followed). */
  public void setTimes(FileName name, long atime, int atimeNanos, long mtime, int mtimeNanos)
      throws FsException {
    long[] times = {atime, atimeNanos, mtime, mtimeNanos};
    if (Native.libc().utimensat(fd, name.cString(), times, Native.AT_SYMLINK_NOFOLLOW) != 0) {
      throw new FsException("set times of " + shown(name), Native.errno());
    }
  }

  /**
   * Makes the new directory {@code name} ({@code mkdirat}) without opening it.
   *
   * @throws FsException {@code EEXIST} if anything of that name is there, a link included
   */
  public void createDirectory(FileName name, int mode) throws FsException {
    if (Native.libc().mkdirat(fd, name.cString(), mode & 07777) != 0) {
      throw new FsException("mkdir " + shown(name), Native.errno());
    }
  }

  /** Sets this directory's own owner. */
  public void chown(int uid, int gid) throws FsException {
    if (Native.libc().fchown(fd, uid, gid) != 0) {
      throw new FsException("chown " + shown, Native.errno());
    }
  }

  /** Sets this directory's own access and modification times. */
  public void setTimes(long atime, int atimeNanos, long mtime, int mtimeNanos) throws FsException {
    long[] times = {atime, atimeNanos, mtime, mtimeNanos};
    if (Native.libc().futimens(fd, times) != 0) {
      throw new FsException("set times of " + shown, Native.errno());
    }
  }

  /** Sets this directory's own permission bits. */
  public void chmod(int mode) throws FsException {
    if (Native.libc().fchmod(fd, mode & 07777) != 0) {
      throw new FsException("chmod " + shown, Native.errno());
    }
  }

  /** One entry of a directory listing. */
  public record Entry(FileName name, long ino, int type) {
    /** {@code d_type} for a directory. */
    public static final int DT_DIR = 4;

    /** {@code d_type} for a symbolic link. */
    public static final int DT_LNK = 10;

    /** {@code d_type} when the file system does not say. */
    public static final int DT_UNKNOWN = 0;
  }

  /** The entries of this directory, {@code .} and {@code ..} left out, in the order read. */
  public List<Entry> list() throws FsException {
    int d = dot(fd, shown);
    Pointer dir = Native.libc().fdopendir(d);
    if (dir == null) {
      int e = Native.errno();
      Native.libc().close(d);
      throw new FsException("open directory " + shown, e);
    }
    List<Entry> out = new ArrayList<>();
    byte[] raw = new byte[256]; // d_name: at most 255 bytes and a NUL
    try {
      while (true) {
        Native.clearErrno();
        Pointer ent = Native.libc().readdir(dir);
        if (ent == null) {
          int e = Native.errno();
          if (e != 0) {
            throw new FsException("read directory " + shown, e);
          }
          return out;
        }
        // struct dirent on 64-bit glibc: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
        int reclen = ent.getShort(16) & 0xFFFF;
        int max = Math.min(raw.length, Math.max(0, reclen - 19));
        ent.get(19, raw, 0, max);
        int len = 0;
        while (len < max && raw[len] != 0) {
          len++;
        }
        FileName name = FileName.ofRange(raw, 0, len);
        if (name != null) {
          out.add(new Entry(name, ent.getLong(0), ent.getByte(18) & 0xFF));
        }
      }
    } finally {
      Native.libc().closedir(dir);
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
