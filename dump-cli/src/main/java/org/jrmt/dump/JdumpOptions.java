package org.jrmt.dump;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.jrmt.tape.StateDirectory;
import org.jrmt.tape.ToolVersion;

/**
 * jdump's command line, read and checked: what to dump, at which level, where to, in which record
 * and volume sizes, and what to do when a volume ends or fails. Both forms are read: options with
 * dashes, and the old BSD key letters ({@code jdump 0uf host:/dev/nsa0 /home}).
 */
final class JdumpOptions {
  /** The one-line usage printed after a bad command line. */
  static final String USAGE =
      "usage: jdump [-0123456789] [-u] [-D dumpdates] [-b KiB] [-B KiB[,…]] [-M] [-L label]"
          + " [-F script] [-q] [-a] [-e inode,…] [-E file] [-h level] [-z[N]] [-j[N]] [-y]"
          + " -f output[,output…] directory";

  final int level;
  final int ntrec;
  final int workers;
  final int retries;
  final Path source;
  final String output;
  final long[] perVolume;
  final VolumeNames volumes;
  final ScanOptions.Parsed scan;
  final String label;
  final String script;
  final boolean neverAsk;
  final boolean update;
  final Path dumpdates;

  private JdumpOptions(CommandLine cl) throws ParseException {
    scan = ScanOptions.parse(cl);
    int l = 0;
    for (int i = 0; i <= 9; i++) {
      if (cl.hasOption(Integer.toString(i))) {
        l = i;
      }
    }
    level = l;
    ntrec = Integer.parseInt(cl.getOptionValue("b", "10"));
    if (ntrec < 1 || ntrec > 1024) {
      throw new ParseException("-b must be 1 to 1024 KiB");
    }
    workers =
        Integer.parseInt(cl.getOptionValue("workers", Integer.toString(TreeDump.DEFAULT_WORKERS)));
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
    VolumeWriter.checkLimits(ntrec, perVolume);
    volumes = new VolumeNames(output, cl.hasOption("M"));
    label = cl.getOptionValue("L", "none");
    script = cl.getOptionValue("F");
    neverAsk = cl.hasOption("q");
    update = cl.hasOption("u");
    String d = cl.getOptionValue("D");
    dumpdates = d != null ? Path.of(d) : StateDirectory.resolve(null).resolve("dumpdates");
  }

  /**
   * Reads {@code args}.
   *
   * @return the options, or null when {@code --help} or {@code --version} asks for their list or
   *     the version instead (see {@link #helpOrVersion})
   * @throws ParseException or {@link IllegalArgumentException} with a one-line reason
   */
  static JdumpOptions parse(String[] args) throws ParseException {
    CommandLine cl = commandLine(args);
    return cl.hasOption("help") || cl.hasOption("version") ? null : new JdumpOptions(cl);
  }

  /** Prints the version if {@code args} ask for it, else the list of options, on {@code out}. */
  static void helpOrVersion(String[] args, PrintStream out) throws ParseException {
    if (commandLine(args).hasOption("version")) {
      out.println(ToolVersion.line("jdump"));
    } else {
      printHelp(out);
    }
  }

  private static CommandLine commandLine(String[] args) throws ParseException {
    return DefaultParser.builder()
        .get()
        .parse(definitions(), ScanOptions.normalise(oldStyle(args)));
  }

  /** Prints the list of options. */
  static void printHelp(PrintStream out) {
    PrintWriter pw = new PrintWriter(out);
    new HelpFormatter()
        .printHelp(
            pw,
            100,
            "jdump [options] -f output[,output…] directory",
            null,
            definitions(),
            2,
            4,
            null);
    pw.flush();
  }

  private static Options definitions() {
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
            .desc("KiB per volume (the last for the rest; at least 32)")
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
    return options;
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
