package org.jrmt.dump;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * dump's running report on stderr: every {@code interval} a line {@code DUMP: 37.20% done, finished
 * in 0:12} (hours:minutes left, from the rate so far), against an estimate of the records the dump
 * will write. Told of each tape record written, on the writer's thread.
 */
final class Progress {
  /** The system property giving the interval in seconds (fractions allowed). */
  static final String INTERVAL_PROPERTY = "jdump.progress.seconds";

  private static final double DEFAULT_SECONDS = 10;

  private final PrintStream err;
  private final long estimate;
  private final long interval;
  private final LongSupplier nanoTime;
  private final long start;
  private long next;

  /** Reports against {@code estimate} records every {@code intervalNanos} of {@code nanoTime}. */
  Progress(PrintStream err, long estimate, long intervalNanos, LongSupplier nanoTime) {
    this.err = err;
    this.estimate = Math.max(1, estimate);
    this.interval = intervalNanos;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
    this.next = start + intervalNanos;
  }

  /** The interval the system property asks for, else ten seconds. */
  static long intervalNanos() {
    String value = System.getProperty(INTERVAL_PROPERTY);
    double seconds = DEFAULT_SECONDS;
    if (value != null) {
      try {
        seconds = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        // a bad hidden setting keeps the default
      }
    }
    return (long) (Math.max(0.001, seconds) * 1e9);
  }

  /** {@code records} are written so far; prints a line when the interval has passed. */
  void written(long records) {
    long now = nanoTime.getAsLong();
    if (now - next < 0 || records <= 0) {
      return;
    }
    next = now + interval;
    double fraction = Math.min(1.0, (double) records / estimate);
    long leftSeconds = (long) ((now - start) / 1e9 * (1 - fraction) / fraction);
    err.printf(
        Locale.ROOT,
        "  DUMP: %.2f%% done, finished in %d:%02d%n",
        fraction * 100,
        leftSeconds / 3600,
        leftSeconds / 60 % 60);
  }
}
