package org.jrmt.protocol;

/**
 * The fields of a struct mtget, as sent raw in the reply to {@code S}, independent of layout.
 *
 * <p>On Linux, {@code dsreg} holds the block size in its low 24 bits and the density code in its
 * high 8; {@code gstat} holds the {@code GMT_*} bits below. {@link MtGetLayout} turns this into the
 * bytes a given client platform expects.
 *
 * @param type drive type (Linux MT_ISSCSI2 is 0x72)
 * @param resid residual count
 * @param dsreg drive status register (block size and density on Linux)
 * @param gstat generic status bits ({@code GMT_*})
 * @param erreg error register (low 16 bits: soft error count)
 * @param fileno current file number, -1 when unknown
 * @param blkno current block number within the file, -1 when unknown
 */
public record MtGet(
    long type, long resid, long dsreg, long gstat, long erreg, int fileno, int blkno) {
  /** Linux generic status: at a filemark. */
  public static final long GMT_EOF = 0x80000000L;

  /** Linux generic status: at beginning of tape. */
  public static final long GMT_BOT = 0x40000000L;

  /** Linux generic status: at or past the early warning of end of tape. */
  public static final long GMT_EOT = 0x20000000L;

  /** Linux generic status: at a setmark. */
  public static final long GMT_SM = 0x10000000L;

  /** Linux generic status: at end of recorded data. */
  public static final long GMT_EOD = 0x08000000L;

  /** Linux generic status: write protected. */
  public static final long GMT_WR_PROT = 0x04000000L;

  /** Linux generic status: a tape is loaded and ready. */
  public static final long GMT_ONLINE = 0x01000000L;

  /** Linux generic status: the door is open. */
  public static final long GMT_DR_OPEN = 0x00040000L;

  /** Linux generic status: immediate report mode. */
  public static final long GMT_IM_REP_EN = 0x00010000L;

  /** Linux drive type for a SCSI-2 tape (what st reports). */
  public static final long MT_ISSCSI2 = 0x72;

  /** The block size (0 = variable) from a Linux dsreg. */
  public int blockSize() {
    return (int) (dsreg & 0xFFFFFF);
  }

  /** The density code from a Linux dsreg. */
  public int density() {
    return (int) ((dsreg >>> 24) & 0xFF);
  }

  /** True when every bit of {@code mask} is set in gstat. */
  public boolean has(long mask) {
    return (gstat & mask) == mask;
  }
}
