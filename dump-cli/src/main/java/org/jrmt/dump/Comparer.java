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
import java.util.HashMap;
import java.util.LinkedHashMap;
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
  private final Map<Integer, List<DirectoryEntry>> dirs = new LinkedHashMap<>();
  private final Map<Integer, DumpHeader> dirHeaders = new HashMap<>();
  private DumpTree tree;
  private byte[] dirData;
  private byte[] linkData;
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
    differences.add(DumpTree.display(path) + ": " + what);
  }

  @Override
  public boolean inode(DumpHeader h) throws IOException {
    if (tree == null && h.isDirectory()) {
      dirData = new byte[(int) Math.min(Math.max(h.size(), 0), 1 << 26)];
      return true;
    }
    if (tree == null) {
      plan();
    }
    List<String> paths = tree.paths().get(h.inumber());
    if (paths == null || h.isDirectory()) {
      return false;
    }
    current = paths.get(0);
    differs = false;
    if (!sameKind(current, h)) {
      return false;
    }
    int type = h.mode() & 0xF000;
    if (type == 0xA000) {
      linkData = new byte[(int) Math.min(Math.max(h.size(), 0), 1 << 16)];
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
    if (dirData != null) {
      DumpScanner.Visitor.gather(dirData, offset, record, length);
    } else if (linkData != null) {
      DumpScanner.Visitor.gather(linkData, offset, record, length);
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
    if (dirData != null) {
      dirs.put(h.inumber(), DirectoryEntry.decode(dirData, new ArrayList<>()));
      dirHeaders.put(h.inumber(), h);
      dirData = null;
    } else if (file != null) {
      file.close();
      file = null;
    } else if (linkData != null) {
      int n = 0;
      while (n < linkData.length && linkData[n] != 0) {
        n++;
      }
      String was = new String(linkData, 0, n, StandardCharsets.UTF_8);
      linkData = null;
      String now = Files.readSymbolicLink(live.resolve(current)).toString();
      if (!now.equals(was)) {
        differ(current, "symbolic link changed from " + was + " to " + now);
      }
    }
  }

  private void plan() throws IOException {
    tree = new DumpTree(dirs);
    for (Map.Entry<Integer, List<String>> e : tree.paths().entrySet()) {
      DumpHeader h = dirHeaders.get(e.getKey());
      if (h != null) {
        sameKind(e.getValue().get(0), h);
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
