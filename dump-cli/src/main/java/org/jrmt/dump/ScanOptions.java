package org.jrmt.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * jdump's options about what to leave out and Linux dump's options jdump accepts without acting on:
 * {@code -e inode,…} and {@code -E file} (file system inode numbers, as {@code stat} shows them, to
 * leave out with their subtrees), {@code -h level} (nodump is honoured from this level on, default
 * 1), {@code -a} (already the behaviour: a volume ends where the device says), and {@code -z[N]},
 * {@code -j[N]}, {@code -y} (compression: jdump writes records uncompressed, which every restore
 * reads, and says so once).
 */
final class ScanOptions {
  /**
   * What the options asked for.
   *
   * @param excluded inode numbers to leave out
   * @param honourLevel the lowest level at which nodump is honoured
   * @param notice a line to print (without "DUMP: "), or null
   */
  record Parsed(Set<Long> excluded, int honourLevel, String notice) {
    /** The scanner's options for a dump of {@code level}, numbering through {@code numbers}. */
    TreeScanner.Options scanner(int level, InodeNumbers numbers, TreeScanner.StatSource stat) {
      return new TreeScanner.Options(excluded, level >= honourLevel, numbers, stat);
    }
  }

  private ScanOptions() {}

  /** Adds the options to {@code options}. */
  static void add(Options options) {
    options.addOption(
        Option.builder("e")
            .hasArg()
            .argName("INODE[,INODE…]")
            .desc("leave out these inodes (numbers as stat shows) and what is beneath them")
            .get());
    options.addOption(
        Option.builder("E")
            .hasArg()
            .argName("FILE")
            .desc("leave out the inodes listed in FILE, one per line")
            .get());
    options.addOption(
        Option.builder("h")
            .hasArg()
            .argName("LEVEL")
            .desc("honour the nodump flag (chattr +d) from this level on (default 1)")
            .get());
    options.addOption(Option.builder("a").desc("write each volume to its end (the default)").get());
    options.addOption(Option.builder("z").desc("accepted; records are written uncompressed").get());
    options.addOption(Option.builder("j").desc("accepted; records are written uncompressed").get());
    options.addOption(Option.builder("y").desc("accepted; records are written uncompressed").get());
  }

  /**
   * Linux dump takes a compression level only attached ({@code -z6}, {@code -j9}): drops it, so
   * that the parser does not take the next word for it.
   */
  static String[] normalise(String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i].equals("--")) {
        break;
      }
      if (out[i].matches("-[zj][0-9]")) {
        out[i] = out[i].substring(0, 2);
      }
    }
    return out;
  }

  /**
   * Reads the options.
   *
   * @throws IllegalArgumentException with a one-line reason when one is wrong
   */
  static Parsed parse(CommandLine cl) {
    Set<Long> excluded = new HashSet<>();
    String[] lists = cl.getOptionValues("e");
    if (lists != null) {
      for (String list : lists) {
        for (String word : list.split(",")) {
          excluded.add(inode("-e", word));
        }
      }
    }
    if (cl.hasOption("E")) {
      Path file = Path.of(cl.getOptionValue("E"));
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("-E " + file + ": cannot read it (" + e + ")");
      }
      for (String line : lines) {
        if (!line.isBlank()) {
          excluded.add(inode("-E " + file, line));
        }
      }
    }
    int honour;
    try {
      honour = Integer.parseInt(cl.getOptionValue("h", "1"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-h takes a level 0 to 10, not " + cl.getOptionValue("h"));
    }
    if (honour < 0 || honour > 10) {
      throw new IllegalArgumentException("-h takes a level 0 to 10, not " + honour);
    }
    List<String> compression = new ArrayList<>();
    for (String c : new String[] {"z", "j", "y"}) {
      if (cl.hasOption(c)) {
        compression.add("-" + c);
      }
    }
    String notice =
        compression.isEmpty()
            ? null
            : String.join(" ", compression)
                + ": jdump does not compress; records are written uncompressed, which every"
                + " restore reads";
    return new Parsed(Set.copyOf(excluded), honour, notice);
  }

  private static long inode(String where, String word) {
    try {
      long ino = Long.parseUnsignedLong(word.strip());
      if (ino != 0) {
        return ino;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException(where + ": '" + word.strip() + "' is not an inode number");
  }
}
