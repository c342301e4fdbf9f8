package org.jrmt.server;

import java.io.PrintWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.jrmt.tape.ToolVersion;

/** Small shared pieces of the command-line entry points. */
final class Cli {
  private Cli() {}

  /**
   * Points slf4j-simple at stderr with the given default level, unless the user set one ({@code
   * JRMT_LOG=debug}). Must run before the first logger is created.
   */
  static void configureLogging(String defaultLevel) {
    String level = System.getenv().getOrDefault("JRMT_LOG", defaultLevel);
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  }

  static CommandLine parse(Options options, String[] args) throws ParseException {
    return DefaultParser.builder().get().parse(options, args);
  }

  /** Adds {@code -h}/{@code --help} and {@code --version}, which every server command has. */
  static void addHelpAndVersion(Options options) {
    options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
    options.addOption(Option.builder().longOpt("version").desc("show the version").get());
  }

  /**
   * Answers {@code --help} (the usage) or {@code --version} on standard output, as GNU tools do;
   * returns whether it did, in which case the command is done (exit 0).
   */
  static boolean helpOrVersion(CommandLine cl, String name, String args, Options options) {
    if (cl.hasOption("help")) {
      help(name + " " + args, options);
      return true;
    }
    if (cl.hasOption("version")) {
      System.out.println(ToolVersion.line(name));
      return true;
    }
    return false;
  }

  /** Prints {@code usage: SYNTAX} and the options on standard output. */
  static void help(String syntax, Options options) {
    PrintWriter pw = new PrintWriter(System.out);
    new HelpFormatter().printHelp(pw, 100, syntax, null, options, 2, 4, null);
    pw.flush();
  }

  /** Prints {@code name: message} on stderr and exits. */
  static void fail(String name, String message, int status) {
    System.err.println(name + ": " + message);
    System.exit(status);
  }
}
