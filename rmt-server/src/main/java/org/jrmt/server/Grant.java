package org.jrmt.server;

/** What a policy rule allows on a device. */
public enum Grant {
  /** Open for reading only. */
  READ_ONLY,
  /**
   * Add to the end of what is recorded, never destroy it: no {@code O_TRUNC}, no erase, and records
   * and filemarks are written only at the end of data (after {@code mt eom}), so a rewind followed
   * by a write is refused. The ransomware-safe mode.
   */
  APPEND_ONLY,
  /** Everything the device can do. */
  FULL;

  /** Parses {@code read-only}, {@code append-only} or {@code full}. */
  public static Grant parse(String s) {
    return switch (s) {
      case "read-only" -> READ_ONLY;
      case "append-only" -> APPEND_ONLY;
      case "full" -> FULL;
      default ->
          throw new IllegalArgumentException(
              "mode must be read-only, append-only or full, not '" + s + "'");
    };
  }
}
