package org.jrmt.dump;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.jrmt.client.RemoteTapes;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.TapeException;

/**
 * {@code jrestore}: reads dump(8) tapes written by jdump or the stock dump, from a file, standard
 * input, a local tape or a remote one. This first version lists ({@code -t}): the volume header,
 * then every name on the dump with its inode number, as {@code restore -t} prints them. Exit
 * status: 0 done, 1 bad usage or an unreadable dump, 2 damage found.
 */
public final class Jrestore {
  private Jrestore() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options = new Options();
    options.addOption(Option.builder("t").desc("list the names on the dump").get());
    options.addOption(
        Option.builder("f").hasArg().argName("FILE").desc("dump to read (default -)").get());
    options.addOption(Option.builder("v").desc("more detail").get());
    CommandLine cl;
    try {
      cl = DefaultParser.builder().get().parse(options, args);
      if (!cl.hasOption("t")) {
        throw new ParseException("only -t (list) is available yet");
      }
    } catch (ParseException e) {
      err.println("jrestore: " + e.getMessage());
      err.println("usage: jrestore -t [-v] -f dump");
      return 1;
    }
    String name = cl.getOptionValue("f", "-");
    try (InputStream in = open(name)) {
      DumpCatalog catalog = DumpCatalog.read(new DumpReader(in));
      DumpHeader t = catalog.tape();
      out.println("Dump   date: " + DumpDates.ASCTIME.format(Instant.ofEpochSecond(t.date())));
      out.println(
          "Dumped from: "
              + (t.ddate() == 0
                  ? "the epoch"
                  : DumpDates.ASCTIME.format(Instant.ofEpochSecond(t.ddate()))));
      out.println(
          "Level " + t.level() + " dump of " + t.filesys() + " on " + t.host() + ":" + t.dev());
      out.println("Label: " + t.label());
      catalog.walk((ino, path) -> out.printf(Locale.ROOT, "%10d\t%s%n", ino, path));
      for (String p : catalog.problems()) {
        err.println("jrestore: " + name + ": " + p);
      }
      return catalog.problems().isEmpty() ? 0 : 2;
    } catch (IOException e) {
      err.println("jrestore: " + name + ": " + e.getMessage());
      return 1;
    }
  }

  private static InputStream open(String name) throws IOException {
    if (name.equals("-")) {
      return System.in;
    }
    try {
      return new TapeInputStream(RemoteTapes.open(name, OpenMode.readOnly()));
    } catch (TapeException e) {
      throw new IOException("cannot open: " + e.getMessage(), e);
    }
  }
}
