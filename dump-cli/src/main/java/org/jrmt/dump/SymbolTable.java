package org.jrmt.dump;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code jrestore -r} leaves in the target ({@value #NAME}) so the next level applies on top:
 * the date and level of the last dump applied and every directory's entries then. A text file:
 * {@code jrestore-symtab 1}, {@code date N}, {@code level N}, then one {@code d INO} line per
 * directory followed by its {@code e INO TYPE HEXNAME} entries. Written to a temporary file and
 * renamed, so a crash leaves the old table or the new one.
 */
record SymbolTable(int date, int level, Map<Integer, List<DirectoryEntry>> directories) {
  /** The file's name in the target directory. */
  static final String NAME = "jrestoresymtable";

  private static final String MAGIC = "jrestore-symtab 1";

  /**
   * Reads the table in {@code target}, or returns null if there is none.
   *
   * @throws IOException if it exists but cannot be read or is not a symbol table
   */
  static SymbolTable read(Path target) throws IOException {
    Path file = target.resolve(NAME);
    if (!Files.exists(file)) {
      return null;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    if (lines.size() < 3 || !lines.get(0).equals(MAGIC)) {
      throw new IOException(file + ": not a jrestore symbol table");
    }
    try {
      int date = Integer.parseInt(lines.get(1).substring("date ".length()));
      int level = Integer.parseInt(lines.get(2).substring("level ".length()));
      Map<Integer, List<DirectoryEntry>> dirs = new LinkedHashMap<>();
      List<DirectoryEntry> current = null;
      for (String l : lines.subList(3, lines.size())) {
        String[] f = l.split(" ");
        if (f[0].equals("d")) {
          current = new ArrayList<>();
          dirs.put(Integer.parseInt(f[1]), current);
        } else if (f[0].equals("e") && current != null) {
          current.add(
              new DirectoryEntry(
                  Integer.parseInt(f[1]), Integer.parseInt(f[2]), HexFormat.of().parseHex(f[3])));
        } else {
          throw new IOException(file + ": bad line " + l);
        }
      }
      return new SymbolTable(date, level, dirs);
    } catch (RuntimeException e) {
      throw new IOException(file + ": damaged symbol table (" + e.getMessage() + ")", e);
    }
  }

  /** Writes this table into {@code target}, replacing any earlier one. */
  void write(Path target) throws IOException {
    Path tmp = target.resolve(NAME + ".new");
    Files.deleteIfExists(tmp);
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
      w.write(MAGIC + "\ndate " + date + "\nlevel " + level + "\n");
      for (Map.Entry<Integer, List<DirectoryEntry>> d : directories.entrySet()) {
        w.write("d " + d.getKey() + "\n");
        for (DirectoryEntry e : d.getValue()) {
          w.write(
              "e " + e.ino() + " " + e.type() + " " + HexFormat.of().formatHex(e.name()) + "\n");
        }
      }
    }
    Files.move(tmp, target.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
  }
}
