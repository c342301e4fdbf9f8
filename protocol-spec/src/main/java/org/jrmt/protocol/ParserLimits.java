package org.jrmt.protocol;

/**
 * The hard caps a server-side parser enforces before it allocates anything.
 *
 * @param maxArgumentLength the longest argument line, in bytes, without its newline (default 4096)
 * @param maxRecordSize the largest {@code W} payload and {@code R} count (default 16 MiB)
 */
public record ParserLimits(int maxArgumentLength, int maxRecordSize) {
  /** The default limits: 4 KiB arguments, 16 MiB records. */
  public static final ParserLimits DEFAULT = new ParserLimits(4096, 16 << 20);

  public ParserLimits {
    if (maxArgumentLength < 64 || maxRecordSize < 1) {
      throw new IllegalArgumentException("limits too small");
    }
  }
}
