package org.jrmt.dump;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** The few system calls jrestore needs that java.nio lacks: owners, modes, nodes, times. */
final class Posix {
  /** The C library's mknod, which jnr-posix does not offer. */
  public interface LibC {
    int mknod(String path, int mode, long dev);
  }

  private static final POSIX POSIX = POSIXFactory.getNativePOSIX();
  private static LibC libc;

  private Posix() {}

  static boolean isRoot() {
    return POSIX.geteuid() == 0;
  }

  private static void check(int rc, String what, Path p) throws IOException {
    if (rc != 0) {
      throw new IOException(what + " " + p + ": " + POSIX.strerror(POSIX.errno()));
    }
  }

  /** Owner of {@code p} itself (a symbolic link is not followed). */
  static void lchown(Path p, int uid, int gid) throws IOException {
    check(POSIX.lchown(p.toString(), uid, gid), "chown", p);
  }

  /** All 12 permission bits, set-id and sticky included (not for symbolic links). */
  static void chmod(Path p, int mode) throws IOException {
    check(POSIX.chmod(p.toString(), mode & 07777), "chmod", p);
  }

  /** Access and modification times of {@code p} itself, in seconds. */
  static void lutimes(Path p, long atime, long mtime) throws IOException {
    check(POSIX.lutimes(p.toString(), new long[] {atime, 0}, new long[] {mtime, 0}), "utimes", p);
  }

  /** Sets the size of the regular file {@code p} (a trailing hole stays a hole). */
  static void truncate(Path p, long size) throws IOException {
    check(POSIX.truncate(p.toString(), size), "truncate", p);
  }

  static void mkfifo(Path p, int mode) throws IOException {
    check(POSIX.mkfifo(p.toString(), mode & 07777), "mkfifo", p);
  }

  /** A device node or socket; {@code mode} carries the type bits. */
  static synchronized void mknod(Path p, int mode, long dev) throws IOException {
    if (libc == null) {
      libc = LibraryLoader.create(LibC.class).load("c");
    }
    check(libc.mknod(p.toString(), mode, dev), "mknod", p);
  }
}
