package org.jrmt.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * An open(2) flag other than the access mode, with its Linux and FreeBSD numeric values.
 *
 * <p>Several names are aliases that real clients send: {@code NDELAY} for {@link #NONBLOCK} and
 * {@code FSYNC} for {@link #SYNC}. {@link #IGNORED} collects the names a client may send that have
 * no meaning for a tape server ({@code TEXT}, {@code PRIV}, {@code BINARY}); they are accepted and
 * dropped.
 */
public enum OpenFlag {
  CREAT(0100, 0x200),
  EXCL(0200, 0x800),
  NOCTTY(0400, 0x8000),
  TRUNC(01000, 0x400),
  APPEND(02000, 0x8),
  NONBLOCK(04000, 0x4),
  DSYNC(010000, 0x1000000),
  ASYNC(020000, 0x40),
  /** O_SYNC; on Linux its value also contains the O_DSYNC bit. */
  SYNC(04010000, 0x80),
  /** O_RSYNC equals O_SYNC on Linux; it has no separate bit. */
  RSYNC(0, 0),
  /** O_LARGEFILE is 0 in 64-bit Linux user land and does not exist on FreeBSD. */
  LARGEFILE(0, 0),
  NOFOLLOW(0400000, 0x100),
  /** Names accepted and dropped: TEXT, PRIV, BINARY. */
  IGNORED(0, 0);

  private final int linux;
  private final int freebsd;

  OpenFlag(int linux, int freebsd) {
    this.linux = linux;
    this.freebsd = freebsd;
  }

  /** The Linux bit value (octal in the headers). */
  public int linuxBits() {
    return linux;
  }

  /** The FreeBSD bit value. */
  public int freebsdBits() {
    return freebsd;
  }

  /** The symbolic name as GNU and dump clients send it, with the {@code O_} prefix. */
  public String symbol() {
    return "O_" + name();
  }

  /**
   * Looks up a symbolic flag name as any client spells it: with or without {@code O_}, in upper
   * case, including the aliases NDELAY, FSYNC, TEXT, PRIV and BINARY. Access-mode names are not
   * flags and are not found here.
   */
  public static Optional<OpenFlag> ofName(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (n.startsWith("O_")) {
      n = n.substring(2);
    }
    switch (n) {
      case "NDELAY":
        return Optional.of(NONBLOCK);
      case "FSYNC":
        return Optional.of(SYNC);
      case "TEXT":
      case "PRIV":
      case "BINARY":
        return Optional.of(IGNORED);
      case "IGNORED":
        return Optional.empty();
      default:
        for (OpenFlag f : values()) {
          if (f.name().equals(n)) {
            return Optional.of(f);
          }
        }
        return Optional.empty();
    }
  }
}
