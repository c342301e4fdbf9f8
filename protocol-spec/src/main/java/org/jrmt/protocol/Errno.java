package org.jrmt.protocol;

import java.util.Optional;

/**
 * The errno values rmt carries in {@code E} replies, with their Linux and FreeBSD numbers and the
 * short strerror-style text servers put on the message line.
 *
 * <p>rmt passes numbers through untranslated, so jrmt always sends the Linux (POSIX) number; the
 * FreeBSD number is kept for decoding replies from FreeBSD servers. Numbers 1 to 34 except 11 are
 * the same on both systems and are the only ones a classic client can rely on.
 */
public enum Errno {
  EPERM(1, 1, "Operation not permitted"),
  ENOENT(2, 2, "No such file or directory"),
  ESRCH(3, 3, "No such process"),
  EINTR(4, 4, "Interrupted system call"),
  EIO(5, 5, "Input/output error"),
  ENXIO(6, 6, "No such device or address"),
  E2BIG(7, 7, "Argument list too long"),
  ENOEXEC(8, 8, "Exec format error"),
  EBADF(9, 9, "Bad file descriptor"),
  ECHILD(10, 10, "No child processes"),
  EAGAIN(11, 35, "Resource temporarily unavailable"),
  ENOMEM(12, 12, "Cannot allocate memory"),
  EACCES(13, 13, "Permission denied"),
  EFAULT(14, 14, "Bad address"),
  ENOTBLK(15, 15, "Block device required"),
  EBUSY(16, 16, "Device or resource busy"),
  EEXIST(17, 17, "File exists"),
  EXDEV(18, 18, "Invalid cross-device link"),
  ENODEV(19, 19, "No such device"),
  ENOTDIR(20, 20, "Not a directory"),
  EISDIR(21, 21, "Is a directory"),
  EINVAL(22, 22, "Invalid argument"),
  ENFILE(23, 23, "Too many open files in system"),
  EMFILE(24, 24, "Too many open files"),
  ENOTTY(25, 25, "Inappropriate ioctl for device"),
  ETXTBSY(26, 26, "Text file busy"),
  EFBIG(27, 27, "File too large"),
  ENOSPC(28, 28, "No space left on device"),
  ESPIPE(29, 29, "Illegal seek"),
  EROFS(30, 30, "Read-only file system"),
  EMLINK(31, 31, "Too many links"),
  EPIPE(32, 32, "Broken pipe"),
  EDOM(33, 33, "Numerical argument out of domain"),
  ERANGE(34, 34, "Numerical result out of range"),
  EDEADLK(35, 11, "Resource deadlock avoided"),
  ENAMETOOLONG(36, 63, "File name too long"),
  ENOSYS(38, 78, "Function not implemented"),
  ENOTEMPTY(39, 66, "Directory not empty"),
  ELOOP(40, 62, "Too many levels of symbolic links"),
  EOVERFLOW(75, 84, "Value too large for defined data type"),
  EOPNOTSUPP(95, 45, "Operation not supported"),
  ECONNRESET(104, 54, "Connection reset by peer"),
  ETIMEDOUT(110, 60, "Connection timed out"),
  ENOMEDIUM(123, -1, "No medium found"),
  ECANCELED(125, 85, "Operation canceled");

  private final int linux;
  private final int freebsd;
  private final String message;

  Errno(int linux, int freebsd, String message) {
    this.linux = linux;
    this.freebsd = freebsd;
    this.message = message;
  }

  /** The number jrmt puts on the wire (Linux numbering). */
  public int number() {
    return linux;
  }

  /** The FreeBSD number, or -1 where FreeBSD has no such error. */
  public int freebsdNumber() {
    return freebsd;
  }

  /** The strerror-style text for the {@code E} reply's message line: ASCII, one line, short. */
  public String message() {
    return message;
  }

  /** The errno with this Linux number, if jrmt knows it. */
  public static Optional<Errno> ofLinux(int number) {
    for (Errno e : values()) {
      if (e.linux == number) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The errno with this FreeBSD number, if jrmt knows it. */
  public static Optional<Errno> ofFreebsd(int number) {
    for (Errno e : values()) {
      if (e.freebsd == number) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Looks up a symbolic name such as {@code "ENOSPC"}. */
  public static Optional<Errno> ofName(String name) {
    for (Errno e : values()) {
      if (e.name().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
