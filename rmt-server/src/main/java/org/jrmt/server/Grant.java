package org.jrmt.server;

/** What a policy rule allows on a device. */
public enum Grant {
  /** Open for reading only. */
  READ_ONLY,
  /**
   * Add to the end of what is recorded, never destroy it: a tape opened for writing is positioned
   * at the end of its recorded data ({@code O_TRUNC} is ignored, as a drive ignores it), so each
   * backup becomes the next file; no erase; records and filemarks are written only at the end of
   * data, so a rewind (or any motion) followed by a write is refused. Plain files get every write
   * at their end ({@code O_APPEND}) and refuse {@code O_TRUNC}. The ransomware-safe mode.
   */
  APPEND_ONLY,
  /** Everything the device can do. */
  FULL;

  /** The name the configuration uses: {@code read-only}, {@code append-only} or {@code full}. */
  public String configName() {
    return switch (this) {
      case READ_ONLY -> "read-only";
      case APPEND_ONLY -> "append-only";
      case FULL -> "full";
    };
  }

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
