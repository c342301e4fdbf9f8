package org.jrmt.server;

import java.util.function.LongSupplier;

/**
 * Lets through at most {@code burst} log lines per period and counts the rest, so that a client
 * repeating a request that fails unexpectedly cannot flood the log (a stack trace per request was
 * what it got before). Thread-safe.
 */
final class LogLimiter {
  private final int burst;
  private final long periodNanos;
  private final LongSupplier clock;
  private long periodStart;
  private int lines;
  private long suppressed;

  /** At most {@code burst} lines per {@code periodNanos} of {@code clock} (nanoseconds). */
  LogLimiter(int burst, long periodNanos, LongSupplier clock) {
    this.burst = burst;
    this.periodNanos = periodNanos;
    this.clock = clock;
    this.periodStart = clock.getAsLong();
  }

  /**
   * Whether a line may be logged now; when it may and lines were held back before, {@code
   * suppressed} tells how many (to say so in the line).
   *
   * @return -1 to hold the line back, else the number of lines held back since the last one let
   *     through
   */
  synchronized long acquire() {
    long now = clock.getAsLong();
    if (now - periodStart >= periodNanos) {
      periodStart = now;
      lines = 0;
    }
    if (lines >= burst) {
      suppressed++;
      return -1;
    }
    lines++;
    long held = suppressed;
    suppressed = 0;
    return held;
  }
}
