package org.jrmt.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a directory tree on one file system and describes it as dump inodes: every inode once (hard
 * links share one), directories with their entries, in the order restore needs (directories, then
 * the rest, each by ascending inode number). The root is inode 2; every other inode keeps its file
 * system inode number when that fits, so numbers stay the same from one dump to the next. Mount
 * points inside the tree are not crossed, and names restore cannot carry are left out, each with a
 * warning.
 */
public final class TreeScanner {
  /** One inode: its metadata, a path to read it from, and for directories its entries. */
  public record Node(InodeMeta meta, Path path, List<DirectoryEntry> entries) {}

  /**
   * The scanned tree.
   *
   * @param directories directory inodes, root first, ascending
   * @param others every other inode, ascending
   * @param maxino one more than the largest inode number
   * @param warnings what was left out and why
   */
  public record Scan(
      List<Node> directories, List<Node> others, int maxino, List<String> warnings) {}

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /**
   * The attributes read per file; named, not {@code unix:*}, which also looks up the owner's and
   * group's names (a passwd and group lookup per file).
   */
  private static final String ATTRIBUTES =
      "unix:dev,ino,mode,nlink,uid,gid,size,lastAccessTime,lastModifiedTime,ctime,rdev";

  private final Map<Long, Integer> numbers = new HashMap<>();

  /** The values of {@code numbers}: a scan of the map's values per file made big trees slow. */
  private final Set<Integer> used = new HashSet<>();

  private final Map<Integer, Node> nodes = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private int nextFree = 3;

  private TreeScanner() {}

  /** Scans the tree at {@code root}. */
  public static Scan scan(Path root) throws IOException {
    return new TreeScanner().walk(root);
  }

  private Scan walk(Path root) throws IOException {
    Map<String, Object> rootAttrs = Files.readAttributes(root, ATTRIBUTES, NOFOLLOW);
    long dev = (Long) rootAttrs.get("dev");
    numbers.put((Long) rootAttrs.get("ino"), 2);
    used.add(2);
    Deque<Path> pending = new ArrayDeque<>();
    Map<Path, Integer> parentOf = new HashMap<>();
    pending.push(root);
    parentOf.put(root, 2);
    while (!pending.isEmpty()) {
      Path dir = pending.pop();
      Map<String, Object> attrs = Files.readAttributes(dir, ATTRIBUTES, NOFOLLOW);
      int self = number((Long) attrs.get("ino"));
      List<DirectoryEntry> entries = new ArrayList<>();
      entries.add(new DirectoryEntry(self, DirectoryEntry.DT_DIR, new byte[] {'.'}));
      entries.add(
          new DirectoryEntry(parentOf.get(dir), DirectoryEntry.DT_DIR, new byte[] {'.', '.'}));
      for (Path child : children(dir)) {
        String text = child.getFileName().toString();
        if (text.indexOf('\uFFFD') >= 0) {
          warnings.add(child + ": a name that is not UTF-8 cannot be read faithfully; left out");
          continue;
        }
        byte[] name = text.getBytes(StandardCharsets.UTF_8);
        if (name.length > DirectoryEntry.MAX_NAME) {
          warnings.add(
              child
                  + ": a name of "
                  + name.length
                  + " bytes cannot be restored by stock restore; left out");
          continue;
        }
        Map<String, Object> a = Files.readAttributes(child, ATTRIBUTES, NOFOLLOW);
        if ((Long) a.get("dev") != dev) {
          warnings.add(child + ": another file system; not crossed");
          continue;
        }
        int ino = number((Long) a.get("ino"));
        InodeMeta meta = meta(ino, a);
        entries.add(new DirectoryEntry(ino, type(meta.mode()), name));
        if (!nodes.containsKey(ino)) {
          nodes.put(ino, new Node(meta, child, null));
          if (meta.isDirectory()) {
            parentOf.put(child, self);
            pending.push(child);
          }
        }
      }
      InodeMeta meta = meta(self, attrs);
      byte[] converted = DirectoryEntry.encode(entries);
      nodes.put(self, new Node(meta.withSize(converted.length), dir, entries));
    }
    List<Node> dirs = new ArrayList<>();
    List<Node> others = new ArrayList<>();
    nodes.values().stream()
        .sorted(Comparator.comparingInt(n -> n.meta().ino()))
        .forEach(n -> (n.meta().isDirectory() ? dirs : others).add(n));
    int maxino = nodes.keySet().stream().mapToInt(Integer::intValue).max().orElse(2) + 1;
    return new Scan(dirs, others, maxino, warnings);
  }

  private static List<Path> children(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }

  /** The dump number of a file system inode: the same number when it fits and is free. */
  private int number(long fsIno) {
    Integer known = numbers.get(fsIno);
    if (known != null) {
      return known;
    }
    int n;
    if (fsIno >= 3 && fsIno < Integer.MAX_VALUE && !used.contains((int) fsIno)) {
      n = (int) fsIno;
    } else {
      while (used.contains(nextFree)) {
        nextFree++;
      }
      n = nextFree++;
    }
    numbers.put(fsIno, n);
    used.add(n);
    return n;
  }

  private static InodeMeta meta(int ino, Map<String, Object> a) {
    long rdev = (Long) a.get("rdev");
    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    return new InodeMeta(
        ino,
        (Integer) a.get("mode"),
        (Integer) a.get("nlink"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("size"),
        seconds(a.get("lastAccessTime")),
        seconds(a.get("lastModifiedTime")),
        seconds(a.get("ctime")),
        (int) ((major << 8) | (minor & 0xff)));
  }

  private static int seconds(Object time) {
    return (int) ((FileTime) time).toInstant().getEpochSecond();
  }

  private static int type(int mode) {
    return switch (mode & InodeMeta.S_IFMT) {
      case 0x1000 -> DirectoryEntry.DT_FIFO;
      case 0x2000 -> DirectoryEntry.DT_CHR;
      case 0x4000 -> DirectoryEntry.DT_DIR;
      case 0x6000 -> DirectoryEntry.DT_BLK;
      case 0x8000 -> DirectoryEntry.DT_REG;
      case 0xA000 -> DirectoryEntry.DT_LNK;
      case 0xC000 -> DirectoryEntry.DT_SOCK;
      default -> DirectoryEntry.DT_UNKNOWN;
    };
  }
}
