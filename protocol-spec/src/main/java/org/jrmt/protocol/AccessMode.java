package org.jrmt.protocol;

/**
 * The O_ACCMODE part of an open request; the same numbers (0, 1, 2) on every system rmt runs on.
 */
public enum AccessMode {
  READ_ONLY(0, "O_RDONLY"),
  WRITE_ONLY(1, "O_WRONLY"),
  READ_WRITE(2, "O_RDWR");

  private final int bits;
  private final String symbol;

  AccessMode(int bits, String symbol) {
    this.bits = bits;
    this.symbol = symbol;
  }

  /** The numeric value (the low two bits of the open flags). */
  public int bits() {
    return bits;
  }

  /** The symbolic name with its {@code O_} prefix. */
  public String symbol() {
    return symbol;
  }

  /** True when the mode allows writing. */
  public boolean writes() {
    return this != READ_ONLY;
  }

  /** The mode for the low two bits of a flag word; 3 (undefined on Linux) counts as read-write. */
  public static AccessMode ofBits(int flags) {
    return switch (flags & 3) {
      case 0 -> READ_ONLY;
      case 1 -> WRITE_ONLY;
      default -> READ_WRITE;
    };
  }
}
