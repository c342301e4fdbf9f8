package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes what a dump holds into a target directory: {@code -x} (the named files, or all) and {@code
 * -r} (the whole tree, applying an incremental on top of the last level restored there).
 *
 * <p>Directories come first on a dump: they are collected, and at the first other inode the plan is
 * made (which names to write; for {@code -r}, what the last level left that is now deleted, renamed
 * or replaced) and the directories are made. Files are then written as their data arrives, with
 * positional writes that leave holes where the dump has none; symbolic links are created, never
 * followed; hard links only ever point inside the target. Owners are restored when running as root,
 * modes and times always; directories get theirs last, deepest first.
 */
final class Restorer implements DumpScanner.Visitor {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final int S_IFMT = 0xF000;
  private static final int S_IFDIR = 0x4000;
  private static final int S_IFREG = 0x8000;
  private static final int S_IFLNK = 0xA000;
  private static final int S_IFIFO = 0x1000;
  private static final String STAGE = ".jrestore-stage";

  private final Path target;
  private final List<String> names;
  private final boolean rebuild;
  private final SymbolTable previous;
  private final List<String> problems;
  private final boolean root = Posix.isRoot();

  private InodeMap bits = InodeMap.empty();
  private InodeMap clri = InodeMap.empty();
  private DumpHeader tape;
  private final Map<Integer, List<DirectoryEntry>> tapeDirs = new LinkedHashMap<>();
  private final Map<Integer, DumpHeader> dirHeaders = new HashMap<>();
  private final Set<String> madeDirs = new HashSet<>();
  private Map<Integer, List<String>> wanted = Map.of();
  private DumpTree tree;
  private boolean planned;
  private final List<String> restoredNames = new ArrayList<>();

  // The inode being read.
  private byte[] dirData;
  private FileChannel out;
  private Path outPath;
  private byte[] linkData;
  private String failed;
  private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
  private long pendingAt = -1;

  /**
   * A restorer into {@code target}.
   *
   * @param names the names to extract ({@code -x a b}), relative to the dump's root; null for all
   * @param rebuild {@code -r}: restore the whole tree over {@code previous}, the symbol table the
   *     last level left (null for none)
   */
  Restorer(
      Path target,
      List<String> names,
      boolean rebuild,
      SymbolTable previous,
      List<String> problems) {
    this.target = target;
    this.names = names == null ? null : names.stream().map(Restorer::normal).toList();
    this.rebuild = rebuild;
    this.previous = previous;
    this.problems = problems;
  }

  private static String normal(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.equals(".") ? "" : n;
  }

  @Override
  public void maps(DumpHeader tape, InodeMap clri, InodeMap bits) {
    this.tape = tape;
    this.clri = clri;
    this.bits = bits;
  }

  @Override
  public boolean inode(DumpHeader h) throws IOException {
    if (!planned && h.isDirectory()) {
      dirData = new byte[(int) Math.min(Math.max(h.size(), 0), 1 << 26)];
      return true;
    }
    if (!planned) {
      plan();
    }
    List<String> paths = wanted.get(h.inumber());
    if (paths == null || h.isDirectory()) {
      return false;
    }
    failed = null;
    Path p = target.resolve(paths.get(0));
    try {
      prepare(paths.get(0));
      switch (h.mode() & S_IFMT) {
        case S_IFREG -> {
          out =
              FileChannel.open(
                  p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
          outPath = p;
          pendingAt = -1;
          pending.clear();
          return true;
        }
        case S_IFLNK -> {
          linkData = new byte[(int) Math.min(Math.max(h.size(), 0), 1 << 16)];
          return true;
        }
        case S_IFIFO -> Posix.mkfifo(p, h.mode());
        default -> {
          if (!root) {
            throw new IOException("not root: cannot make the device node or socket");
          }
          Posix.mknod(p, h.mode(), Integer.toUnsignedLong(h.rdev()));
        }
      }
    } catch (IOException e) {
      fail(paths.get(0), e);
    }
    return false;
  }

  @Override
  public void data(long offset, byte[] record, int length) throws IOException {
    if (dirData != null) {
      DumpScanner.Visitor.gather(dirData, offset, record, length);
    } else if (linkData != null) {
      DumpScanner.Visitor.gather(linkData, offset, record, length);
    } else if (out != null && failed == null) {
      try {
        if (pendingAt >= 0
            && (pendingAt + pending.position() != offset || pending.remaining() < length)) {
          flush();
        }
        if (pendingAt < 0) {
          pendingAt = offset;
        }
        pending.put(record, 0, length);
      } catch (IOException e) {
        failed = e.getMessage();
      }
    }
  }

  private void flush() throws IOException {
    pending.flip();
    long at = pendingAt;
    while (pending.hasRemaining()) {
      at += out.write(pending, at);
    }
    pending.clear();
    pendingAt = -1;
  }

  @Override
  public void end(DumpHeader h, String damage) throws IOException {
    if (dirData != null) {
      List<String> mine = new ArrayList<>();
      tapeDirs.put(h.inumber(), DirectoryEntry.decode(dirData, mine));
      dirHeaders.put(h.inumber(), h);
      for (String m : mine) {
        problems.add("directory inode " + h.inumber() + ": " + m);
      }
      dirData = null;
      return;
    }
    List<String> paths = wanted.get(h.inumber());
    if (paths == null || h.isDirectory()) {
      return;
    }
    Path p = target.resolve(paths.get(0));
    try {
      if (out != null) {
        try (FileChannel c = out) {
          if (failed == null) {
            flush();
          }
        } finally {
          out = null;
        }
        if (failed != null) {
          throw new IOException(failed);
        }
        if (Files.size(p) < h.size()) {
          Posix.truncate(p, h.size()); // a trailing hole
        }
      } else if (linkData != null) {
        byte[] text = linkData;
        linkData = null;
        int n = 0;
        while (n < text.length && text[n] != 0) {
          n++;
        }
        Files.createSymbolicLink(p, Path.of(new String(text, 0, n, StandardCharsets.UTF_8)));
      } else if (!Files.exists(p, NOFOLLOW)) {
        return; // the node could not be made: already reported
      }
      meta(p, h);
      restoredNames.add(paths.get(0));
      for (String other : paths.subList(1, paths.size())) {
        try {
          prepare(other);
          Files.createLink(target.resolve(other), p);
        } catch (IOException e) {
          fail(other, e);
        }
      }
    } catch (IOException e) {
      fail(paths.get(0), e);
    }
  }

  private void fail(String path, IOException e) {
    problems.add(DumpTree.display(path) + ": " + e.getMessage());
  }

  private void meta(Path p, DumpHeader h) throws IOException {
    boolean link = (h.mode() & S_IFMT) == S_IFLNK;
    if (root) {
      Posix.lchown(p, h.uid(), h.gid());
    }
    if (!link) {
      Posix.chmod(p, h.mode());
    }
    Posix.lutimes(p, Integer.toUnsignedLong(h.atime()), Integer.toUnsignedLong(h.mtime()));
  }

  /** Makes the parents of {@code rel} (real directories, never through a link) and clears it. */
  private void prepare(String rel) throws IOException {
    int slash = rel.lastIndexOf('/');
    if (slash > 0) {
      directory(rel.substring(0, slash));
    }
    Path p = target.resolve(rel);
    if (Files.isDirectory(p, NOFOLLOW)) {
      deleteTree(p);
    } else {
      Files.deleteIfExists(p);
    }
  }

  /** Makes sure {@code rel} is a real directory under the target, making what is missing. */
  private void directory(String rel) throws IOException {
    if (rel.isEmpty() || madeDirs.contains(rel)) {
      return;
    }
    int slash = rel.lastIndexOf('/');
    if (slash > 0) {
      directory(rel.substring(0, slash));
    }
    Path p = target.resolve(rel);
    if (!Files.isDirectory(p, NOFOLLOW)) {
      if (Files.exists(p, NOFOLLOW)) {
        Files.delete(p); // a file or link in the way of a directory of the dump
      }
      Files.createDirectory(p);
    }
    madeDirs.add(rel);
  }

  /** Decides what to write, once every directory on the dump is known, and makes directories. */
  private void plan() throws IOException {
    planned = true;
    Files.createDirectories(target);
    if (rebuild) {
      planRebuild();
    } else {
      planExtract();
    }
    problems.addAll(tree.problems());
  }

  private void planExtract() throws IOException {
    tree = new DumpTree(tapeDirs);
    Map<Integer, List<String>> w = new LinkedHashMap<>();
    Set<String> found = new HashSet<>();
    for (Map.Entry<Integer, List<String>> e : tree.paths().entrySet()) {
      for (String path : e.getValue()) {
        String sel = selected(path);
        if (sel == null) {
          continue;
        }
        found.add(sel);
        w.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(path);
      }
    }
    if (names != null) {
      for (String n : names) {
        if (!found.contains(n)) {
          problems.add(DumpTree.display(n) + ": not on the dump");
        }
      }
    }
    for (Map.Entry<Integer, List<String>> e : w.entrySet()) {
      if (tree.isDirectory(e.getKey())) {
        for (String path : e.getValue()) {
          directory(path);
        }
      } else if (!bits.contains(e.getKey())) {
        problems.add(DumpTree.display(e.getValue().get(0)) + ": not on this dump");
      }
    }
    wanted = w;
  }

  /** The name given that covers {@code path}, or null; "" when all is wanted. */
  private String selected(String path) {
    if (names == null) {
      return "";
    }
    for (String n : names) {
      if (n.isEmpty() || path.equals(n) || path.startsWith(n + "/")) {
        return n;
      }
    }
    return null;
  }

  /**
   * {@code -r}: the tree after this dump is its directories over those the last level left;
   * whatever the last level named and this tree does not is deleted, inodes not on this dump that
   * moved are renamed (through a staging directory, so swaps work), and the inodes on this dump are
   * written afresh.
   */
  private void planRebuild() throws IOException {
    Map<Integer, List<DirectoryEntry>> before =
        previous == null ? Map.of() : previous.directories();
    Map<Integer, List<DirectoryEntry>> merged = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<DirectoryEntry>> e : before.entrySet()) {
      // An inode number freed since, or reused for something else on this dump, is no longer
      // that directory.
      int ino = e.getKey();
      if (clri.contains(ino) && !(bits.contains(ino) && !tapeDirs.containsKey(ino))) {
        merged.put(ino, e.getValue());
      }
    }
    merged.putAll(tapeDirs);
    tree = new DumpTree(merged);
    Map<Integer, List<String>> now = tree.paths();
    Map<Integer, List<String>> old = new DumpTree(before).paths();
    Path stage = target.resolve(STAGE);
    if (!old.isEmpty()) {
      Files.createDirectories(stage);
    }
    List<Integer> stagedFiles = new ArrayList<>();
    // Files: staged when they moved, deleted when gone or rewritten.
    for (Map.Entry<Integer, List<String>> e : old.entrySet()) {
      int ino = e.getKey();
      if (before.containsKey(ino)) {
        continue;
      }
      List<String> later = now.get(ino);
      boolean keep = later != null && !bits.contains(ino) && !merged.containsKey(ino);
      List<String> was = e.getValue();
      try {
        if (keep && !later.equals(was)) {
          Files.move(target.resolve(was.get(0)), stage.resolve(Integer.toString(ino)));
          stagedFiles.add(ino);
          was = was.subList(1, was.size());
        } else if (keep) {
          continue;
        }
        for (String p : was) {
          Files.deleteIfExists(target.resolve(p));
        }
      } catch (IOException ex) {
        fail(was.isEmpty() ? "" : was.get(0), ex);
      }
    }
    // Directories, deepest first: moved ones staged whole, deleted ones removed.
    List<Map.Entry<Integer, List<String>>> oldDirs = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> e : old.entrySet()) {
      if (before.containsKey(e.getKey()) && e.getKey() != DumpTree.ROOT) {
        oldDirs.add(e);
      }
    }
    oldDirs.sort(Comparator.comparingInt(e -> -depth(e.getValue().get(0))));
    Set<Integer> stagedDirs = new HashSet<>();
    for (Map.Entry<Integer, List<String>> e : oldDirs) {
      List<String> later = now.get(e.getKey());
      Path was = target.resolve(e.getValue().get(0));
      try {
        if (later == null || !merged.containsKey(e.getKey())) {
          deleteTree(was);
        } else if (!later.get(0).equals(e.getValue().get(0))) {
          Files.move(was, stage.resolve("d" + e.getKey()));
          stagedDirs.add(e.getKey());
        }
      } catch (IOException ex) {
        fail(e.getValue().get(0), ex);
      }
    }
    // The directories of the new tree, parents first, then the staged files in their places.
    Map<Integer, List<String>> w = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<String>> e : now.entrySet()) {
      int ino = e.getKey();
      String path = e.getValue().get(0);
      try {
        if (tree.isDirectory(ino)) {
          if (stagedDirs.contains(ino)) {
            prepare(path);
            Files.move(stage.resolve("d" + ino), target.resolve(path));
          }
          directory(path);
        } else if (bits.contains(ino)) {
          w.put(ino, e.getValue());
        }
      } catch (IOException ex) {
        fail(path, ex);
      }
    }
    for (int ino : stagedFiles) {
      List<String> paths = now.get(ino);
      try {
        prepare(paths.get(0));
        Path first = target.resolve(paths.get(0));
        Files.move(stage.resolve(Integer.toString(ino)), first);
        for (String other : paths.subList(1, paths.size())) {
          prepare(other);
          Files.createLink(target.resolve(other), first);
        }
      } catch (IOException ex) {
        fail(paths.get(0), ex);
      }
    }
    if (Files.exists(stage)) {
      deleteTree(stage);
    }
    wanted = w;
  }

  private static int depth(String path) {
    int d = 0;
    for (int i = 0; i < path.length(); i++) {
      d += path.charAt(i) == '/' ? 1 : 0;
    }
    return d;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, NOFOLLOW)) {
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            try {
              Files.delete(d);
            } catch (DirectoryNotEmptyException x) {
              throw new IOException(d + ": cannot remove, not empty", x);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Ends the restore: makes the plan if the dump held only directories, gives the directories on
   * the dump their owner, mode and times (deepest first, after their contents), and for {@code -r}
   * writes the symbol table the next level needs.
   */
  void finish(DumpHeader tapeHeader) throws IOException {
    if (!planned) {
      if (tape == null) {
        tape = tapeHeader;
      }
      plan();
    }
    List<Map.Entry<Integer, List<String>>> dirs = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> e : tree.paths().entrySet()) {
      DumpHeader h = dirHeaders.get(e.getKey());
      if (h != null && madeDirs.contains(e.getValue().get(0)) || e.getKey() == DumpTree.ROOT) {
        dirs.add(e);
      }
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Map.Entry<Integer, List<String>> e = dirs.get(i);
      DumpHeader h = dirHeaders.get(e.getKey());
      if (h == null || (names != null && !rebuild && e.getKey() == DumpTree.ROOT)) {
        continue;
      }
      try {
        meta(target.resolve(e.getValue().get(0)), h);
      } catch (IOException ex) {
        fail(e.getValue().get(0), ex);
      }
    }
    if (rebuild) {
      Map<Integer, List<DirectoryEntry>> keep = new LinkedHashMap<>();
      for (int ino : tree.paths().keySet()) {
        if (tree.isDirectory(ino)) {
          keep.put(ino, tree.entries(ino));
        }
      }
      new SymbolTable(tapeHeader.date(), tapeHeader.level(), keep).write(target);
    }
  }

  /** Names written (first names of inodes), in order: for {@code -v}. */
  List<String> restored() {
    return restoredNames;
  }

  /** The name of inode {@code ino} for messages, if known. */
  String nameOf(int ino) {
    if (tree == null) {
      return null;
    }
    List<String> p = tree.paths().get(ino);
    return p == null ? null : DumpTree.display(p.get(0));
  }
}
