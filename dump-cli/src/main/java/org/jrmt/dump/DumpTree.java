package org.jrmt.dump;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The name tree of a dump: each directory's entries, walked from the root (inode 2) into relative
 * paths ({@code ""} for the root, {@code "a/b"} below it). Names that could leave the target
 * directory ({@code .}, {@code ..}, a {@code /} or NUL inside) are refused and reported, and a
 * directory reached twice (a loop in a damaged dump) is walked once.
 */
final class DumpTree {
  /** Inode number of the root directory. */
  static final int ROOT = 2;

  private final Map<Integer, List<DirectoryEntry>> dirs;
  private final Map<Integer, List<String>> paths = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  /** Walks {@code dirs} (directory inode to its entries) from the root. */
  DumpTree(Map<Integer, List<DirectoryEntry>> dirs) {
    this.dirs = dirs;
    if (dirs.containsKey(ROOT)) {
      paths.computeIfAbsent(ROOT, k -> new ArrayList<>()).add("");
      walk(ROOT, "", new HashSet<>());
    } else {
      problems.add("the root directory is not on the dump");
    }
  }

  private void walk(int dir, String path, Set<Integer> visiting) {
    visiting.add(dir);
    for (DirectoryEntry e : dirs.get(dir)) {
      String name = new String(e.name(), StandardCharsets.UTF_8);
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      String child = path.isEmpty() ? name : path + "/" + name;
      if (!safe(name)) {
        problems.add("refused the name " + quote(child) + ": it could leave the target");
        continue;
      }
      if (dirs.containsKey(e.ino())) {
        if (visiting.contains(e.ino()) || paths.containsKey(e.ino())) {
          problems.add("directory " + child + " (inode " + e.ino() + ") is linked twice: skipped");
          continue;
        }
        paths.computeIfAbsent(e.ino(), k -> new ArrayList<>()).add(child);
        walk(e.ino(), child, visiting);
      } else {
        paths.computeIfAbsent(e.ino(), k -> new ArrayList<>()).add(child);
      }
    }
    visiting.remove(dir);
  }

  /** True when {@code name} is one plain path component. */
  static boolean safe(String name) {
    return !name.isEmpty()
        && !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('\0') < 0;
  }

  private static String quote(String s) {
    return s.replace("\n", "\\n").replace("\0", "\\0");
  }

  /** Every inode reachable by name, with its names in walk order (directories before contents). */
  Map<Integer, List<String>> paths() {
    return paths;
  }

  /** True when {@code ino} is a directory of the tree. */
  boolean isDirectory(int ino) {
    return dirs.containsKey(ino);
  }

  /** The entries of directory {@code ino}, or null. */
  List<DirectoryEntry> entries(int ino) {
    return dirs.get(ino);
  }

  /** The directories and their entries. */
  Map<Integer, List<DirectoryEntry>> directories() {
    return dirs;
  }

  /** Names refused or loops found while walking. */
  List<String> problems() {
    return problems;
  }

  /** {@code ./path}, as restore prints names. */
  static String display(String path) {
    return path.isEmpty() ? "." : "./" + path;
  }
}
