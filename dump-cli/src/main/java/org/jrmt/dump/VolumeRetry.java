package org.jrmt.dump;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * jdump's answer to a volume whose device failed: with {@code --retry N}, up to N rewrites, each
 * after a pause that doubles from one second to at most eight (time for a daemon to come back);
 * without it, the operator is asked on {@code /dev/tty}; with {@code -q} or no terminal, never.
 */
final class VolumeRetry implements DumpJob.Retry {
  private static final long MAX_PAUSE_MS = 8_000;

  private final int retries;
  private final boolean neverAsk;
  private final PrintStream err;

  /** {@code retries} rewrites per volume (0: ask the operator unless {@code neverAsk}). */
  VolumeRetry(int retries, boolean neverAsk, PrintStream err) {
    this.retries = retries;
    this.neverAsk = neverAsk;
    this.err = err;
  }

  @Override
  public boolean again(int volume, int attempt, IOException cause) throws IOException {
    if (retries > 0) {
      if (attempt > retries) {
        return false;
      }
      long pause = Math.min(MAX_PAUSE_MS, 1_000L << Math.min(attempt - 1, 10));
      err.printf(
          "  DUMP: %s; rewriting volume %d from its start in %d s (attempt %d of %d)%n",
          cause.getMessage(), volume, pause / 1000, attempt, retries);
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted before rewriting volume " + volume);
      }
      return true;
    }
    return !neverAsk && ask(volume, cause);
  }

  private static boolean ask(int volume, IOException cause) {
    try {
      String line =
          Operator.ask(
              Path.of("/dev/tty"),
              String.format(
                  "  DUMP: %s: rewrite volume %d? [yes/no] ", cause.getMessage(), volume));
      return line != null && line.equalsIgnoreCase("yes");
    } catch (IOException e) {
      return false; // no terminal to ask on
    }
  }
}
