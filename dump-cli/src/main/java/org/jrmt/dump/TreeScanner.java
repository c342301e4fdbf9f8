package org.jrmt.dump;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Walks a directory tree on one file system and describes it as dump inodes: every inode once (hard
 * links share one), directories with their entries, in the order restore needs (directories, then
 * the rest, each by ascending inode number). The root is inode 2; every other inode keeps its file
 * system inode number when that fits, else gets one that {@link InodeNumbers} keeps stable from one
 * dump to the next. Mount points inside the tree are not crossed, and names restore cannot carry
 * are left out, each with a warning. Inodes excluded by number, and (when asked) those flagged
 * nodump, are left out silently with everything beneath them, as Linux dump does: no entry names
 * them and they are on neither map.
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

  /** Where the scanner learns about files: the file system, or a stand-in in tests. */
  public interface StatSource {
    /**
     * The {@code unix:} attributes of {@code file} that a dump needs (dev, ino, mode, nlink, uid,
     * gid, size, lastAccessTime, lastModifiedTime, ctime, rdev), links not followed.
     */
    Map<String, Object> stat(Path file) throws IOException;

    /** The inode flags (chattr) of {@code file}, whose {@code st_mode} is {@code mode}. */
    int flags(Path file, int mode);

    /** The real file system. */
    StatSource SYSTEM =
        new StatSource() {
          @Override
          public Map<String, Object> stat(Path file) throws IOException {
            // Named: unix:* also looks up the owner's and group's names, a passwd and group
            // lookup per file.
            return Files.readAttributes(
                file,
                "unix:dev,ino,mode,nlink,uid,gid,size,lastAccessTime,lastModifiedTime,ctime,rdev",
                NOFOLLOW);
          }

          @Override
          public int flags(Path file, int mode) {
            return InodeFlags.read(file, mode);
          }
        };
  }

  /**
   * What to leave out, and how to number.
   *
   * @param excluded file system inode numbers to leave out with their subtrees ({@code -e}/{@code
   *     -E})
   * @param skipNodump whether files flagged nodump are left out (the level is at least {@code -h})
   * @param numbers where numbers that do not fit are kept; null to keep them in memory only
   * @param stat how files are read
   */
  public record Options(
      Set<Long> excluded, boolean skipNodump, InodeNumbers numbers, StatSource stat) {
    /** Everything, numbers that do not fit kept for this scan only. */
    public static Options defaults() {
      return new Options(Set.of(), false, null, StatSource.SYSTEM);
    }
  }

  /** A directory entry before numbering: the file system inode it names. */
  private record RawEntry(long fsIno, int type, byte[] name) {}

  /** An inode before numbering. */
  private record Raw(Map<String, Object> attrs, Path path, long parent, List<RawEntry> entries) {}

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** Threads asking for attributes; most of their time is spent waiting for the device. */
  private static final int STAT_THREADS = 8;

  /** Files per request to a stat thread. */
  private static final int STAT_CHUNK = 8;

  private final Options options;
  private final Map<Long, Raw> raws = new LinkedHashMap<>();
  private ExecutorService statPool;
  private final List<String> warnings = new ArrayList<>();

  private TreeScanner(Options options) {
    this.options = options;
  }

  /** Scans the tree at {@code root}. */
  public static Scan scan(Path root) throws IOException {
    return scan(root, Options.defaults());
  }

  /** Scans the tree at {@code root} with these options. */
  public static Scan scan(Path root, Options options) throws IOException {
    return new TreeScanner(options).walk(root);
  }

  private Scan walk(Path root) throws IOException {
    try {
      return walkFrom(root);
    } finally {
      if (statPool != null) {
        statPool.shutdownNow();
      }
    }
  }

  /**
   * The attributes of {@code files}, in their order; null for a file that could not be asked (it
   * vanished since the directory was listed, or cannot be reached). A long list is asked for in
   * chunks on {@link #STAT_THREADS} threads: on a cold cache each stat waits for its inode to be
   * read, and many questions in flight let the device answer them together instead of one seek at a
   * time.
   */
  private List<Map<String, Object>> stats(List<Path> files) throws IOException {
    StatSource stat = options.stat();
    List<Map<String, Object>> out = new ArrayList<>(files.size());
    if (files.size() < 2 * STAT_CHUNK) {
      for (Path f : files) {
        out.add(statOrNull(stat, f));
      }
      return out;
    }
    if (statPool == null) {
      statPool = ReadAhead.daemonPool(STAT_THREADS, "jdump-stat");
    }
    List<Future<List<Map<String, Object>>>> chunks = new ArrayList<>();
    for (int from = STAT_CHUNK; from < files.size(); from += STAT_CHUNK) {
      List<Path> chunk = files.subList(from, Math.min(files.size(), from + STAT_CHUNK));
      chunks.add(
          statPool.submit(
              () -> {
                List<Map<String, Object>> got = new ArrayList<>(chunk.size());
                for (Path f : chunk) {
                  got.add(statOrNull(stat, f));
                }
                return got;
              }));
    }
    for (Path f : files.subList(0, STAT_CHUNK)) {
      out.add(statOrNull(stat, f));
    }
    try {
      for (Future<List<Map<String, Object>>> c : chunks) {
        out.addAll(c.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while scanning");
    } catch (ExecutionException e) {
      throw new IllegalStateException("stat failed", e.getCause()); // statOrNull does not throw
    } finally {
      chunks.forEach(c -> c.cancel(true));
    }
    return out;
  }

  private static Map<String, Object> statOrNull(StatSource stat, Path file) {
    try {
      return stat.stat(file);
    } catch (IOException e) {
      return null;
    }
  }

  private Scan walkFrom(Path root) throws IOException {
    StatSource stat = options.stat();
    Map<String, Object> rootAttrs = stat.stat(root);
    long dev = (Long) rootAttrs.get("dev");
    long rootIno = (Long) rootAttrs.get("ino");
    Deque<Long> pending = new ArrayDeque<>();
    raws.put(rootIno, new Raw(rootAttrs, root, rootIno, new ArrayList<>()));
    pending.push(rootIno);
    while (!pending.isEmpty()) {
      long self = pending.pop();
      Raw dir = raws.get(self);
      List<Path> kept = new ArrayList<>();
      List<byte[]> names = new ArrayList<>();
      for (Path child : children(dir.path(), warnings)) {
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
        kept.add(child);
        names.add(name);
      }
      List<Map<String, Object>> stats = stats(kept);
      for (int i = 0; i < kept.size(); i++) {
        Path child = kept.get(i);
        byte[] name = names.get(i);
        Map<String, Object> a = stats.get(i);
        if (a == null) {
          // Asked once more, on this thread, for the cause. A live file system: tar warns and
          // goes on, so does this; the next dump has the file.
          try {
            a = stat.stat(child);
          } catch (NoSuchFileException e) {
            warnings.add(child + ": vanished while being scanned; left out");
            continue;
          } catch (IOException e) {
            warnings.add(child + ": cannot be read (" + ReadAhead.cause(e) + "); left out");
            continue;
          }
        }
        if ((Long) a.get("dev") != dev) {
          warnings.add(child + ": another file system; not crossed");
          continue;
        }
        long ino = (Long) a.get("ino");
        int mode = (Integer) a.get("mode");
        if (ino == rootIno || leftOut(child, ino, mode)) {
          continue;
        }
        dir.entries().add(new RawEntry(ino, type(mode), name));
        if (!raws.containsKey(ino)) {
          boolean isDir = (mode & InodeMeta.S_IFMT) == InodeMeta.S_IFDIR;
          raws.put(ino, new Raw(a, child, self, isDir ? new ArrayList<>() : null));
          if (isDir) {
            pending.push(ino);
          }
        }
      }
    }
    Map<Long, Integer> numbers = number(root, dev, rootIno);
    List<Node> dirs = new ArrayList<>();
    List<Node> others = new ArrayList<>();
    for (Map.Entry<Long, Raw> e : raws.entrySet()) {
      Raw r = e.getValue();
      InodeMeta meta = meta(numbers.get(e.getKey()), r.attrs());
      if (r.entries() == null) {
        others.add(new Node(meta, r.path(), null));
        continue;
      }
      List<DirectoryEntry> entries = new ArrayList<>();
      entries.add(new DirectoryEntry(meta.ino(), DirectoryEntry.DT_DIR, new byte[] {'.'}));
      entries.add(
          new DirectoryEntry(
              numbers.get(r.parent()), DirectoryEntry.DT_DIR, new byte[] {'.', '.'}));
      for (RawEntry re : r.entries()) {
        entries.add(new DirectoryEntry(numbers.get(re.fsIno()), re.type(), re.name()));
      }
      byte[] converted = DirectoryEntry.encode(entries);
      dirs.add(new Node(meta.withSize(converted.length), r.path(), entries));
    }
    Comparator<Node> byIno = Comparator.comparingInt(n -> n.meta().ino());
    dirs.sort(byIno);
    others.sort(byIno);
    int maxino = numbers.values().stream().mapToInt(Integer::intValue).max().orElse(2) + 1;
    return new Scan(dirs, others, maxino, warnings);
  }

  /** Excluded by number, or flagged nodump while that is honoured. */
  private boolean leftOut(Path file, long ino, int mode) {
    return options.excluded().contains(ino)
        || options.skipNodump() && (options.stat().flags(file, mode) & InodeFlags.NODUMP) != 0;
  }

  /** Dump numbers for every file system inode seen: 2 for the root. */
  private Map<Long, Integer> number(Path root, long dev, long rootIno) throws IOException {
    List<Long> inos = new ArrayList<>(raws.keySet());
    inos.remove((Long) rootIno);
    InodeNumbers keeper = options.numbers() != null ? options.numbers() : InodeNumbers.inMemory();
    Map<Long, Integer> out = keeper.assign(root.toString(), dev, inos);
    out.put(rootIno, 2);
    return out;
  }

  /** The entries of {@code dir}; none, with a warning, when it cannot be listed. */
  private static List<Path> children(Path dir, List<String> warnings) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    } catch (NoSuchFileException e) {
      warnings.add(dir + ": vanished while being scanned; dumped empty");
      return out;
    } catch (IOException | DirectoryIteratorException e) {
      warnings.add(dir + ": cannot be listed (" + e.getMessage() + "); dumped empty");
      out.clear();
      return out;
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
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
