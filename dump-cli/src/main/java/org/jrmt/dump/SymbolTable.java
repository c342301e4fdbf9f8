package org.jrmt.dump;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;

/**
 * What {@code jrestore -r} leaves in the target ({@value #NAME}) so the next level applies on top:
 * the date and level of the last dump applied and every directory's entries then. A text file:
 * {@code jrestore-symtab 1}, {@code date N}, {@code level N}, then one {@code d INO} line per
 * directory followed by its {@code e INO TYPE HEXNAME} entries (inode numbers unsigned, names as
 * hexadecimal bytes). Written to a temporary file and renamed, so a crash leaves the old table or
 * the new one.
 *
 * <p>The table lies in a directory others may write, so it is read as untrusted: through the
 * target's handle, never through a link, and refused whole (with the line and why) unless every
 * line is well formed: inode numbers of 32 bits other than 0, a {@code d_type} byte, names that are
 * one path component (or a directory's own {@code .} and {@code ..}, which are never followed), no
 * name twice in a directory, no directory twice, the root present. What it names is then only ever
 * resolved below the target by handles, so a tampered table can make {@code -r} remove or move
 * names inside the target, and nothing outside it.
 */
record SymbolTable(int date, int level, Map<Integer, List<DirectoryEntry>> directories) {
  /** The file's name in the target directory. */
  static final String NAME = "jrestoresymtable";

  private static final FileName FILE = FileName.of(NAME);
  private static final FileName TEMPORARY = FileName.of(NAME + ".new");
  private static final String MAGIC = "jrestore-symtab 1";

  /**
   * Reads the table in {@code target}, or returns null if there is none.
   *
   * @throws IOException if it exists but is not a regular file, cannot be read, or is not a valid
   *     symbol table (the message names the file and the first bad line)
   */
  static SymbolTable read(Directory target) throws IOException {
    String shown = target.shown() + "/" + NAME;
    Optional<FileStatus> s = target.status(FILE);
    if (s.isEmpty()) {
      return null;
    }
    if (!s.get().isRegularFile()) {
      throw new IOException(shown + ": not a regular file: refused");
    }
    try (FileHandle f = target.open(FILE, Directory.Access.READ, Directory.Create.NO, false, 0);
        BufferedReader r =
            new BufferedReader(new InputStreamReader(f.inputStream(), StandardCharsets.US_ASCII))) {
      if (!f.status().isRegularFile()) {
        throw new IOException(shown + ": not a regular file: refused");
      }
      return parse(r, shown);
    }
  }

  private static SymbolTable parse(BufferedReader r, String shown) throws IOException {
    int n = 0;
    String l = null;
    try {
      l = r.readLine();
      n++;
      if (!MAGIC.equals(l)) {
        throw new Bad("not a jrestore symbol table");
      }
      l = r.readLine();
      n++;
      int date = (int) number(field(l, "date"), "date", Integer.MIN_VALUE);
      l = r.readLine();
      n++;
      int level = (int) number(field(l, "level"), "level", 0);
      if (level > 9) {
        throw new Bad("level " + level + " is not a dump level");
      }
      Map<Integer, List<DirectoryEntry>> dirs = new LinkedHashMap<>();
      List<DirectoryEntry> current = null;
      Set<FileName> names = new HashSet<>();
      while ((l = r.readLine()) != null) {
        n++;
        String[] f = l.split(" ", -1);
        if (f.length == 2 && f[0].equals("d")) {
          int ino = inode(f[1]);
          if (dirs.containsKey(ino)) {
            throw new Bad("directory " + Integer.toUnsignedString(ino) + " listed twice");
          }
          current = new ArrayList<>();
          names.clear();
          dirs.put(ino, current);
        } else if (f.length == 4 && f[0].equals("e")) {
          if (current == null) {
            throw new Bad("an entry before any directory");
          }
          int ino = inode(f[1]);
          int type = (int) number(f[2], "type", 0);
          if (type > 255) {
            throw new Bad("type " + type + " is not a d_type");
          }
          byte[] name;
          try {
            name = HexFormat.of().parseHex(f[3]);
          } catch (IllegalArgumentException e) {
            throw new Bad("the name is not hexadecimal bytes");
          }
          // A directory's own "." and ".." entries are kept as the dump gave them; the tree
          // never follows them.
          boolean dots =
              name.length > 0
                  && name.length <= 2
                  && (name[0] == '.')
                  && (name.length == 1 || name[1] == '.');
          if (!dots && (!FileName.isComponent(name) || name.length > 255)) {
            throw new Bad(FileName.escape(name) + " is not a file name");
          }
          if (!dots && !names.add(FileName.of(name))) {
            throw new Bad(FileName.escape(name) + " listed twice in one directory");
          }
          current.add(new DirectoryEntry(ino, type, name));
        } else {
          throw new Bad("bad line");
        }
      }
      if (!dirs.containsKey(DumpTree.ROOT)) {
        n = 0;
        throw new Bad("no root directory (d 2)");
      }
      return new SymbolTable(date, level, dirs);
    } catch (Bad e) {
      throw new IOException(shown + ": " + (n > 0 ? "line " + n + ": " : "") + e.getMessage());
    }
  }

  /** A line of the table that is not what the format says. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String why) {
      super(why, null, false, false);
    }
  }

  private static String field(String line, String key) throws Bad {
    if (line == null || !line.startsWith(key + " ")) {
      throw new Bad("\"" + key + " N\" expected");
    }
    return line.substring(key.length() + 1);
  }

  /** A decimal number from {@code min} to 2^32 - 1 (unsigned 32 bits), as a long. */
  private static long number(String s, String what, long min) throws Bad {
    int from = s.startsWith("-") ? 1 : 0;
    boolean digits = s.length() > from && s.length() <= 11;
    for (int i = from; digits && i < s.length(); i++) {
      digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }
    if (!digits) {
      throw new Bad("bad " + what + " " + shown(s));
    }
    long v = Long.parseLong(s);
    if (v < min || v > 0xFFFF_FFFFL) {
      throw new Bad(what + " " + s + " out of range");
    }
    return v;
  }

  /** A field of the table for a message: escaped, and cut if long. */
  private static String shown(String s) {
    String cut = s.length() > 24 ? s.substring(0, 24) + "..." : s;
    return FileName.escape(cut.getBytes(StandardCharsets.UTF_8));
  }

  /** An inode number: 32 bits, written unsigned (older tables wrote them signed), never 0. */
  private static int inode(String s) throws Bad {
    long v = number(s, "inode number", Integer.MIN_VALUE);
    if (v == 0) {
      throw new Bad("inode number 0");
    }
    return (int) v;
  }

  /** Writes this table into {@code target}, replacing any earlier one. */
  void write(Directory target) throws IOException {
    target.removeTree(TEMPORARY);
    try (FileHandle f =
            target.open(TEMPORARY, Directory.Access.WRITE, Directory.Create.NEW, false, 0600);
        OutputStream o = new BufferedOutputStream(f.outputStream(), 1 << 16);
        Writer w = new java.io.OutputStreamWriter(o, StandardCharsets.US_ASCII)) {
      w.write(MAGIC + "\ndate " + date + "\nlevel " + level + "\n");
      for (Map.Entry<Integer, List<DirectoryEntry>> d : directories.entrySet()) {
        w.write("d " + Integer.toUnsignedString(d.getKey()) + "\n");
        for (DirectoryEntry e : d.getValue()) {
          w.write(
              "e "
                  + Integer.toUnsignedString(e.ino())
                  + " "
                  + e.type()
                  + " "
                  + HexFormat.of().formatHex(e.name())
                  + "\n");
        }
      }
      w.flush();
      f.sync();
    }
    target.rename(TEMPORARY, target, FILE, true);
  }
}
