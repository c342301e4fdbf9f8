package org.jrmt.dump;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Instant;
import org.apache.commons.cli.ParseException;
import org.jrmt.client.RemoteTapes;

/**
 * {@code jdump}: writes a directory tree in dump(8) format that the stock {@code restore} reads, to
 * a local file, a local tape or a remote one ({@code host:path}, {@code rmt://}, {@code rmts://}).
 * A run is three steps: the command line ({@link JdumpOptions}), the job (the base of an
 * incremental, the scan, the stream written onto the volumes by a {@link DumpJob}, which owns what
 * happens when a device fails), and the report ({@link DumpReport}).
 *
 * <p>Exit status as dump: 0 done, 1 bad usage or startup error, 3 aborted; and {@link
 * #NOT_ALL_CARRIED} (2, which dump never exits with) when the dump is done but some files were not
 * carried in full (left out, unreadable, changed while being read, attributes or times the format
 * cannot hold): each is named in the summary before {@code DUMP IS DONE}.
 */
public final class Jdump {
  private Jdump() {}

  /** The exit status of a dump that is done but did not carry every file in full. */
  public static final int NOT_ALL_CARRIED = 2;

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) {
    return run(args, err, TreeScanner.StatSource.SYSTEM);
  }

  /** Runs jdump reading the tree through {@code stat} (a seam for tests); returns the status. */
  public static int run(String[] args, PrintStream err, TreeScanner.StatSource stat) {
    JdumpOptions o;
    try {
      o = JdumpOptions.parse(args);
    } catch (ParseException | IllegalArgumentException e) {
      err.println("jdump: " + e.getMessage());
      err.println(JdumpOptions.USAGE);
      return 1;
    }
    if (o == null) {
      try {
        JdumpOptions.helpOrVersion(args, System.out);
      } catch (ParseException e) {
        throw new IllegalStateException("parsed once already", e);
      }
      return 0;
    }
    Instant now = Instant.now();
    DumpDates dates = new DumpDates(o.dumpdates);
    Base base;
    try {
      base = base(o, dates, err);
    } catch (IOException e) {
      err.println("  DUMP: " + e.getMessage());
      return 1;
    }
    err.println(
        "  DUMP: Date of this level " + base.level + " dump: " + DumpDates.ASCTIME.format(now));
    if (base.level > 0) {
      err.println(
          "  DUMP: Date of last level dump it is based on: "
              + DumpDates.ASCTIME.format(Instant.ofEpochSecond(base.since)));
    }
    err.println("  DUMP: Dumping " + o.source + " to " + o.output);
    if (o.scan.notice() != null) {
      err.println("  DUMP: " + o.scan.notice());
    }
    // The TLS set-up of a remote first volume overlaps with the scan.
    RemoteTapes.prepare(o.volumes.name(1));
    TreeScanner.Scan scan;
    try {
      scan =
          TreeScanner.scan(
              o.source,
              o.scan.scanner(
                  base.level, InodeNumbers.at(InodeNumbers.besideDumpdates(o.dumpdates)), stat));
    } catch (IOException e) {
      err.println("  DUMP: Cannot read " + o.source + ": " + e.getMessage());
      return 1;
    }
    for (String w : scan.warnings()) {
      err.println("  DUMP: Warning: " + w);
    }
    long estimate = TreeDump.estimate(scan, base.since);
    err.println("  DUMP: estimated " + estimate + " blocks.");
    DumpReport report = new DumpReport(err, scan.notCarried(), System.nanoTime());
    try {
      write(o, base, label(o, base, now), scan, estimate, report, err);
    } catch (IOException e) {
      err.println("  DUMP: " + e.getMessage());
      err.println("  DUMP: The ENTIRE dump is aborted.");
      return 3;
    }
    if (o.update) {
      try {
        dates.record(o.source.toString(), base.level, now.getEpochSecond());
      } catch (IOException e) {
        err.println("  DUMP: cannot update the dumpdates file: " + e.getMessage());
        return 1;
      }
    }
    return report.done();
  }

  /** The level actually dumped and the date of its base dump ({@link Long#MIN_VALUE} for none). */
  private record Base(int level, long since) {
    int ddate() {
      return level == 0 ? 0 : (int) since;
    }
  }

  /** The base of an incremental in the dumpdates file; a level 0 when there is none, as dump. */
  private static Base base(JdumpOptions o, DumpDates dates, PrintStream err) throws IOException {
    if (o.level == 0) {
      return new Base(0, Long.MIN_VALUE);
    }
    var base = dates.base(o.source.toString(), o.level);
    if (base.isEmpty()) {
      err.println(
          "  DUMP: WARNING: There is no inferior level dump on this file system;"
              + " assuming a level 0 dump");
      return new Base(0, Long.MIN_VALUE);
    }
    return new Base(o.level, base.get().date());
  }

  private static DumpStream.Label label(JdumpOptions o, Base base, Instant now) {
    return new DumpStream.Label(
        (int) now.getEpochSecond(),
        base.ddate(),
        base.level,
        o.label,
        o.source.toString(),
        o.source.toString(),
        hostName());
  }

  /** The job: the tree onto the volumes, each volume's device failure answered as asked. */
  private static void write(
      JdumpOptions o,
      Base base,
      DumpStream.Label label,
      TreeScanner.Scan scan,
      long estimate,
      DumpReport report,
      PrintStream err)
      throws IOException {
    NextVolume next =
        new NextVolume(
            o.volumes, o.script, o.neverAsk, err, new VolumeGuard(label, o.volumes, o.ntrec));
    try (TapeSink sink = new TapeSink(next)) {
      VolumeWriter volumes = new VolumeWriter(sink, o.ntrec, label, o.perVolume);
      volumes.onBlock(
          new Progress(err, estimate, Progress.intervalNanos(), System::nanoTime)::written);
      DumpJob job = new DumpJob(volumes, new VolumeRetry(o.retries, o.neverAsk, err));
      int inodes = job.run(TreeDump.pass(scan, base.since, o.workers, report::warn));
      sink.close();
      report.written(inodes, volumes.tapea(), volumes.volume(), System.nanoTime());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
