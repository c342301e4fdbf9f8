package org.jrmt.dump.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test helper: everything observable about a tree that a write could change, links never followed:
 * each name with its type, mode, owner, inode, size, contents hash or link text, and times to the
 * nanosecond (a directory's modification time changes when anything is added to it or removed from
 * it, even for a moment). Two snapshots are equal when nothing in the tree was touched.
 */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  /** The lines describing {@code root} and everything below it, sorted. */
  public static TreeSet<String> of(Path root) throws IOException {
    TreeSet<String> lines = new TreeSet<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            lines.add(line(root, d));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            lines.add(line(root, f));
            return FileVisitResult.CONTINUE;
          }
        });
    return lines;
  }

  private static String line(Path root, Path p) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(
            p, "unix:mode,uid,gid,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
    String what = "";
    if (Files.isSymbolicLink(p)) {
      what = "-> " + Files.readSymbolicLink(p);
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      what = sha256(Files.readAllBytes(p));
    }
    return root.relativize(p)
        + "|"
        + Integer.toOctalString((Integer) a.get("mode"))
        + "|"
        + a.get("uid")
        + ":"
        + a.get("gid")
        + "|ino "
        + a.get("ino")
        + "|"
        + a.get("size")
        + "|"
        + what
        + "|mtime "
        + a.get("lastModifiedTime")
        + "|ctime "
        + a.get("ctime");
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
