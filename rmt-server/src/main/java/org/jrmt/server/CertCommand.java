package org.jrmt.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * {@code jrmtd cert init | issue NAME | show FILE}: the site CA and its certificates, by default in
 * {@code STATE/tls}.
 */
final class CertCommand {
  private CertCommand() {}

  static int run(String[] args) {
    Options options = new Options();
    options.addOption(
        Option.builder()
            .longOpt("dir")
            .hasArg()
            .argName("DIR")
            .desc("CA directory (default STATE/tls)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("state-dir")
            .hasArg()
            .argName("DIR")
            .desc("state directory")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("site")
            .hasArg()
            .argName("NAME")
            .desc("init: the CA's name")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("days")
            .hasArg()
            .argName("N")
            .desc("validity (CA 3650, others 825)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("dns")
            .hasArg()
            .argName("NAME")
            .desc("issue: extra DNS name (repeatable)")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("ip")
            .hasArg()
            .argName("ADDR")
            .desc("issue: IP address (repeatable)")
            .get());
    options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
    String syntax = "jrmtd cert init | issue NAME | show FILE [options]";
    try {
      CommandLine cl = Cli.parse(options, args);
      if (cl.hasOption("help")) {
        Cli.help(syntax, options);
        return 0;
      }
      List<String> words = cl.getArgList();
      if (words.isEmpty()) {
        throw new ParseException("missing init, issue NAME or show FILE");
      }
      Path dir =
          cl.hasOption("dir")
              ? Path.of(cl.getOptionValue("dir"))
              : ServerOptions.stateDir(cl.getOptionValue("state-dir")).resolve("tls");
      SiteCertificates site = new SiteCertificates(dir);
      switch (words.get(0)) {
        case "init" -> {
          site.init(cl.getOptionValue("site", "site"), days(cl, 3650));
          System.out.println("created CA " + site.caCertificate());
        }
        case "issue" -> {
          if (words.size() != 2) {
            throw new ParseException("usage: jrmtd cert issue NAME [--dns NAME] [--ip ADDR]");
          }
          site.issue(words.get(1), values(cl, "dns"), values(cl, "ip"), days(cl, 825));
          System.out.println(
              "issued " + site.certificate(words.get(1)) + " and " + site.key(words.get(1)));
        }
        case "show" -> {
          if (words.size() != 2) {
            throw new ParseException("usage: jrmtd cert show FILE");
          }
          System.out.print(SiteCertificates.describe(Path.of(words.get(1))));
        }
        default -> throw new ParseException("unknown cert command " + words.get(0));
      }
      return 0;
    } catch (ParseException | IllegalArgumentException e) {
      System.err.println("jrmtd cert: " + e.getMessage());
      System.err.println("usage: " + syntax + " (jrmtd cert --help lists the options)");
      return 64;
    } catch (IOException e) {
      System.err.println("jrmtd cert: " + e.getMessage());
      return 1;
    }
  }

  private static Duration days(CommandLine cl, int fallback) {
    String v = cl.getOptionValue("days");
    try {
      int d = v == null ? fallback : Integer.parseInt(v);
      if (d < 1) {
        throw new NumberFormatException();
      }
      return Duration.ofDays(d);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--days must be a positive number: " + v);
    }
  }

  private static List<String> values(CommandLine cl, String opt) {
    String[] v = cl.getOptionValues(opt);
    return v == null ? List.of() : Arrays.asList(v);
  }
}
