package org.jrmt.dump;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dump inode numbers of one tree, stable from one dump to the next as incrementals need. A
 * file's own inode number is used when it fits a dump header (3 up to {@link #FITS_BELOW}: 1 and 2
 * are restore's, and the maps must stay addressable with an int). A number that does not fit (a
 * 64-bit one, 0 to 2, or one taken by an earlier mapping) gets the lowest number free in this tree,
 * and that choice is kept in a file, one line {@code DEV INO NUMBER TREE} per mapping, rewritten
 * atomically (a new file renamed over the old) when it changes and never written while no number
 * needs mapping. Mappings of inodes gone from the tree are dropped, as a file system reuses freed
 * numbers. Not safe against two jdumps of one tree at the same time.
 */
public final class InodeNumbers {
  /** Numbers from here on are mapped. */
  public static final long FITS_BELOW = Integer.MAX_VALUE - 1;

  private final Path file;

  private InodeNumbers(Path file) {
    this.file = file;
  }

  /** Mappings kept in {@code file} (created when first needed). */
  public static InodeNumbers at(Path file) {
    return new InodeNumbers(file);
  }

  /** Mappings for one scan only, kept nowhere. */
  public static InodeNumbers inMemory() {
    return new InodeNumbers(null);
  }

  /** The file beside a dumpdates file: {@code NAME.inodes} in the same directory. */
  public static Path besideDumpdates(Path dumpdates) {
    return dumpdates.resolveSibling(dumpdates.getFileName() + ".inodes");
  }

  /**
   * Numbers the inodes {@code inos} of the tree {@code tree} on device {@code dev} (not including
   * the tree's root, which is always 2).
   *
   * @return the dump number of each inode
   * @throws IOException when the mapping file cannot be read or written
   */
  public Map<Long, Integer> assign(String tree, long dev, Collection<Long> inos)
      throws IOException {
    try {
      return assignOrFail(tree, dev, inos);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": cannot keep the inode numbers: " + e.getMessage(), e);
    }
  }

  private Map<Long, Integer> assignOrFail(String tree, long dev, Collection<Long> inos)
      throws IOException {
    List<String> others = new ArrayList<>();
    Map<Long, Integer> mine = new TreeMap<>();
    for (String line : read()) {
      String[] f = line.split(" ", 4);
      if (f.length == 4 && f[3].equals(tree) && Long.parseLong(f[0]) == dev) {
        mine.put(Long.parseUnsignedLong(f[1]), Integer.parseInt(f[2]));
      } else {
        others.add(line);
      }
    }
    Set<Long> present = new HashSet<>(inos);
    boolean changed = mine.keySet().retainAll(present);
    Set<Integer> taken = new HashSet<>(mine.values());
    Map<Long, Integer> out = new HashMap<>();
    List<Long> unmapped = new ArrayList<>();
    for (long ino : inos) {
      Integer kept = mine.get(ino);
      if (kept != null) {
        out.put(ino, kept);
      } else if (ino >= 3 && ino < FITS_BELOW && !taken.contains((int) ino)) {
        out.put(ino, (int) ino);
      } else {
        unmapped.add(ino);
      }
    }
    Set<Integer> used = new HashSet<>(out.values());
    int next = 3;
    for (long ino : unmapped) {
      while (used.contains(next)) {
        next++;
      }
      out.put(ino, next);
      mine.put(ino, next);
      used.add(next);
      changed = true;
    }
    if (changed) {
      List<String> lines = new ArrayList<>(others);
      mine.forEach(
          (ino, n) -> lines.add(dev + " " + Long.toUnsignedString(ino) + " " + n + " " + tree));
      write(lines);
    }
    return out;
  }

  private List<String> read() throws IOException {
    if (file == null) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  private void write(List<String> lines) throws IOException {
    if (file == null) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".new");
    try {
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
