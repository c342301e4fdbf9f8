package org.jrmt.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
   * Reads the catalog from the start of a dump. Directories are decoded record by record as they
   * are read, maps grow as their records arrive: nothing is sized by what a header claims.
   *
   * @throws NotADumpException if the stream does not start like a dump
   * @throws DumpFormatException if a header further on is damaged
   */
  public static DumpCatalog read(DumpReader reader) throws IOException {
    DumpHeader tape;
    try {
      tape = reader.nextHeader();
    } catch (NotADumpException e) {
      throw e;
    } catch (DumpFormatException e) {
      throw new NotADumpException("not a dump: " + e.getMessage());
    }
    if (tape == null || tape.type() != HeaderType.TAPE) {
      throw new NotADumpException("not a dump: no volume header at the start");
    }
    if (tape.volume() != 1) {
      throw new NotADumpException("this is volume " + tape.volume() + ", not volume 1 of the dump");
    }
    byte[] rec = new byte[DumpHeader.TP_BSIZE];
    InodeMap bits = null;
    Problems problems = new Problems();
    DirectoryCollector dirs = new DirectoryCollector(problems);
    long offset = 0;
    DumpHeader h;
    while ((h = reader.nextHeader()) != null) {
      switch (h.type()) {
        case CLRI, BITS -> {
          ByteArrayOutputStream map = new ByteArrayOutputStream();
          for (int i = 0; i < h.count(); i++) {
            reader.readData(rec);
            if (map.size() < InodeMap.MAX_BYTES) {
              map.write(rec);
            }
          }
          if (h.type() == HeaderType.BITS) {
            bits = InodeMap.decode(map.toByteArray());
          }
        }
        case INODE -> {
          if (dirs.collecting()) {
            dirs.end(null);
          }
          if (!h.isDirectory()) {
            return new DumpCatalog(tape, orEmpty(bits), dirs.directories(), problems.lines());
          }
          dirs.start(h);
          offset = append(reader, h, dirs, rec, 0);
        }
        case ADDR -> offset = append(reader, h, dirs, rec, offset);
        case END -> {
          if (dirs.collecting()) {
            dirs.end(null);
          }
          return new DumpCatalog(tape, orEmpty(bits), dirs.directories(), problems.lines());
        }
        case TAPE -> throw new DumpFormatException("a volume header inside the dump");
      }
    }
    throw new DumpFormatException("the dump ends before its end marker");
  }

  private static InodeMap orEmpty(InodeMap m) {
    return m == null ? InodeMap.empty() : m;
  }

  /** Reads the data records of {@code h}; a directory's go to {@code dirs} as they come. */
  private static long append(
      DumpReader reader, DumpHeader h, DirectoryCollector dirs, byte[] rec, long offset)
      throws IOException {
    long at = offset;
    long size = Math.max(0, h.size());
    for (int i = 0; i < Math.min(h.count(), DumpHeader.TP_NINDIR); i++) {
      if (h.present(i)) {
        reader.readData(rec);
        if (dirs.collecting() && at < size) {
          dirs.data(at, rec, (int) Math.min(DumpHeader.TP_BSIZE, size - at));
        }
      }
      at += DumpHeader.TP_BSIZE;
    }
    return at;
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
   * the directories that are on it: as {@code restore -t} lists them. A directory reached a second
   * time (a loop, or a second link to it in a damaged dump) is listed, not entered again, and
   * reported in {@link #problems}.
   */
  public void walk(BiConsumer<Integer, String> visitor) {
    if (onDump.contains(2)) {
      visitor.accept(2, ".");
    }
    Set<Integer> entered = new HashSet<>();
    entered.add(2);
    Deque<Object[]> stack = new ArrayDeque<>();
    if (directories.containsKey(2)) {
      stack.push(new Object[] {directories.get(2).iterator(), "."});
    }
    while (!stack.isEmpty()) {
      @SuppressWarnings("unchecked")
      Iterator<DirectoryEntry> it = (Iterator<DirectoryEntry>) stack.peek()[0];
      String path = (String) stack.peek()[1];
      if (!it.hasNext()) {
        stack.pop();
        continue;
      }
      DirectoryEntry e = it.next();
      String name = new String(e.name(), StandardCharsets.UTF_8);
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      String child = path + "/" + name;
      if (directories.containsKey(e.ino())) {
        if (onDump.contains(e.ino())) {
          visitor.accept(e.ino(), child);
        }
        if (entered.add(e.ino())) {
          stack.push(new Object[] {directories.get(e.ino()).iterator(), child});
        } else if (problems.size() < Problems.LIMIT) {
          problems.add("directory " + child + " (inode " + e.ino() + ") is linked twice: skipped");
        }
      } else if (onDump.contains(e.ino())) {
        visitor.accept(e.ino(), child);
      }
    }
  }
}
