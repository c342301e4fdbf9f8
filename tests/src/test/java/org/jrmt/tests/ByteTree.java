package org.jrmt.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;
import org.jrmt.fs.Xattr;

/**
 * A tree described by handle, names as bytes (escaped): one line per entry with its type and mode,
 * owner, size, modification time (but the root's), content digest, link target, every extended
 * attribute (ACLs included) and its inode flags. Two trees that a backup round trip kept identical
 * describe alike, whatever their names' bytes.
 */
final class ByteTree {
  private ByteTree() {}

  /** The lines for the tree at {@code root}, {@code ignored} names at the top left out. */
  static List<String> describe(Path root, Set<String> ignored) throws IOException {
    List<String> out = new ArrayList<>();
    try (Directory d = Directory.open(root)) {
      walk(d, ".", true, ignored, out);
    }
    return out;
  }

  private static void walk(
      Directory dir, String shown, boolean top, Set<String> ignored, List<String> out)
      throws IOException {
    out.add(shown + " " + describe(dir.status(), dir.xattrs(), dir.inodeFlags(), null, !top));
    List<Directory.Entry> entries = new ArrayList<>(dir.list());
    entries.sort(Comparator.comparing(Directory.Entry::name));
    for (Directory.Entry e : entries) {
      FileName n = e.name();
      if (top && ignored.contains(n.toString())) {
        continue;
      }
      String path = shown + "/" + n;
      FileStatus st = dir.status(n).orElseThrow();
      if (st.isDirectory()) {
        try (Directory sub = dir.directory(n)) {
          walk(sub, path, false, ignored, out);
        }
      } else if (st.isRegularFile()) {
        try (FileHandle f = dir.open(n, Directory.Access.READ, Directory.Create.NO, false, 0)) {
          out.add(path + " " + describe(st, f.xattrs(), f.inodeFlags(), digest(f), true));
        }
      } else {
        String target =
            st.isSymbolicLink() ? "-> " + FileName.escape(dir.readLink(n)) : "rdev " + st.rdev();
        out.add(path + " " + describe(st, dir.xattrs(n), 0, target, !st.isSymbolicLink()));
      }
    }
  }

  private static String describe(
      FileStatus st, List<Xattr> xattrs, int flags, String content, boolean withTime) {
    StringBuilder b = new StringBuilder();
    b.append(Integer.toOctalString(st.mode())).append(' ');
    b.append(st.uid()).append(':').append(st.gid());
    if (!st.isDirectory()) {
      b.append(" size ").append(st.size()).append(" links ").append(st.nlink());
    }
    if (withTime) {
      b.append(" mtime ").append(st.mtimeSeconds());
    }
    if (content != null) {
      b.append(' ').append(content);
    }
    List<Xattr> sorted = new ArrayList<>(xattrs);
    sorted.sort(Comparator.comparing(Xattr::shownName));
    for (Xattr x : sorted) {
      b.append(' ').append(x.shownName()).append('=').append(HexFormat.of().formatHex(x.value()));
    }
    b.append(" flags ").append(Integer.toHexString(flags));
    return b.toString();
  }

  private static String digest(FileHandle f) throws FsException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(65536);
      long at = 0;
      while (true) {
        buf.clear();
        int n = f.read(buf, at);
        if (n < 0) {
          break;
        }
        buf.flip();
        md.update(buf);
        at += n;
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
