package org.jrmt.dump;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.jrmt.client.RemoteTapes;
import org.jrmt.tape.StateDirectory;
import org.jrmt.tape.ToolVersion;

/**
 * {@code jdump}: writes a directory tree in dump(8) format that the stock {@code restore} reads, to
 * a local file, a local tape or a remote one ({@code host:path}, {@code rmt://}, {@code rmts://}).
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
    Options options = new Options();
    ScanOptions.add(options);
    options.addOption(Option.builder().longOpt("help").desc("show this help").get());
    options.addOption(Option.builder().longOpt("version").desc("show the version").get());
    for (int level = 0; level <= 9; level++) {
      options.addOption(Option.builder(Integer.toString(level)).desc("dump level").get());
    }
    options.addOption(
        Option.builder("f")
            .hasArg()
            .argName("FILE")
            .desc("output (default: -, standard output)")
            .get());
    options.addOption(
        Option.builder("b").hasArg().argName("KIB").desc("KiB per tape record (default 10)").get());
    options.addOption(Option.builder("L").hasArg().argName("LABEL").desc("volume label").get());
    options.addOption(
        Option.builder("B")
            .hasArg()
            .argName("KIB[,KIB…]")
            .desc("KiB per volume (the last for the rest)")
            .get());
    options.addOption(Option.builder("M").desc("volumes are -f's name numbered 001, 002, …").get());
    options.addOption(Option.builder("q").desc("never ask: fail instead").get());
    options.addOption(Option.builder("u").desc("record this dump in the dumpdates file").get());
    options.addOption(
        Option.builder("F")
            .hasArg()
            .argName("SCRIPT")
            .desc("run at the end of each volume once the names run out")
            .get());
    options.addOption(
        Option.builder("D")
            .hasArg()
            .argName("FILE")
            .desc("dumpdates file (default STATE/dumpdates)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("workers")
            .hasArg()
            .argName("N")
            .desc("threads reading file data (1 to 16, default 3)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("retry")
            .hasArg()
            .argName("N")
            .desc("rewrite a volume whose device failed up to N times (default: ask)")
            .get());
    CommandLine cl;
    int level = 0;
    int workers;
    int retries;
    int ntrec;
    Path source;
    String output;
    long[] perVolume;
    VolumeNames volumes;
    ScanOptions.Parsed extras;
    try {
      cl = DefaultParser.builder().get().parse(options, ScanOptions.normalise(oldStyle(args)));
      extras = ScanOptions.parse(cl);
      if (cl.hasOption("version")) {
        System.out.println(ToolVersion.line("jdump"));
        return 0;
      }
      if (cl.hasOption("help")) {
        PrintWriter pw = new PrintWriter(System.out);
        new HelpFormatter()
            .printHelp(
                pw,
                100,
                "jdump [options] -f output[,output…] directory",
                null,
                options,
                2,
                4,
                null);
        pw.flush();
        return 0;
      }
      for (int l = 0; l <= 9; l++) {
        if (cl.hasOption(Integer.toString(l))) {
          level = l;
        }
      }
      ntrec = Integer.parseInt(cl.getOptionValue("b", "10"));
      if (ntrec < 1 || ntrec > 1024) {
        throw new ParseException("-b must be 1 to 1024 KiB");
      }
      workers =
          Integer.parseInt(
              cl.getOptionValue("workers", Integer.toString(TreeDump.DEFAULT_WORKERS)));
      if (workers < 1 || workers > 16) {
        throw new ParseException("--workers must be 1 to 16");
      }
      retries = Integer.parseInt(cl.getOptionValue("retry", "0"));
      if (retries < 0 || retries > 100) {
        throw new ParseException("--retry must be 0 to 100");
      }
      if (cl.getArgList().size() != 1) {
        throw new ParseException("give exactly one directory to dump");
      }
      source = Path.of(cl.getArgList().get(0)).toAbsolutePath().normalize();
      if (!Files.isDirectory(source)) {
        throw new ParseException(source + " is not a directory");
      }
      output = cl.getOptionValue("f", "-");
      perVolume = sizes(cl.getOptionValue("B"));
      volumes = new VolumeNames(output, cl.hasOption("M"));
    } catch (ParseException | IllegalArgumentException e) {
      err.println("jdump: " + e.getMessage());
      err.println(
          "usage: jdump [-0123456789] [-u] [-D dumpdates] [-b KiB] [-B KiB[,…]] [-M] [-L label]"
              + " [-F script] [-q] [-a] [-e inode,…] [-E file] [-h level] [-z[N]] [-j[N]] [-y]"
              + " -f output[,output…] directory");
      return 1;
    }
    Instant now = Instant.now();
    Path datesFile = dumpdates(cl.getOptionValue("D"));
    DumpDates dates = new DumpDates(datesFile);
    long since = Long.MIN_VALUE;
    int ddate = 0;
    if (level > 0) {
      try {
        var base = dates.base(source.toString(), level);
        if (base.isEmpty()) {
          err.println(
              "  DUMP: WARNING: There is no inferior level dump on this file system;"
                  + " assuming a level 0 dump");
          level = 0;
        } else {
          since = base.get().date();
          ddate = (int) since;
        }
      } catch (IOException e) {
        err.println("  DUMP: " + e.getMessage());
        return 1;
      }
    }
    err.println("  DUMP: Date of this level " + level + " dump: " + DumpDates.ASCTIME.format(now));
    if (level > 0) {
      err.println(
          "  DUMP: Date of last level dump it is based on: "
              + DumpDates.ASCTIME.format(Instant.ofEpochSecond(since)));
    }
    err.println("  DUMP: Dumping " + source + " to " + output);
    if (extras.notice() != null) {
      err.println("  DUMP: " + extras.notice());
    }
    // The TLS set-up of a remote first volume overlaps with the scan.
    RemoteTapes.prepare(volumes.name(1));
    TreeScanner.Scan scan;
    try {
      scan =
          TreeScanner.scan(
              source,
              extras.scanner(
                  level, InodeNumbers.at(InodeNumbers.besideDumpdates(datesFile)), stat));
    } catch (IOException e) {
      err.println("  DUMP: Cannot read " + source + ": " + e.getMessage());
      return 1;
    }
    for (String w : scan.warnings()) {
      err.println("  DUMP: Warning: " + w);
    }
    List<String> notCarried = new ArrayList<>(scan.notCarried());
    long estimate = TreeDump.estimate(scan, since);
    err.println("  DUMP: estimated " + estimate + " blocks.");
    long start = System.nanoTime();
    long bytes;
    int volumeCount;
    try (TapeSink sink =
        new TapeSink(new NextVolume(volumes, cl.getOptionValue("F"), cl.hasOption("q"), err))) {
      DumpWriter writer =
          new DumpWriter(
              sink,
              ntrec,
              new DumpWriter.Label(
                  (int) now.getEpochSecond(),
                  ddate,
                  level,
                  cl.getOptionValue("L", "none"),
                  source.toString(),
                  source.toString(),
                  hostName()),
              perVolume);
      writer.retry(new VolumeRetry(retries, cl.hasOption("q"), err));
      writer.onBlock(
          new Progress(err, estimate, Progress.intervalNanos(), System::nanoTime)::written);
      int inodes =
          TreeDump.write(
              scan,
              writer,
              since,
              workers,
              w -> {
                notCarried.add(w);
                err.println("  DUMP: Warning: " + w);
              });
      sink.close();
      err.println("  DUMP: " + inodes + " inodes dumped");
      bytes = (long) writer.tapea() * DumpHeader.TP_BSIZE;
      volumeCount = writer.volume();
    } catch (IOException e) {
      err.println("  DUMP: " + e.getMessage());
      err.println("  DUMP: The ENTIRE dump is aborted.");
      return 3;
    }
    double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    err.printf(
        Locale.ROOT,
        "  DUMP: %d blocks (%.2fMB) on %d volume(s)%n",
        bytes / 1024,
        bytes / 1048576.0,
        volumeCount);
    err.printf(
        Locale.ROOT,
        "  DUMP: finished in %d seconds, throughput %d kBytes/sec%n",
        Math.round(seconds),
        (long) (bytes / 1024 / seconds));
    if (cl.hasOption("u")) {
      try {
        dates.record(source.toString(), level, now.getEpochSecond());
      } catch (IOException e) {
        err.println("  DUMP: cannot update the dumpdates file: " + e.getMessage());
        return 1;
      }
    }
    if (!notCarried.isEmpty()) {
      err.println(
          "  DUMP: Some files were not carried in full (exit status " + NOT_ALL_CARRIED + "):");
      for (String w : notCarried) {
        err.println("  DUMP:   " + w);
      }
    }
    err.println("  DUMP: DUMP IS DONE");
    return notCarried.isEmpty() ? 0 : NOT_ALL_CARRIED;
  }

  /** {@code -D FILE}, else the state directory's {@code dumpdates}. */
  private static Path dumpdates(String option) {
    return option != null ? Path.of(option) : StateDirectory.resolve(null).resolve("dumpdates");
  }

  /** Parses {@code -B 120,240}: KiB per volume. */
  private static long[] sizes(String spec) {
    if (spec == null) {
      return new long[0];
    }
    String[] parts = spec.split(",");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Long.parseLong(parts[i].strip());
    }
    return out;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /**
   * The old BSD key-letter form ({@code jdump 0uf host:/dev/nsa0 /home}): when the first word has
   * no dash, each letter becomes an option and each letter taking a value takes the next word, in
   * order.
   */
  static String[] oldStyle(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      return args;
    }
    List<String> out = new ArrayList<>();
    int next = 1;
    for (char c : args[0].toCharArray()) {
      out.add("-" + c);
      if ("fbBLDFeEh".indexOf(c) >= 0 && next < args.length) {
        out.add(args[next++]);
      }
    }
    for (int i = next; i < args.length; i++) {
      out.add(args[i]);
    }
    return out.toArray(String[]::new);
  }
}
