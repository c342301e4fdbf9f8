package org.jrmt.dump;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the directories at the start of a dump as their records arrive: each 1 KiB record is
 * decoded on its own (no entry crosses a 512-byte block), so nothing is sized by what a header
 * claims and holes cost nothing. A directory's damage is reported in at most {@value
 * #PER_DIRECTORY} lines and a count. Used by every reader of the dump's directories.
 */
final class DirectoryCollector {
  /** Problem lines kept for one directory; the rest are counted in one more line. */
  static final int PER_DIRECTORY = 8;

  private final Map<Integer, List<DirectoryEntry>> dirs = new LinkedHashMap<>();
  private final Map<Integer, DumpHeader> headers = new HashMap<>();
  private final Problems problems;

  private DumpHeader current;
  private List<DirectoryEntry> entries;
  private final List<String> mine = new ArrayList<>();
  private long mineCount;
  private long next;
  private long holes;

  /** A collector reporting damage to {@code problems}. */
  DirectoryCollector(Problems problems) {
    this.problems = problems;
  }

  /** A directory's TS_INODE: its entries follow. */
  void start(DumpHeader h) {
    current = h;
    entries = new ArrayList<>();
    mine.clear();
    mineCount = 0;
    next = 0;
    holes = 0;
  }

  /** True between {@link #start} and {@link #end}. */
  boolean collecting() {
    return current != null;
  }

  /** {@code length} bytes of the directory at byte {@code offset} (a multiple of 1024). */
  void data(long offset, byte[] record, int length) {
    holes += Math.max(0, offset - next);
    List<String> found = new ArrayList<>();
    DirectoryEntry.decode(record, length, offset, entries, found);
    for (String f : found) {
      if (mine.size() < PER_DIRECTORY) {
        mine.add(f);
      }
      mineCount++;
    }
    next = offset + length;
  }

  /**
   * The directory is over; {@code damage} is what the scanner found lost of it (null if nothing),
   * so that missing data is not also reported as holes.
   */
  void end(String damage) {
    DumpHeader h = current;
    if (h == null) {
      return;
    }
    if (damage == null) {
      holes += Math.max(0, Math.max(0, h.size()) - next);
    }
    String dir = "directory inode " + Integer.toUnsignedString(h.inumber()) + ": ";
    for (String m : mine) {
      problems.add(dir + m);
    }
    if (mineCount > mine.size()) {
      problems.add(dir + (mineCount - mine.size()) + " more damaged entries");
    }
    if (holes > 0) {
      problems.add(dir + holes + " bytes of holes (a directory has none): read as no entries");
    }
    dirs.put(h.inumber(), entries);
    headers.put(h.inumber(), h);
    current = null;
    entries = null;
  }

  /** Every directory gathered: its inode number and entries, in dump order. */
  Map<Integer, List<DirectoryEntry>> directories() {
    return dirs;
  }

  /** The header of directory {@code ino}, or null if it was not on the dump. */
  DumpHeader header(int ino) {
    return headers.get(ino);
  }
}
