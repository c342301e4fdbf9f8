package org.jrmt.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.jrmt.protocol.ParserLimits;
import org.jrmt.protocol.SeekOrder;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.StateDirectory;
import org.jrmt.tape.SyncPolicy;

/** The command-line options {@code jrmtd} and {@code jrmt} share, and how they make a config. */
final class ServerOptions {
  private ServerOptions() {}

  static void addTo(Options options) {
    options.addOption(
        value("config", "FILE", "TOML configuration (options given here override it)"));
    options.addOption(value("tape-dir", "DIR", "virtual tapes live here (default STATE/tapes)"));
    options.addOption(
        value(
            "state-dir",
            "DIR",
            "state directory (default $STATE_DIRECTORY or ~/.local/state/jrmt)"));
    options.addOption(value("capacity", "SIZE", "virtual tape capacity, e.g. 400M (default none)"));
    options.addOption(value("eot", "MODE", "end of tape on write: enospc (default) or zero"));
    options.addOption(value("sync", "WHEN", "never, filemark (default) or always"));
    options.addOption(
        Option.builder()
            .longOpt("file-dir")
            .hasArg()
            .argName("DIR")
            .desc("also serve regular files below DIR by full path (repeatable)")
            .get());
    options.addOption(
        value(
            "seek-order", "ORDER", "L order when ambiguous: offset-first (default), whence-first"));
    options.addOption(
        Option.builder().longOpt("no-seek-detect").desc("never infer the L order").get());
    options.addOption(
        value("ioctl-reply", "FORM", "I reply: count (default, as rmt-dump) or zero"));
    options.addOption(value("max-record", "SIZE", "largest record (default 16M)"));
  }

  private static Option value(String name, String arg, String desc) {
    return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
  }

  /** The configuration file's contents, or the embedded default without {@code --config}. */
  static ConfigFile.Daemon base(CommandLine cl) {
    Path state = stateDir(cl.getOptionValue("state-dir"));
    if (cl.hasOption("config")) {
      return ConfigFile.load(Path.of(cl.getOptionValue("config")), state);
    }
    return new ConfigFile.Daemon(ServerConfig.defaults(state.resolve("tapes")), List.of(), null);
  }

  /** {@code base} with every option given on the command line applied on top. */
  static ServerConfig config(CommandLine cl, ServerConfig base) {
    ServerConfig config = base;
    if (cl.hasOption("tape-dir")) {
      config = config.withTapeDir(Path.of(cl.getOptionValue("tape-dir")));
    }
    SimhTape.Options tape = config.tapeOptions();
    if (cl.hasOption("capacity")) {
      tape = tape.withCapacity(size(cl.getOptionValue("capacity")));
    }
    String eot = cl.getOptionValue("eot", "");
    tape =
        eot.isEmpty()
            ? tape
            : tape.withEndOfTapeMode(
                switch (eot) {
                  case "enospc" -> EndOfTapeMode.ENOSPC;
                  case "zero" -> EndOfTapeMode.ZERO;
                  default -> throw new IllegalArgumentException("--eot must be enospc or zero");
                });
    String sync = cl.getOptionValue("sync", "");
    tape =
        sync.isEmpty()
            ? tape
            : tape.withSyncPolicy(
                switch (sync) {
                  case "never" -> SyncPolicy.NEVER;
                  case "filemark" -> SyncPolicy.FILEMARK_AND_CLOSE;
                  case "always" -> SyncPolicy.EVERY_RECORD;
                  default ->
                      throw new IllegalArgumentException(
                          "--sync must be never, filemark or always");
                });
    config = config.withTapeOptions(tape);
    if (cl.hasOption("file-dir")) {
      List<Path> files = new ArrayList<>(config.fileDirs());
      for (String d : cl.getOptionValues("file-dir")) {
        files.add(Path.of(d).toAbsolutePath().normalize());
      }
      config = config.withFileDirs(files);
    }
    SeekOrder seek =
        switch (cl.getOptionValue("seek-order", "")) {
          case "" -> config.syntax().seekOrder();
          case "offset-first" -> SeekOrder.OFFSET_FIRST;
          case "whence-first" -> SeekOrder.WHENCE_FIRST;
          default ->
              throw new IllegalArgumentException(
                  "--seek-order must be offset-first or whence-first");
        };
    boolean detect = config.syntax().detectSeekOrder() && !cl.hasOption("no-seek-detect");
    config = config.withSyntax(config.syntax().withSeekOrder(seek, detect));
    if (cl.hasOption("max-record")) {
      long max = size(cl.getOptionValue("max-record"));
      if (max > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("--max-record too large");
      }
      config =
          config.withSyntax(
              config
                  .syntax()
                  .withLimits(
                      new ParserLimits(config.syntax().limits().maxArgumentLength(), (int) max)));
    }
    String ioctl = cl.getOptionValue("ioctl-reply");
    if (ioctl == null) {
      return config;
    }
    if (!ioctl.equals("count") && !ioctl.equals("zero")) {
      throw new IllegalArgumentException("--ioctl-reply must be count or zero");
    }
    return config.withIoctlRepliesCount(ioctl.equals("count"));
  }

  static Path stateDir(String option) {
    return StateDirectory.resolve(option);
  }

  /**
   * Parses durations: seconds ({@code 45}), or with a unit: {@code 500ms}, {@code 45s}, {@code
   * 30m}, {@code 2h}.
   */
  static Duration duration(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(t));
      }
      long v = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (unit) {
        case 's' -> Duration.ofSeconds(v);
        case 'm' -> Duration.ofMinutes(v);
        case 'h' -> Duration.ofHours(v);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration (seconds, or 500ms, 45s, 30m, 2h): " + s);
    }
  }

  /** Parses sizes like {@code 4096}, {@code 64K}, {@code 400M}, {@code 2G} (powers of 1024). */
  static long size(String s) {
    String t = s.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("IB")) {
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1);
    }
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        case 'T' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit != 1) {
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a size: " + s);
    }
  }
}
