package org.jrmt.fs;

import java.io.IOException;
import org.jrmt.protocol.Errno;

/** A system call on a handle failed: what was done, to which name, and the C library's errno. */
public final class FsException extends IOException {
  private final int errno;

  FsException(String what, int errno) {
    super(what + ": " + describe(errno));
    this.errno = errno;
  }

  /** The Linux errno number. */
  public int errno() {
    return errno;
  }

  /** The errno as jrmt's table knows it, {@code EIO} for one it does not. */
  public Errno errnoValue() {
    return Errno.ofLinux(errno).orElse(Errno.EIO);
  }

  /** The errno in words ("Permission denied"), without the operation and the name. */
  public String cause() {
    return describe(errno);
  }

  /** True for {@code ENOENT}. */
  public boolean notFound() {
    return errno == Native.ENOENT;
  }

  /**
   * True when a symbolic link stood where no link may be followed ({@code ELOOP} from {@code
   * O_NOFOLLOW}) or a non-directory where a directory was asked for ({@code ENOTDIR}).
   */
  public boolean wrongType() {
    return errno == Native.ELOOP || errno == Native.ENOTDIR;
  }

  static String describe(int errno) {
    return Errno.ofLinux(errno).map(Errno::message).orElse("errno " + errno);
  }
}
