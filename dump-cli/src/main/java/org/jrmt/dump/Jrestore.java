package org.jrmt.dump;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.OptionGroup;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.jrmt.fs.Directory;
import org.jrmt.tape.ToolVersion;

/**
 * {@code jrestore}: reads dump(8) tapes written by jdump, the stock Linux dump or FreeBSD's (UFS2
 * headers), from a file, standard input, a local tape or a remote one, across volumes.
 *
 * <ul>
 *   <li>{@code -t} lists the names on the dump as {@code restore -t} does ({@code -v}: with kinds);
 *   <li>{@code -x [name…]} extracts the named files and directories, or everything;
 *   <li>{@code -r} rebuilds the whole tree, keeping {@value SymbolTable#NAME} in the target so the
 *       next level applies on top (deletions and renames included), and refuses a level that does
 *       not follow the last one restored there;
 *   <li>{@code -C} compares the dump with the live tree in the target, one line per difference.
 * </ul>
 *
 * <p>{@code -D dir} is the target (default: the current directory); nothing outside it is ever
 * created, changed or removed, whatever the dump or the target holds: every operation is made by
 * handle below it and no link is followed (see {@link Restorer}). {@code -f} takes {@code -}, a
 * file or tape, {@code host:path}, {@code rmt://…}, or a comma list of volumes; {@code -M} numbers
 * the name as dump's {@code -M} does. When the names run out the next volume is asked for on the
 * terminal ({@code -y}: never ask). Damage (a bad header, lost data, a truncated dump, a header
 * whose counts are impossible) is reported one line each, reading goes on at the next valid header,
 * and a summary of what was lost ends the run. Exit status: 0 done; 1 bad usage, nothing readable
 * (not volume 1 of a dump), a target or {@value SymbolTable#NAME} that cannot be used, or a refused
 * level; 2 damage found, something not restored, or (with {@code -C}) differences. An unexpected
 * error is one line too, its stack trace printed only with {@code -d}.
 */
public final class Jrestore {
  private static final String SYNTAX =
      "-t|-x [name...]|-r|-C [-vyd] [-f dump] [-M] [-b kib] [-D dir]";

  private Jrestore() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err, Path.of("/dev/tty")));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err, Path.of("/dev/tty"));
  }

  static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err, Path tty) {
    Options options = new Options();
    OptionGroup action = new OptionGroup();
    action.addOption(Option.builder("t").desc("list the names on the dump").get());
    action.addOption(Option.builder("x").desc("extract the names given, or all").get());
    action.addOption(Option.builder("r").desc("rebuild the tree (levels in order)").get());
    action.addOption(Option.builder("C").desc("compare the dump with the tree in -D").get());
    options.addOptionGroup(action);
    options.addOption(
        Option.builder("f").hasArg().argName("DUMP").desc("dump to read (default -)").get());
    options.addOption(Option.builder("M").desc("-f is a prefix numbered 001, 002, …").get());
    options.addOption(Option.builder("b").hasArg().argName("KIB").desc("record size").get());
    options.addOption(Option.builder("y").desc("never ask for a volume").get());
    options.addOption(Option.builder("v").desc("more detail").get());
    options.addOption(Option.builder("d").desc("debug: stack traces of unexpected errors").get());
    options.addOption(
        Option.builder("D").hasArg().argName("DIR").desc("target directory (default .)").get());
    options.addOption(Option.builder().longOpt("help").desc("show this help").get());
    options.addOption(Option.builder().longOpt("version").desc("show the version").get());
    CommandLine cl;
    try {
      cl = DefaultParser.builder().get().parse(options, args);
      if (cl.hasOption("version")) {
        out.println(ToolVersion.line("jrestore"));
        return 0;
      }
      if (cl.hasOption("help")) {
        PrintWriter pw = new PrintWriter(out);
        new HelpFormatter().printHelp(pw, 100, "jrestore " + SYNTAX, null, options, 2, 4, null);
        pw.flush();
        return 0;
      }
      if (action.getSelected() == null) {
        throw new ParseException("give one of -t, -x, -r or -C");
      }
      if (cl.hasOption("b")) {
        int b = Integer.parseInt(cl.getOptionValue("b"));
        if (b < 1 || b > 1024) {
          throw new ParseException("-b must be 1 to 1024 (KiB)");
        }
      }
      if (!cl.hasOption("x") && !cl.getArgList().isEmpty()) {
        throw new ParseException("names are only taken with -x: " + cl.getArgList());
      }
    } catch (ParseException | NumberFormatException e) {
      err.println("jrestore: " + e.getMessage());
      err.println("usage: jrestore " + SYNTAX);
      return 1;
    }
    String name = cl.getOptionValue("f", "-");
    Path target = Path.of(cl.getOptionValue("D", "."));
    RestoreVolumes source;
    try {
      source = new RestoreVolumes(name, cl.hasOption("M"), stdin, !cl.hasOption("y"), tty);
    } catch (IllegalArgumentException e) {
      err.println("jrestore: " + e.getMessage());
      return 1;
    }
    try (VolumeSet volumes = new VolumeSet(source)) {
      if (cl.hasOption("t")) {
        return list(volumes, name, cl.hasOption("v"), out, err);
      }
      DumpScanner scanner = new DumpScanner(volumes);
      DumpHeader tape = scanner.start();
      Problems problems = new Problems();
      if (cl.hasOption("C")) {
        Comparer c = new Comparer(target);
        scanner.scan(c);
        c.finish();
        c.differences().forEach(out::println);
        report(scanner, problems, ino -> null, name, err);
        if (!c.differences().isEmpty()) {
          out.println("Some files were modified!  " + c.differences().size() + " compare errors");
        }
        return c.differences().isEmpty() && clean(scanner, problems) ? 0 : 2;
      }
      SymbolTable previous = null;
      if (cl.hasOption("r")) {
        if (Files.exists(target)) {
          try (Directory root = Directory.open(target)) {
            previous = SymbolTable.read(root);
          }
        }
        String refused = refuse(tape, previous, target);
        if (refused != null) {
          err.println("jrestore: " + name + ": " + refused);
          return 1;
        }
      }
      Files.createDirectories(target);
      try (Directory root = Directory.open(target)) {
        List<String> names =
            cl.hasOption("x") && !cl.getArgList().isEmpty() ? cl.getArgList() : null;
        Restorer r = new Restorer(root, names, cl.hasOption("r"), previous, problems);
        scanner.scan(r);
        r.finish(tape);
        if (cl.hasOption("v")) {
          r.restored().forEach(n -> out.println(n.display(Integer.MAX_VALUE)));
        }
        report(scanner, problems, r::nameOf, name, err);
        return clean(scanner, problems) ? 0 : 2;
      }
    } catch (NotADumpException e) {
      err.println("jrestore: " + name + ": " + e.getMessage());
      return 1;
    } catch (DumpFormatException e) {
      err.println("jrestore: " + name + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("jrestore: " + name + ": " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // A bug, not the dump's fault: still one line, the stack trace only when asked for.
      err.println(
          "jrestore: "
              + name
              + ": internal error: "
              + e
              + (cl.hasOption("d") ? "" : " (-d shows where)"));
      if (cl.hasOption("d")) {
        e.printStackTrace(err);
      }
      return 2;
    }
  }

  /** Why {@code tape} cannot be applied over what the last {@code -r} left, or null. */
  private static String refuse(DumpHeader tape, SymbolTable previous, Path target) {
    if (tape.ddate() == 0) {
      return null;
    }
    String base = asctime(tape.ddate());
    if (previous == null) {
      return "a level "
          + tape.level()
          + " dump based on the dump of "
          + base
          + " needs that dump restored first with -r in "
          + target
          + " (no "
          + SymbolTable.NAME
          + " there)";
    }
    if (previous.date() == tape.ddate()) {
      return null;
    }
    return "this level "
        + tape.level()
        + " dump is based on the dump of "
        + base
        + ", but the last dump restored in "
        + target
        + " is the level "
        + previous.level()
        + " of "
        + asctime(previous.date())
        + (Integer.toUnsignedLong(tape.ddate()) > Integer.toUnsignedLong(previous.date())
            ? ": a level in between is missing"
            : ": it was applied already, or is older");
  }

  private static boolean clean(DumpScanner s, Problems problems) {
    return s.problems().isEmpty()
        && s.damage().isEmpty()
        && problems.isEmpty()
        && s.complete()
        && s.lostCount() == 0;
  }

  /** Inodes lost without a name are listed up to this many; the rest are counted. */
  private static final int UNNAMED_SHOWN = 10;

  private static void report(
      DumpScanner s,
      Problems problems,
      java.util.function.IntFunction<String> names,
      String name,
      PrintStream err) {
    for (String p : s.problems().lines()) {
      err.println("jrestore: " + name + ": " + p);
    }
    for (String p : problems.lines()) {
      err.println("jrestore: " + name + ": " + p);
    }
    long lost = s.lostCount();
    if (s.damage().isEmpty() && lost == 0) {
      return;
    }
    err.println(
        "jrestore: " + name + ": " + (s.damage().size() + lost) + " file(s) damaged or lost:");
    for (Map.Entry<Integer, String> d : s.damage().entrySet()) {
      err.println("  " + named(names, d.getKey()) + d.getValue());
    }
    // Inodes the map lists and the dump never reached: each named one, the nameless counted
    // (a hostile map can mark millions).
    long[] unnamed = {0};
    s.lost(
        (why, ino) -> {
          String n = names.apply(ino);
          if (n != null || unnamed[0]++ < UNNAMED_SHOWN) {
            err.println("  " + named(names, ino) + why);
          }
        });
    if (unnamed[0] > UNNAMED_SHOWN) {
      err.println(
          "  ... and "
              + (unnamed[0] - UNNAMED_SHOWN)
              + " more inodes of the dump's map, without a name: not restored");
    }
  }

  private static String named(java.util.function.IntFunction<String> names, int ino) {
    String n = names.apply(ino);
    return (n == null ? "" : n + " ") + "(inode " + Integer.toUnsignedString(ino) + "): ";
  }

  private static String asctime(int date) {
    return DumpDates.ASCTIME.format(Instant.ofEpochSecond(Integer.toUnsignedLong(date)));
  }

  private static int list(
      VolumeSet volumes, String name, boolean verbose, PrintStream out, PrintStream err)
      throws IOException {
    DumpCatalog catalog = DumpCatalog.read(new DumpReader(new RecordStream(volumes)));
    DumpHeader t = catalog.tape();
    out.println("Dump   date: " + asctime(t.date()));
    out.println("Dumped from: " + (t.ddate() == 0 ? "the epoch" : asctime(t.ddate())));
    out.println(
        "Level " + t.level() + " dump of " + t.filesys() + " on " + t.host() + ":" + t.dev());
    out.println("Label: " + t.label());
    catalog.walk(
        (ino, path) -> {
          if (verbose) {
            out.printf(
                Locale.ROOT,
                "%-4s %10d\t%s%n",
                catalog.isDirectory(ino) ? "dir" : "leaf",
                ino,
                path);
          } else {
            out.printf(Locale.ROOT, "%10d\t%s%n", ino, path);
          }
        });
    for (String p : catalog.problems()) {
      err.println("jrestore: " + name + ": " + p);
    }
    return catalog.problems().isEmpty() ? 0 : 2;
  }

  /** The records of a volume set as one stream, for the directory catalog of {@code -t}. */
  private static final class RecordStream extends InputStream {
    private final VolumeSet volumes;
    private final byte[] rec = new byte[DumpHeader.TP_BSIZE];
    private int at = rec.length;

    RecordStream(VolumeSet volumes) {
      this.volumes = volumes;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (at == rec.length) {
        try {
          if (!volumes.read(rec)) {
            return -1;
          }
        } catch (VolumeSet.TruncatedException e) {
          return -1;
        }
        at = 0;
      }
      int n = Math.min(len, rec.length - at);
      System.arraycopy(rec, at, b, off, n);
      at += n;
      return n;
    }
  }
}
