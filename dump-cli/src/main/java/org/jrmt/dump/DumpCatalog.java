package org.jrmt.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What a dump holds, as far as its directories tell: the volume header, the map of inodes on the
 * dump and every dumped directory's entries. Reading stops at the first inode that is not a
 * directory, as restore does to list or to plan an extraction.
 */
public final class DumpCatalog {
  private final DumpHeader tape;
  private final InodeMap onDump;
  private final Map<Integer, List<DirectoryEntry>> directories;
  private final List<String> problems;

  private DumpCatalog(
      DumpHeader tape,
      InodeMap onDump,
      Map<Integer, List<DirectoryEntry>> directories,
      List<String> problems) {
    this.tape = tape;
    this.onDump = onDump;
    this.directories = directories;
    this.problems = problems;
  }

  /**
   * Reads the catalog from the start of a dump.
   *
   * @throws DumpFormatException if the stream does not start like a dump
   */
  public static DumpCatalog read(DumpReader reader) throws IOException {
    DumpHeader tape = reader.nextHeader();
    if (tape == null || tape.type() != HeaderType.TAPE) {
      throw new DumpFormatException("not a dump: no volume header at the start");
    }
    if (tape.volume() != 1) {
      throw new DumpFormatException(
          "this is volume " + tape.volume() + ", not volume 1 of the dump");
    }
    byte[] rec = new byte[DumpHeader.TP_BSIZE];
    InodeMap bits = null;
    Map<Integer, List<DirectoryEntry>> dirs = new HashMap<>();
    List<String> problems = new ArrayList<>();
    ByteArrayOutputStream data = null;
    DumpHeader current = null;
    DumpHeader h;
    while ((h = reader.nextHeader()) != null) {
      switch (h.type()) {
        case CLRI, BITS -> {
          ByteArrayOutputStream map = new ByteArrayOutputStream();
          for (int i = 0; i < h.count(); i++) {
            reader.readData(rec);
            map.write(rec);
          }
          if (h.type() == HeaderType.BITS) {
            bits = InodeMap.decode(map.toByteArray());
          }
        }
        case INODE -> {
          finish(current, data, dirs, problems);
          if (!h.isDirectory()) {
            return new DumpCatalog(tape, orEmpty(bits), dirs, problems);
          }
          current = h;
          data = new ByteArrayOutputStream();
          append(reader, h, data, rec);
        }
        case ADDR -> append(reader, h, data, rec);
        case END -> {
          finish(current, data, dirs, problems);
          return new DumpCatalog(tape, orEmpty(bits), dirs, problems);
        }
        case TAPE -> throw new DumpFormatException("a volume header inside the dump");
      }
    }
    throw new DumpFormatException("the dump ends before its end marker");
  }

  private static InodeMap orEmpty(InodeMap m) {
    return m == null ? InodeMap.empty() : m;
  }

  private static void append(
      DumpReader reader, DumpHeader h, ByteArrayOutputStream data, byte[] rec) throws IOException {
    for (int i = 0; i < Math.min(h.count(), DumpHeader.TP_NINDIR); i++) {
      if (h.present(i)) {
        reader.readData(rec);
        if (data != null) {
          data.write(rec);
        }
      } else if (data != null) {
        data.write(new byte[DumpHeader.TP_BSIZE]);
      }
    }
  }

  private static void finish(
      DumpHeader dir,
      ByteArrayOutputStream data,
      Map<Integer, List<DirectoryEntry>> dirs,
      List<String> problems) {
    if (dir == null) {
      return;
    }
    byte[] all = data.toByteArray();
    byte[] exact = new byte[(int) Math.min(all.length, dir.size())];
    System.arraycopy(all, 0, exact, 0, exact.length);
    List<String> mine = new ArrayList<>();
    dirs.put(dir.inumber(), DirectoryEntry.decode(exact, mine));
    for (String p : mine) {
      problems.add("directory inode " + dir.inumber() + ": " + p);
    }
  }

  /** The volume header of the dump. */
  public DumpHeader tape() {
    return tape;
  }

  /** True when {@code ino} is a directory on the dump. */
  public boolean isDirectory(int ino) {
    return directories.containsKey(ino);
  }

  /** Damage seen while reading the directories. */
  public List<String> problems() {
    return problems;
  }

  /**
   * Visits every name on the dump, from the root ({@code .}), in directory order, descending into
   * the directories that are on it: as {@code restore -t} lists them.
   */
  public void walk(BiConsumer<Integer, String> visitor) {
    walk(2, ".", visitor);
  }

  private void walk(int ino, String path, BiConsumer<Integer, String> visitor) {
    if (onDump.contains(ino)) {
      visitor.accept(ino, path);
    }
    List<DirectoryEntry> entries = directories.get(ino);
    if (entries == null) {
      return;
    }
    for (DirectoryEntry e : entries) {
      String name = new String(e.name(), StandardCharsets.UTF_8);
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      String child = path + "/" + name;
      if (directories.containsKey(e.ino())) {
        walk(e.ino(), child, visitor);
      } else if (onDump.contains(e.ino())) {
        visitor.accept(e.ino(), child);
      }
    }
  }
}
