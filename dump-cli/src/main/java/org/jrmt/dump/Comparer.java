package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code jrestore -C}: compares what a dump holds with a live tree, one line per difference ({@code
 * ./name: what changed}): a name that is gone, a change of type, permissions, owner, size, contents
 * or link target. Files not on the dump are not looked at, as with restore.
 */
final class Comparer implements DumpScanner.Visitor {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path live;
  private final List<String> differences = new ArrayList<>();
  private final DirectoryCollector dirs = new DirectoryCollector(new Problems());
  private DumpTree tree;
  private boolean collecting;
  private LinkText linkData;
  private FileChannel file;
  private String current;
  private boolean differs;
  private final ByteBuffer buf = ByteBuffer.allocate(DumpHeader.TP_BSIZE);

  Comparer(Path live) {
    this.live = live;
  }

  /** The differences found, one line each. */
  List<String> differences() {
    return differences;
  }

  private void differ(String path, String what) {
    // -C prints names as before, decoded as UTF-8 (names as bytes for listings are to come).
    differences.add((path.isEmpty() ? "." : "./" + path) + ": " + what);
  }

  @Override
  public boolean inode(DumpHeader h) throws IOException {
    if (tree == null && h.isDirectory()) {
      dirs.start(h);
      collecting = true;
      return true;
    }
    if (tree == null) {
      plan();
    }
    List<DumpTree.Node> paths = tree.names().get(h.inumber());
    if (paths == null || h.isDirectory() || tree.isDirectory(h.inumber())) {
      return false;
    }
    current = paths.get(0).text();
    differs = false;
    if (!sameKind(current, h)) {
      return false;
    }
    int type = h.mode() & 0xF000;
    if (type == 0xA000) {
      linkData = new LinkText();
      return true;
    }
    if (type == 0x8000) {
      if (Files.size(live.resolve(current)) != h.size()) {
        differ(current, "size has changed");
        return false;
      }
      file = FileChannel.open(live.resolve(current), StandardOpenOption.READ, NOFOLLOW);
      return true;
    }
    return false;
  }

  /** Compares what lstat says of {@code path} with {@code h}; false if it is gone or retyped. */
  private boolean sameKind(String path, DumpHeader h) throws IOException {
    Path p = live.resolve(path);
    Map<String, Object> a;
    try {
      a = Files.readAttributes(p, "unix:mode,uid,gid", NOFOLLOW);
    } catch (NoSuchFileException e) {
      differ(path, "unable to stat: no such file");
      return false;
    }
    int mode = (Integer) a.get("mode");
    if ((mode & 0xF000) != (h.mode() & 0xF000)) {
      differ(path, "type changed");
      return false;
    }
    if ((mode & 0xF000) != 0xA000 && (mode & 07777) != (h.mode() & 07777)) {
      differ(path, String.format("mode changed from 0%o to 0%o", h.mode() & 07777, mode & 07777));
    }
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    if (uid != h.uid() || gid != h.gid()) {
      differ(path, "owner changed from " + h.uid() + ":" + h.gid() + " to " + uid + ":" + gid);
    }
    return true;
  }

  @Override
  public void data(long offset, byte[] record, int length) throws IOException {
    if (collecting) {
      dirs.data(offset, record, length);
    } else if (linkData != null) {
      linkData.add(offset, record, length);
    } else if (file != null && !differs) {
      buf.clear().limit(length);
      long at = offset;
      while (buf.hasRemaining() && file.read(buf, at) > 0) {
        at = offset + buf.position();
      }
      if (buf.position() != length || !Arrays.equals(buf.array(), 0, length, record, 0, length)) {
        differs = true;
        differ(current, "contents changed");
      }
    }
  }

  @Override
  public void end(DumpHeader h, String damage) throws IOException {
    if (collecting) {
      dirs.end(damage);
      collecting = false;
    } else if (file != null) {
      file.close();
      file = null;
    } else if (linkData != null) {
      String was = new String(linkData.text(), StandardCharsets.UTF_8);
      linkData = null;
      String now = Files.readSymbolicLink(live.resolve(current)).toString();
      if (!now.equals(was)) {
        differ(current, "symbolic link changed from " + was + " to " + now);
      }
    }
  }

  private void plan() throws IOException {
    tree = new DumpTree(dirs.directories());
    for (DumpTree.Node n : tree.nodes()) {
      DumpHeader h = dirs.header(n.ino);
      if (h != null && tree.isDirectory(n.ino)) {
        sameKind(n.text(), h);
      }
    }
  }

  /** Ends the comparison (compares directories if the dump held nothing else). */
  void finish() throws IOException {
    if (tree == null) {
      plan();
    }
  }
}
