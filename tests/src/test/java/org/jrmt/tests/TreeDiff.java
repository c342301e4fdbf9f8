package org.jrmt.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares two directory trees without following symbolic links: the same relative names, the same
 * kind of entry, the same bytes in regular files, the same permission bits, the same link targets.
 */
final class TreeDiff {
  private TreeDiff() {}

  /** The differences between {@code expected} and {@code actual}; empty when they match. */
  static List<String> compare(Path expected, Path actual, Set<String> ignoredNames) {
    TreeMap<String, Path> left = entries(expected, ignoredNames);
    TreeMap<String, Path> right = entries(actual, ignoredNames);
    List<String> diffs = new ArrayList<>();
    for (String name : left.keySet()) {
      if (!right.containsKey(name)) {
        diffs.add("missing: " + name);
      }
    }
    for (String name : right.keySet()) {
      if (!left.containsKey(name)) {
        diffs.add("unexpected: " + name);
      }
    }
    for (String name : left.keySet()) {
      if (right.containsKey(name)) {
        compareEntry(name, left.get(name), right.get(name), diffs);
      }
    }
    return diffs;
  }

  private static void compareEntry(String name, Path a, Path b, List<String> diffs) {
    try {
      String ka = kind(a);
      String kb = kind(b);
      if (!ka.equals(kb)) {
        diffs.add(name + ": " + ka + " became " + kb);
        return;
      }
      if (ka.equals("symlink")) {
        Path ta = Files.readSymbolicLink(a);
        Path tb = Files.readSymbolicLink(b);
        if (!ta.equals(tb)) {
          diffs.add(name + ": link to " + ta + " became link to " + tb);
        }
        return;
      }
      String pa = PosixFilePermissions.toString(Files.getPosixFilePermissions(a, NOFOLLOW));
      String pb = PosixFilePermissions.toString(Files.getPosixFilePermissions(b, NOFOLLOW));
      if (!pa.equals(pb)) {
        diffs.add(name + ": mode " + pa + " became " + pb);
      }
      if (ka.equals("file") && Files.mismatch(a, b) != -1) {
        diffs.add(
            name + ": content differs (" + Files.size(a) + " vs " + Files.size(b) + " bytes)");
      }
    } catch (IOException e) {
      diffs.add(name + ": " + e);
    }
  }

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private static String kind(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    if (a.isSymbolicLink()) {
      return "symlink";
    } else if (a.isDirectory()) {
      return "directory";
    } else if (a.isRegularFile()) {
      return "file";
    }
    return "other";
  }

  private static TreeMap<String, Path> entries(Path root, Set<String> ignoredNames) {
    TreeMap<String, Path> map = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> !p.equals(root))
          .filter(p -> !ignoredNames.contains(root.relativize(p).toString()))
          .forEach(p -> map.put(root.relativize(p).toString(), p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return map;
  }

  /** Deletes a tree without following links; a missing tree is fine. */
  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, NOFOLLOW)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
