package org.jrmt.dump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Test helper: describes a real directory tree in the dump lab's signature format ({@code
 * path|type|mode|uid:gid|size|md5 prefix|links=N}), the one {@link MemoryRestore} and the fixtures'
 * signature files use, without following symbolic links.
 */
final class TreeSignature {
  private TreeSignature() {}

  static TreeSet<String> of(Path root, String... ignored) throws IOException {
    TreeSet<String> lines = new TreeSet<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String rel = root.relativize(p).toString();
        String path = rel.isEmpty() ? "." : "./" + rel;
        boolean skip = false;
        for (String i : ignored) {
          skip |= path.equals("./" + i) || path.startsWith("./" + i + "/");
        }
        if (!skip) {
          lines.add(describe(p, path));
        }
      }
    }
    return lines;
  }

  private static String describe(Path p, String path) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(p, "unix:mode,uid,gid,size,nlink", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    String perms = Integer.toOctalString(mode & 07777);
    String owner = a.get("uid") + ":" + a.get("gid");
    long size = (Long) a.get("size");
    return switch (mode & 0xF000) {
      case 0x4000 -> path + "|directory|" + perms + "|" + owner;
      case 0xA000 ->
          path + "|symbolic link|" + perms + "|" + owner + "|->" + Files.readSymbolicLink(p);
      case 0x2000 -> path + "|character special file|" + perms + "|" + owner;
      case 0x6000 -> path + "|block special file|" + perms + "|" + owner;
      case 0x1000 -> path + "|fifo|" + perms + "|" + owner;
      case 0xC000 -> path + "|socket|" + perms + "|" + owner;
      default ->
          path
              + "|"
              + (size == 0 ? "regular empty file" : "regular file")
              + "|"
              + perms
              + "|"
              + owner
              + "|"
              + size
              + "|"
              + md5(p)
              + "|links="
              + a.get("nlink");
    };
  }

  private static String md5(Path p) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      try (var in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
