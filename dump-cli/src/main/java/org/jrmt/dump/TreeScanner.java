package org.jrmt.dump;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;
import org.jrmt.fs.Xattr;

/**
 * Walks a directory tree on one file system by handle ({@link Directory}: names as bytes, no link
 * followed) and describes it as dump inodes: every inode once (hard links share one), directories
 * with their entries, in the order restore needs (directories, then the rest, each by ascending
 * inode number). The root is inode 2; every other inode keeps its file system inode number when
 * that fits, else gets one that {@link InodeNumbers} keeps stable from one dump to the next. Mount
 * points inside the tree are not crossed. Inodes excluded by number, and (when asked) those flagged
 * nodump, are left out silently with everything beneath them, as Linux dump does: no entry names
 * them and they are on neither map.
 *
 * <p>Besides the status of each inode the scan reads what a header and an EA record carry for every
 * inode that has no file data: the inode flags and extended attributes of directories and empty
 * files, the attributes and link text of symbolic links, the attributes of devices, FIFOs and
 * sockets (by name, without opening them). Regular files with data have theirs read with the data
 * ({@link ReadAhead}), through the same open.
 *
 * <p>Whatever cannot be carried (a file that vanished or cannot be read, a name stock restore
 * cannot restore) is a warning; those also go in {@link Scan#notCarried}, which the final summary
 * names. What concerns one inode that is scanned but perhaps not dumped (a time the format cannot
 * hold, attributes that cannot be read) is in its {@link Node#problems}, for the writer.
 */
public final class TreeScanner {
  /**
   * Where the scan found an inode: the directory holding it and its name there; the root has
   * neither. Equal only to itself.
   */
  public static final class Place {
    private final Place parent;
    private final FileName name;
    private final String root;

    private Place(Place parent, FileName name, String root) {
      this.parent = parent;
      this.name = name;
      this.root = root;
    }

    static Place root(String shown) {
      return new Place(null, null, shown);
    }

    Place child(FileName n) {
      return new Place(this, n, root);
    }

    /** The directory holding it; null for the root. */
    public Place parent() {
      return parent;
    }

    /** Its name in {@link #parent}; null for the root. */
    public FileName name() {
      return name;
    }

    /** The path for messages: the root as given, then each name escaped. */
    public String shown() {
      if (parent == null) {
        return root;
      }
      Deque<FileName> names = new ArrayDeque<>();
      for (Place p = this; p.parent != null; p = p.parent) {
        names.push(p.name);
      }
      StringBuilder b = new StringBuilder(root);
      for (FileName n : names) {
        if (b.length() == 0 || b.charAt(b.length() - 1) != '/') {
          b.append('/');
        }
        b.append(n);
      }
      return b.toString();
    }

    @Override
    public String toString() {
      return shown();
    }
  }

  /**
   * One inode.
   *
   * @param meta what its headers carry
   * @param fsIno its number on the file system (the dump's may differ)
   * @param place where it was found (the first name, for hard links)
   * @param entries a directory's entries, else null
   * @param target a symbolic link's text, else null
   * @param xattrs its extended attributes; null for a regular file with data, whose attributes are
   *     read with its data
   * @param problems what the scan could not read or the format cannot hold of it, one line each
   *     naming it: reported when it is dumped
   */
  public record Node(
      InodeMeta meta,
      long fsIno,
      Place place,
      List<DirectoryEntry> entries,
      byte[] target,
      List<Xattr> xattrs,
      List<String> problems) {}

  /**
   * The scanned tree.
   *
   * @param root the directory scanned
   * @param rootStatus its status, to check that the tree read later is the one scanned
   * @param directories directory inodes, root first, ascending
   * @param others every other inode, ascending
   * @param maxino one more than the largest inode number
   * @param warnings what was left out or changed and why, one line each
   * @param notCarried the warnings that name a file not carried in full
   * @param stat how the tree was read, for the reads of file data to check they read the same
   */
  public record Scan(
      Path root,
      FileStatus rootStatus,
      List<Node> directories,
      List<Node> others,
      int maxino,
      List<String> warnings,
      List<String> notCarried,
      StatSource stat) {}

  /** Where the scanner learns about files: the file system, or a stand-in in tests. */
  public interface StatSource {
    /** The status of {@code name} in {@code dir}, a link not followed; empty if there is none. */
    Optional<FileStatus> status(Directory dir, FileName name) throws FsException;

    /** The status of the directory {@code dir} itself (the root of the scan). */
    default FileStatus status(Directory dir) throws FsException {
      return dir.status();
    }

    /** The status of the open file {@code file}: what the reader checks against the scan. */
    default FileStatus status(FileHandle file) throws FsException {
      return file.status();
    }

    /**
     * The inode flags (chattr) of {@code name} in {@code dir}, whose status is {@code status}:
     * asked only to honour nodump.
     */
    int flags(Directory dir, FileName name, FileStatus status);

    /** The real file system. */
    StatSource SYSTEM =
        new StatSource() {
          @Override
          public Optional<FileStatus> status(Directory dir, FileName name) throws FsException {
            return dir.status(name);
          }

          @Override
          public int flags(Directory dir, FileName name, FileStatus status) {
            return InodeFlags.read(dir, name, status);
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
  private record RawEntry(long fsIno, int type, FileName name) {}

  /** What the scan read besides the status: flags, attributes, link text, or what failed. */
  private record Extra(int flags, List<Xattr> xattrs, byte[] target, String problem) {
    static final Extra NONE = new Extra(0, List.of(), null, null);
  }

  /** One entry as stated: its status and extras, or null if it could not be stated. */
  private record Found(FileStatus status, Extra extra) {}

  /** An inode before numbering. */
  private static final class Raw {
    final FileStatus status;
    final Place place;
    final long parent;
    final List<RawEntry> entries;
    Extra extra = Extra.NONE;

    Raw(FileStatus status, Place place, long parent, List<RawEntry> entries) {
      this.status = status;
      this.place = place;
      this.parent = parent;
      this.entries = entries;
    }
  }

  /** A directory being walked: its handle and the subdirectories still to enter. */
  private record Frame(Directory dir, Iterator<Raw> subdirectories) {}

  /** Threads asking for attributes; most of their time is spent waiting for the device. */
  private static final int STAT_THREADS = 8;

  /** Files per request to a stat thread. */
  private static final int STAT_CHUNK = 8;

  /** The largest value of the format's unsigned 32-bit times: 2106-02-07T06:28:15Z. */
  static final long MAX_TIME = 0xFFFF_FFFFL;

  private final Options options;
  private final Map<Long, Raw> raws = new LinkedHashMap<>();
  private ExecutorService statPool;
  private final List<String> warnings = new ArrayList<>();
  private final List<String> notCarried = new ArrayList<>();
  private long dev;
  private long rootIno;

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

  /** A warning about a file not carried in full. */
  private void lost(String line) {
    warnings.add(line);
    notCarried.add(line);
  }

  private Scan walkFrom(Path root) throws IOException {
    Deque<Frame> stack = new ArrayDeque<>();
    try {
      Directory top = Directory.open(root);
      FileStatus rootStatus;
      try {
        rootStatus = options.stat().status(top);
      } catch (FsException e) {
        top.close();
        throw e;
      }
      dev = rootStatus.dev();
      rootIno = rootStatus.ino();
      Raw rootRaw = new Raw(rootStatus, Place.root(root.toString()), rootIno, new ArrayList<>());
      raws.put(rootIno, rootRaw);
      stack.push(new Frame(top, list(top, rootRaw).iterator()));
      while (!stack.isEmpty()) {
        Frame f = stack.peek();
        if (!f.subdirectories().hasNext()) {
          stack.pop().dir().close();
          continue;
        }
        Raw sub = f.subdirectories().next();
        Directory d;
        try {
          d = f.dir().directory(sub.place.name());
        } catch (FsException e) {
          lost(
              sub.place
                  + (e.notFound()
                      ? ": vanished while being scanned"
                      : ": cannot be listed (" + e.cause() + ")")
                  + "; dumped empty");
          continue;
        }
        stack.push(new Frame(d, list(d, sub).iterator()));
      }
      return result(root, rootStatus);
    } finally {
      for (Frame f : stack) {
        f.dir().close();
      }
    }
  }

  /**
   * Lists the directory {@code self} open as {@code dir}: reads its own flags and attributes,
   * states its entries and records them.
   *
   * @return the subdirectories seen for the first time, to enter in turn
   */
  private List<Raw> list(Directory dir, Raw self) throws IOException {
    int flags = 0;
    List<Xattr> xattrs = List.of();
    String problem = null;
    try {
      flags = dir.inodeFlags();
      xattrs = dir.xattrs();
    } catch (FsException e) {
      problem = "attributes could not be read (" + e.cause() + ")";
    }
    self.extra = new Extra(flags, xattrs, null, problem);
    List<Directory.Entry> listed;
    try {
      listed = dir.list();
    } catch (FsException e) {
      lost(self.place + ": cannot be listed (" + e.cause() + "); dumped empty");
      return List.of();
    }
    List<FileName> names = new ArrayList<>(listed.size());
    for (Directory.Entry e : listed) {
      if (e.name().length() > DirectoryEntry.MAX_NAME) {
        lost(
            self.place.child(e.name())
                + ": a name of "
                + e.name().length()
                + " bytes cannot be restored by stock restore; left out");
        continue;
      }
      names.add(e.name());
    }
    names.sort(Comparator.naturalOrder());
    List<Found> stats = stats(dir, names);
    List<Raw> subdirectories = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      FileName name = names.get(i);
      Place place = self.place.child(name);
      Found found = stats.get(i);
      if (found == null) {
        // Asked once more, on this thread, for the cause. A live file system: tar warns and
        // goes on, so does this; the next dump has the file.
        try {
          Optional<FileStatus> again = options.stat().status(dir, name);
          if (again.isEmpty()) {
            lost(place + ": vanished while being scanned; left out");
            continue;
          }
          found = new Found(again.get(), extra(dir, name, again.get()));
        } catch (FsException e) {
          lost(place + ": cannot be read (" + e.cause() + "); left out");
          continue;
        }
      }
      FileStatus st = found.status();
      if (st.dev() != dev) {
        warnings.add(place + ": another file system; not crossed");
        continue;
      }
      long ino = st.ino();
      if (ino == rootIno || leftOut(dir, name, st)) {
        continue;
      }
      self.entries.add(new RawEntry(ino, type(st.mode()), name));
      if (!raws.containsKey(ino)) {
        Raw r = new Raw(st, place, self.status.ino(), st.isDirectory() ? new ArrayList<>() : null);
        r.extra = found.extra();
        raws.put(ino, r);
        if (st.isDirectory()) {
          subdirectories.add(r);
        }
      }
    }
    return subdirectories;
  }

  /**
   * The status and extras of each of {@code names} in {@code dir}, in their order; null for one
   * that could not be stated (it vanished since the directory was listed, or cannot be reached). A
   * long list is asked for in chunks on {@link #STAT_THREADS} threads: on a cold cache each stat
   * waits for its inode to be read, and many questions in flight let the device answer them
   * together instead of one seek at a time.
   */
  private List<Found> stats(Directory dir, List<FileName> names) throws IOException {
    List<Found> out = new ArrayList<>(names.size());
    if (names.size() < 2 * STAT_CHUNK) {
      for (FileName n : names) {
        out.add(found(dir, n));
      }
      return out;
    }
    if (statPool == null) {
      statPool = ReadAhead.daemonPool(STAT_THREADS, "jdump-stat");
    }
    List<Future<List<Found>>> chunks = new ArrayList<>();
    for (int from = STAT_CHUNK; from < names.size(); from += STAT_CHUNK) {
      List<FileName> chunk = names.subList(from, Math.min(names.size(), from + STAT_CHUNK));
      chunks.add(
          statPool.submit(
              () -> {
                List<Found> got = new ArrayList<>(chunk.size());
                for (FileName n : chunk) {
                  got.add(found(dir, n));
                }
                return got;
              }));
    }
    try {
      for (FileName n : names.subList(0, STAT_CHUNK)) {
        out.add(found(dir, n));
      }
      for (Future<List<Found>> c : chunks) {
        out.addAll(c.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while scanning");
    } catch (ExecutionException e) {
      throw new IllegalStateException("stat failed", e.getCause()); // found does not throw
    } finally {
      // The directory's handle is closed after this: no thread may still be using it.
      for (Future<List<Found>> c : chunks) {
        try {
          c.get();
        } catch (InterruptedException | ExecutionException | RuntimeException e) {
          // reported above, or the scan is ending anyway
        }
      }
    }
    return out;
  }

  private Found found(Directory dir, FileName name) {
    try {
      Optional<FileStatus> st = options.stat().status(dir, name);
      return st.isEmpty() ? null : new Found(st.get(), extra(dir, name, st.get()));
    } catch (FsException e) {
      return null;
    }
  }

  /**
   * The flags, attributes and link text of an inode without file data; nothing for directories
   * (read when they are listed) and regular files with data (read with the data).
   */
  private static Extra extra(Directory dir, FileName name, FileStatus st) {
    if (st.isDirectory() || st.isRegularFile() && st.size() > 0) {
      return Extra.NONE;
    }
    try {
      if (st.isRegularFile()) {
        try (FileHandle f = dir.open(name, Directory.Access.READ, Directory.Create.NO, false, 0)) {
          return new Extra(f.inodeFlags(), f.xattrs(), null, null);
        } catch (FsException e) {
          if (e.notFound()) {
            throw e;
          }
          // Not readable (mode 000 without root): its attributes may still be.
        }
      }
      byte[] target = st.isSymbolicLink() ? dir.readLink(name) : null;
      return new Extra(0, dir.xattrs(name), target, null);
    } catch (FsException e) {
      return new Extra(0, List.of(), null, "attributes could not be read (" + e.cause() + ")");
    }
  }

  /** Excluded by number, or flagged nodump while that is honoured. */
  private boolean leftOut(Directory dir, FileName name, FileStatus st) {
    return options.excluded().contains(st.ino())
        || options.skipNodump() && (options.stat().flags(dir, name, st) & InodeFlags.NODUMP) != 0;
  }

  private Scan result(Path root, FileStatus rootStatus) throws IOException {
    Map<Long, Integer> numbers = number(root);
    List<Node> dirs = new ArrayList<>();
    List<Node> others = new ArrayList<>();
    for (Map.Entry<Long, Raw> e : raws.entrySet()) {
      Raw r = e.getValue();
      List<String> problems = new ArrayList<>(0);
      InodeMeta meta = meta(numbers.get(e.getKey()), r, problems);
      if (r.extra.problem() != null) {
        problems.add(r.place + ": " + r.extra.problem());
      }
      if (r.entries == null) {
        boolean withData = r.status.isRegularFile() && r.status.size() > 0;
        others.add(
            new Node(
                meta,
                e.getKey(),
                r.place,
                null,
                r.extra.target(),
                withData ? null : r.extra.xattrs(),
                List.copyOf(problems)));
        continue;
      }
      List<DirectoryEntry> entries = new ArrayList<>();
      entries.add(new DirectoryEntry(meta.ino(), DirectoryEntry.DT_DIR, new byte[] {'.'}));
      entries.add(
          new DirectoryEntry(numbers.get(r.parent), DirectoryEntry.DT_DIR, new byte[] {'.', '.'}));
      for (RawEntry re : r.entries) {
        entries.add(new DirectoryEntry(numbers.get(re.fsIno()), re.type(), re.name().bytes()));
      }
      int size = DirectoryEntry.encode(entries).length;
      dirs.add(
          new Node(
              meta.withSize(size),
              e.getKey(),
              r.place,
              entries,
              null,
              r.extra.xattrs(),
              List.copyOf(problems)));
    }
    Comparator<Node> byIno = Comparator.comparingInt(n -> n.meta().ino());
    dirs.sort(byIno);
    others.sort(byIno);
    int maxino = numbers.values().stream().mapToInt(Integer::intValue).max().orElse(2) + 1;
    return new Scan(
        root,
        rootStatus,
        List.copyOf(dirs),
        List.copyOf(others),
        maxino,
        List.copyOf(warnings),
        List.copyOf(notCarried),
        options.stat());
  }

  /** Dump numbers for every file system inode seen: 2 for the root. */
  private Map<Long, Integer> number(Path root) throws IOException {
    List<Long> inos = new ArrayList<>(raws.keySet());
    inos.remove((Long) rootIno);
    InodeNumbers keeper = options.numbers() != null ? options.numbers() : InodeNumbers.inMemory();
    Map<Long, Integer> out = keeper.assign(root.toString(), dev, inos);
    out.put(rootIno, 2);
    return out;
  }

  private static InodeMeta meta(int ino, Raw r, List<String> problems) {
    FileStatus s = r.status;
    long rdev = s.rdev();
    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    boolean flagged = s.isRegularFile() || s.isDirectory();
    return new InodeMeta(
        ino,
        s.mode(),
        s.nlink(),
        s.uid(),
        s.gid(),
        s.size(),
        time(r, "access", s.atimeSeconds(), problems),
        time(r, "modification", s.mtimeSeconds(), problems),
        time(r, "change", s.ctimeSeconds(), null),
        (int) ((major << 8) | (minor & 0xff)),
        flagged ? r.extra.flags() : 0);
  }

  /**
   * A time as the format's unsigned 32-bit seconds: one outside 1970–2106 is recorded as the
   * nearest it can hold, with a line in {@code problems} when restore would set it (access and
   * modification; null for the change time, which is never restored).
   */
  private static int time(Raw r, String which, long seconds, List<String> problems) {
    if (seconds >= 0 && seconds <= MAX_TIME) {
      return (int) seconds;
    }
    long kept = seconds < 0 ? 0 : MAX_TIME;
    if (problems != null) {
      problems.add(
          r.place
              + ": its "
              + which
              + " time "
              + Instant.ofEpochSecond(seconds)
              + " is outside what the dump format holds (1970 to 2106); recorded as "
              + Instant.ofEpochSecond(kept));
    }
    return (int) kept;
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
