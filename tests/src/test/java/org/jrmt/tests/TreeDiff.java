package org.jrmt.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compares two directory trees without following symbolic links: the same relative names, the same
 * kind of entry, the same bytes in regular files, the same permission bits, the same link targets.
 * {@link #compareAll} also compares what a dump/restore round trip must keep: the whole mode
 * (setuid, setgid, sticky), owner, times, link counts, device numbers and holes.
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

  /**
   * Like {@link #compare}, and every entry (the roots excepted) must also agree in: the exact file
   * type (FIFO, socket, character or block device too), mode bits 07777, uid and gid, size and link
   * count (non-directories), device number, modification time and, for non-directories, access time
   * in whole seconds as dump carries them (symbolic links: type, owner and target only, since
   * restore does not set their times). A regular file with holes in {@code expected} must not have
   * more blocks allocated in {@code actual}: its holes were kept.
   */
  static List<String> compareAll(Path expected, Path actual, Set<String> ignoredNames) {
    List<String> diffs = compare(expected, actual, ignoredNames);
    TreeMap<String, Path> left = entries(expected, ignoredNames);
    TreeMap<String, Path> right = entries(actual, ignoredNames);
    for (String name : left.keySet()) {
      if (right.containsKey(name)) {
        compareStat(name, left.get(name), right.get(name), diffs);
      }
    }
    return diffs;
  }

  private static void compareStat(String name, Path a, Path b, List<String> diffs) {
    try {
      Map<String, Object> sa = Files.readAttributes(a, "unix:*", NOFOLLOW);
      Map<String, Object> sb = Files.readAttributes(b, "unix:*", NOFOLLOW);
      int ma = (Integer) sa.get("mode");
      int mb = (Integer) sb.get("mode");
      if (ma != mb) {
        diffs.add(String.format("%s: st_mode %06o became %06o", name, ma, mb));
        return;
      }
      int type = ma & 0170000;
      List<String> keys = new ArrayList<>(List.of("uid", "gid"));
      if (type != 0040000) {
        keys.addAll(List.of("size", "nlink"));
      }
      if (type == 0020000 || type == 0060000) {
        keys.add("rdev");
      }
      if (type != 0120000) {
        keys.add("lastModifiedTime");
        if (type != 0040000) {
          keys.add("lastAccessTime");
        }
      }
      for (String key : keys) {
        // dump carries times in whole seconds
        Object va = sa.get(key) instanceof FileTime t ? t.to(TimeUnit.SECONDS) : sa.get(key);
        Object vb = sb.get(key) instanceof FileTime t ? t.to(TimeUnit.SECONDS) : sb.get(key);
        if (!va.equals(vb)) {
          diffs.add(name + ": " + key + " " + sa.get(key) + " became " + sb.get(key));
        }
      }
      if (type == 0100000) {
        long size = (Long) sa.get("size");
        long blocksA = allocated(a);
        long blocksB = allocated(b);
        if (blocksA * 512 < size && blocksB > blocksA) {
          diffs.add(name + ": holes filled (" + blocksA + " blocks became " + blocksB + ")");
        }
      }
    } catch (IOException e) {
      diffs.add(name + ": " + e);
    }
  }

  /** 512-byte blocks allocated to a file ({@code stat -c %b}): what Java's attributes lack. */
  static long allocated(Path file) throws IOException {
    Process p =
        new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("stat " + file + ": " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return Long.parseLong(out);
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
