package org.jrmt.tape;

import java.util.Locale;
import java.util.Optional;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.OpNumbering;
import org.jrmt.protocol.TapeOp;

/**
 * What differs between the tape drivers jrmt knows: request codes, {@code mt_op} numbers, the
 * {@code struct mtget} decoding and errno numbering. Linux st is the primary target; the FreeBSD sa
 * table follows its {@code sys/mtio.h} and has not been run against a real FreeBSD system.
 */
enum MtioLayout {
  /** Linux st, LP64 ({@code linux/mtio.h}). */
  LINUX(0x40086d01L, 0x80306d02L, 0x80086d03L, 20, EndOfTapeMode.ENOSPC),
  /** FreeBSD sa ({@code sys/mtio.h}); MTIOCPOS does not exist there. */
  FREEBSD(0x80086d01L, 0x404c6d02L, -1, 10, EndOfTapeMode.ZERO);

  /** {@code mt_gstat} bits of Linux st. */
  static final long GMT_EOF = 0x80000000L;

  static final long GMT_BOT = 0x40000000L;
  static final long GMT_EOT = 0x20000000L;
  static final long GMT_SM = 0x10000000L;
  static final long GMT_EOD = 0x08000000L;
  static final long GMT_WR_PROT = 0x04000000L;
  static final long GMT_ONLINE = 0x01000000L;

  private final long mtioctop;
  private final long mtiocget;
  private final long mtiocpos;
  private final int setBlockSizeOp;
  private final EndOfTapeMode driverEndOfTapeMode;

  MtioLayout(long top, long get, long pos, int setblk, EndOfTapeMode eot) {
    this.mtioctop = top;
    this.mtiocget = get;
    this.mtiocpos = pos;
    this.setBlockSizeOp = setblk;
    this.driverEndOfTapeMode = eot;
  }

  /** The layout of the running system, if it is one jrmt drives tapes on. */
  static Optional<MtioLayout> current() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) {
      return Optional.of(LINUX);
    }
    if (os.startsWith("freebsd")) {
      return Optional.of(FREEBSD);
    }
    return Optional.empty();
  }

  long mtioctop() {
    return mtioctop;
  }

  long mtiocget() {
    return mtiocget;
  }

  /** The MTIOCPOS request, or -1 where the system has none. */
  long mtiocpos() {
    return mtiocpos;
  }

  /** The op that sets the block size (MTSETBLK, MTSETBSIZ); count 0 = variable. */
  int setBlockSizeOp() {
    return setBlockSizeOp;
  }

  /** How this system's driver reports a write at the end of the tape. */
  EndOfTapeMode driverEndOfTapeMode() {
    return driverEndOfTapeMode;
  }

  /** The native {@code mt_op} number of an operation. */
  int opNumber(TapeOp op) throws TapeException {
    OpNumbering numbering = this == LINUX ? OpNumbering.LINUX : OpNumbering.FREEBSD;
    return numbering
        .encode(op)
        .orElseThrow(() -> new TapeException(Errno.EINVAL, op + " has no number on " + this));
  }

  /** The errno with this native number; unknown numbers become EIO. */
  Errno errno(int number) {
    Optional<Errno> e = this == LINUX ? Errno.ofLinux(number) : Errno.ofFreebsd(number);
    return e.orElse(Errno.EIO);
  }

  /** Decodes a Linux {@code struct mtget}. */
  static TapeStatus decodeLinux(long dsreg, long gstat, int fileno, int blkno) {
    return new TapeStatus(
        (gstat & GMT_BOT) != 0,
        (gstat & GMT_EOF) != 0,
        (gstat & GMT_EOT) != 0,
        (gstat & GMT_EOD) != 0,
        (gstat & GMT_WR_PROT) != 0,
        (gstat & GMT_ONLINE) != 0,
        (int) (dsreg & 0xFFFFFF),
        (int) ((dsreg >>> 24) & 0xFF),
        fileno,
        blkno);
  }

  /**
   * Decodes a FreeBSD {@code struct mtget}, which has no status bits: the beginning of tape is
   * inferred from the position, and a successful ioctl means a medium is online.
   */
  static TapeStatus decodeFreebsd(int blksiz, int density, int fileno, int blkno) {
    return new TapeStatus(
        fileno == 0 && blkno == 0,
        false,
        false,
        false,
        false,
        true,
        blksiz,
        density,
        fileno,
        blkno);
  }
}
