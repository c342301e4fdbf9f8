package org.jrmt.dump;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What jdump tells its operator after the tree is written, as dump does: the records and volumes
 * written, the time and throughput, every file not carried in full (named again, however early its
 * warning scrolled by), {@code DUMP IS DONE}, and the exit status that goes with it.
 */
final class DumpReport {
  private final PrintStream err;
  private final List<String> notCarried;
  private final long start;

  /** A report on {@code err}, starting with the files the scan could not carry. */
  DumpReport(PrintStream err, List<String> notCarried, long startNanos) {
    this.err = err;
    this.notCarried = new ArrayList<>(notCarried);
    this.start = startNanos;
  }

  /** A file not carried in full, found while writing: named now and in the summary. */
  void warn(String what) {
    notCarried.add(what);
    err.println("  DUMP: Warning: " + what);
  }

  /** The dump is on its volumes: {@code inodes} inodes in {@code records} 1 KiB records. */
  void written(int inodes, long records, int volumes, long nowNanos) {
    long bytes = records * DumpHeader.TP_BSIZE;
    err.println("  DUMP: " + inodes + " inodes dumped");
    double seconds = Math.max(1e-3, (nowNanos - start) / 1e9);
    err.printf(
        Locale.ROOT,
        "  DUMP: %d blocks (%.2fMB) on %d volume(s)%n",
        bytes / 1024,
        bytes / 1048576.0,
        volumes);
    err.printf(
        Locale.ROOT,
        "  DUMP: finished in %d seconds, throughput %d kBytes/sec%n",
        Math.round(seconds),
        (long) (bytes / 1024 / seconds));
  }

  /**
   * Ends the report: the files not carried in full, then {@code DUMP IS DONE}.
   *
   * @return the exit status: 0, or {@link Jdump#NOT_ALL_CARRIED} when a file was not carried
   */
  int done() {
    if (!notCarried.isEmpty()) {
      err.println(
          "  DUMP: Some files were not carried in full (exit status "
              + Jdump.NOT_ALL_CARRIED
              + "):");
      for (String w : notCarried) {
        err.println("  DUMP:   " + w);
      }
    }
    err.println("  DUMP: DUMP IS DONE");
    return notCarried.isEmpty() ? 0 : Jdump.NOT_ALL_CARRIED;
  }
}
