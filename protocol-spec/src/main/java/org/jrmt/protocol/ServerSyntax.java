package org.jrmt.protocol;

import java.util.Objects;

/**
 * How a server reads the parts of the protocol that dialects disagree on.
 *
 * @param limits the caps on arguments and records
 * @param seekOrder the {@code L} order used when the lines do not reveal it (see {@link
 *     SeekArguments})
 * @param detectSeekOrder whether the lines may reveal the order; false forces {@code seekOrder}
 * @param numericFlags how a bare numeric open flag line is read
 */
public record ServerSyntax(
    ParserLimits limits, SeekOrder seekOrder, boolean detectSeekOrder, NumericFlags numericFlags) {
  /**
   * jrmt's default: 4 KiB / 16 MiB caps, offset-first {@code L} with detection (what dump, star,
   * tar 1.34, cpio 2.13 and mt send), numeric flags trusted for the access mode only.
   */
  public static final ServerSyntax DEFAULT =
      new ServerSyntax(
          ParserLimits.DEFAULT, SeekOrder.OFFSET_FIRST, true, NumericFlags.ACCESS_MODE_ONLY);

  public ServerSyntax {
    Objects.requireNonNull(limits);
    Objects.requireNonNull(seekOrder);
    Objects.requireNonNull(numericFlags);
  }

  /** A copy with other limits. */
  public ServerSyntax withLimits(ParserLimits newLimits) {
    return new ServerSyntax(newLimits, seekOrder, detectSeekOrder, numericFlags);
  }

  /** A copy with another seek order and detection setting. */
  public ServerSyntax withSeekOrder(SeekOrder order, boolean detect) {
    return new ServerSyntax(limits, order, detect, numericFlags);
  }
}
