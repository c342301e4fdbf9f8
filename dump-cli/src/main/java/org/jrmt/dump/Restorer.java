package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrmt.dump.DumpTree.Node;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FsException;

/**
 * Writes what a dump holds into a target directory: {@code -x} (the named files, or all) and {@code
 * -r} (the whole tree, applying an incremental on top of the last level restored there).
 *
 * <p>Directories come first on a dump: they are collected, and at the first other inode the plan is
 * made (which names to write; for {@code -r}, what the last level left that is now deleted, renamed
 * or replaced) and the directories are made. Files are then written as their data arrives, with
 * positional writes that leave holes where the dump has none.
 *
 * <p>Every file-system operation is made by name relative to an open handle of the parent directory
 * ({@link TargetDirs}, the {@code org.jrmt.fs} layer): no symbolic link is followed in any
 * component, so nothing outside the target is ever created, changed or removed, whatever the dump
 * says or the target held. A name in the way of the dump's (a link, a file where a directory goes,
 * a directory where a file goes) is removed inside the target, never entered; a file is always
 * created anew ({@code O_EXCL}), never opened for writing where it was, so a hard link planted in
 * the target to a file elsewhere is unlinked, not written through; hard links are only ever made
 * between two names inside the target. Files are created {@code 0600} and directories {@code 0700}
 * while being filled; then, on the open file (or the name itself, for links and nodes), the owner
 * when running as root, then the mode (after the owner: {@code chown} clears set-id bits), then the
 * times. Directories get theirs last, deepest first.
 */
final class Restorer implements DumpScanner.Visitor {
  private static final int S_IFMT = 0xF000;
  private static final int S_IFREG = 0x8000;
  private static final int S_IFLNK = 0xA000;
  private static final int S_IFIFO = 0x1000;
  private static final int WORKING_FILE_MODE = 0600;
  private static final int WORKING_DIR_MODE = 0700;
  private static final String STAGE = ".jrestore-stage";
  private static final int OPEN_DIRECTORIES = 64;

  private final Directory target;
  private final List<List<FileName>> names;
  private final List<String> given;
  private final boolean rebuild;
  private final SymbolTable previous;
  private final Problems problems;
  private final boolean asRoot = Posix.isRoot();
  private final DirectoryCollector collected;

  private InodeMap bits = InodeMap.empty();
  private InodeMap clri = InodeMap.empty();
  private DumpTree tree;
  private TargetDirs dirs;
  private boolean planned;
  private Map<Integer, List<Node>> wanted = Map.of();
  private final Set<Node> made = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<Node> restoredNames = new ArrayList<>();

  // The inode being read.
  private boolean collecting;
  private List<Node> current;
  private FileHandle out;
  private LinkText link;
  private String failed;
  private final ByteBuffer pending = ByteBuffer.allocateDirect(1 << 20);
  private long pendingAt = -1;

  /**
   * A restorer into the open directory {@code target}.
   *
   * @param names the names to extract ({@code -x a b}), relative to the dump's root; null for all
   * @param rebuild {@code -r}: restore the whole tree over {@code previous}, the symbol table the
   *     last level left (null for none)
   */
  Restorer(
      Directory target,
      List<String> names,
      boolean rebuild,
      SymbolTable previous,
      Problems problems) {
    this.target = target;
    this.given = names == null ? null : names.stream().map(Restorer::normal).toList();
    this.names = given == null ? null : given.stream().map(Restorer::components).toList();
    this.rebuild = rebuild;
    this.previous = previous;
    this.problems = problems;
    this.collected = new DirectoryCollector(problems);
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

  /** The components of a name given on the command line (empty ones and {@code .} dropped). */
  private static List<FileName> components(String name) {
    List<FileName> l = new ArrayList<>();
    for (String c : name.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        byte[] b = c.getBytes(StandardCharsets.UTF_8);
        // ".." matches no name of the tree: FileName refuses it, and so does the tree.
        l.add(FileName.isComponent(b) ? FileName.of(b) : null);
      }
    }
    return l;
  }

  @Override
  public void maps(DumpHeader tape, InodeMap clri, InodeMap bits) {
    this.clri = clri;
    this.bits = bits;
  }

  @Override
  public boolean inode(DumpHeader h) throws IOException {
    if (!planned && h.isDirectory()) {
      collected.start(h);
      collecting = true;
      return true;
    }
    if (!planned) {
      plan();
    }
    int ino = h.inumber();
    if (tree.isDirectory(ino) || h.isDirectory()) {
      List<Node> n = tree.names().get(ino);
      if (n != null && !h.isDirectory()) {
        problems.add(
            n.get(0).display()
                + " (inode "
                + Integer.toUnsignedString(ino)
                + "): a directory on the dump, then a "
                + kind(h.mode())
                + ": not restored as that");
      }
      return false;
    }
    List<Node> nodes = wanted.get(ino);
    if (nodes == null) {
      return false;
    }
    Node first = nodes.get(0);
    failed = null;
    try {
      Directory parent = dirs.get(first.parent);
      parent.removeTree(first.name);
      switch (h.mode() & S_IFMT) {
        case S_IFREG -> {
          out =
              parent.open(
                  first.name,
                  Directory.Access.WRITE,
                  Directory.Create.NEW,
                  false,
                  WORKING_FILE_MODE);
          pendingAt = -1;
          pending.clear();
        }
        case S_IFLNK -> link = new LinkText();
        case S_IFIFO -> parent.mknod(first.name, S_IFIFO | WORKING_FILE_MODE, 0);
        default -> {
          if (!asRoot) {
            throw new IOException("not root: cannot make the device node or socket");
          }
          // The dump's (major << 8) | minor word is what mknod takes for small numbers, as
          // restore passes it.
          int type = h.mode() & S_IFMT;
          parent.mknod(first.name, type | WORKING_FILE_MODE, Integer.toUnsignedLong(h.rdev()));
        }
      }
      current = nodes;
      return out != null || link != null;
    } catch (IOException e) {
      fail(first, e);
      return false;
    }
  }

  private static String kind(int mode) {
    return switch (mode & S_IFMT) {
      case S_IFREG -> "regular file";
      case S_IFLNK -> "symbolic link";
      case S_IFIFO -> "FIFO";
      case 0x2000 -> "character device";
      case 0x6000 -> "block device";
      case 0xC000 -> "socket";
      default -> "file of type " + Integer.toOctalString(mode & S_IFMT);
    };
  }

  @Override
  public void data(long offset, byte[] record, int length) {
    if (collecting) {
      collected.data(offset, record, length);
    } else if (link != null) {
      link.add(offset, record, length);
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
      } catch (FsException e) {
        failed = e.getMessage();
      }
    }
  }

  private void flush() throws FsException {
    pending.flip();
    out.write(pending, pendingAt);
    pending.clear();
    pendingAt = -1;
  }

  @Override
  public void end(DumpHeader h, String damage) throws IOException {
    if (collecting) {
      collected.end(damage);
      collecting = false;
      return;
    }
    List<Node> nodes = current;
    current = null;
    if (nodes == null) {
      return;
    }
    Node first = nodes.get(0);
    try {
      if (out != null) {
        try (FileHandle f = out) {
          if (failed == null) {
            flush();
          }
          if (failed != null) {
            throw new IOException(failed);
          }
          if (f.status().size() < h.size()) {
            f.truncate(h.size()); // a trailing hole
          }
          if (asRoot) {
            f.chown(h.uid(), h.gid());
          }
          f.chmod(h.mode());
          f.setTimes(Integer.toUnsignedLong(h.atime()), 0, Integer.toUnsignedLong(h.mtime()), 0);
        }
      } else {
        Directory parent = dirs.get(first.parent);
        boolean symlink = link != null;
        if (symlink) {
          byte[] text = link.text();
          link = null;
          parent.symlink(text, first.name);
        }
        if (asRoot) {
          parent.chown(first.name, h.uid(), h.gid());
        }
        if (!symlink) {
          parent.chmod(first.name, h.mode());
        }
        parent.setTimes(
            first.name, Integer.toUnsignedLong(h.atime()), 0, Integer.toUnsignedLong(h.mtime()), 0);
      }
      restoredNames.add(first);
      linkOthers(nodes);
    } catch (IOException e) {
      fail(first, e);
    } finally {
      out = null;
      link = null;
    }
  }

  /** Gives the inode restored as the first of {@code nodes} its other names, each on its own. */
  private void linkOthers(List<Node> nodes) {
    Node first = nodes.get(0);
    for (Node other : nodes.subList(1, nodes.size())) {
      try {
        hardLink(first, other);
      } catch (IOException e) {
        fail(other, e);
      }
    }
  }

  /**
   * Makes {@code other} a second name of the inode restored as {@code first}, both in the target.
   */
  private void hardLink(Node first, Node other) throws IOException {
    try (Directory from = dirs.get(first.parent).duplicate()) {
      Directory to = dirs.get(other.parent);
      to.removeTree(other.name);
      to.link(from, first.name, other.name);
    }
  }

  private void fail(Node n, IOException e) {
    problems.add(n.display() + ": " + e.getMessage());
  }

  /** Decides what to write, once every directory on the dump is known, and makes directories. */
  private void plan() throws IOException {
    planned = true;
    dirs = new TargetDirs(target, OPEN_DIRECTORIES);
    if (rebuild) {
      planRebuild();
    } else {
      planExtract();
    }
    problems.addAll(tree.problems());
  }

  private void planExtract() throws IOException {
    tree = new DumpTree(collected.directories());
    Set<Node> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (names != null) {
      boolean[] found = new boolean[names.size()];
      for (Node n : tree.nodes()) {
        for (int i = 0; i < names.size(); i++) {
          if (n.is(names.get(i))) {
            found[i] = true;
            chosen.add(n);
            makeParents(n);
          }
        }
      }
      for (int i = 0; i < found.length; i++) {
        if (!found[i]) {
          problems.add(
              (given.get(i).isEmpty() ? "." : "./" + FileName.escape(utf8(given.get(i))))
                  + ": not on the dump");
        }
      }
    }
    Map<Integer, List<Node>> w = new LinkedHashMap<>();
    for (Node n : tree.nodes()) {
      if (names != null && !chosen.contains(n)) {
        if (n.isRoot() || !chosen.contains(n.parent)) {
          continue;
        }
        chosen.add(n);
      }
      if (n.isRoot()) {
        continue;
      }
      if (tree.isDirectory(n.ino)) {
        makeDirectory(n);
      } else if (bits.contains(n.ino)) {
        w.computeIfAbsent(n.ino, k -> new ArrayList<>()).add(n);
      } else {
        problems.add(() -> n.display() + ": not on this dump");
      }
    }
    wanted = w;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Makes the directories above {@code n} ({@code -x} of a name deep down), outermost first. */
  private void makeParents(Node n) {
    List<Node> up = new ArrayList<>();
    for (Node p = n.parent; p != null && !p.isRoot() && !made.contains(p); p = p.parent) {
      up.add(p);
    }
    for (int i = up.size() - 1; i >= 0; i--) {
      makeDirectory(up.get(i));
    }
  }

  private void makeDirectory(Node n) {
    if (made.contains(n)) {
      return;
    }
    try {
      dirs.make(n, WORKING_DIR_MODE);
      made.add(n);
    } catch (IOException e) {
      fail(n, e);
    }
  }

  /**
   * {@code -r}: the tree after this dump is its directories over those the last level left;
   * whatever the last level named and this tree does not is deleted, inodes not on this dump that
   * moved are renamed (through a staging directory, so swaps work), and the inodes on this dump are
   * written afresh. Every name of the last level is resolved below the target by handles, as those
   * of this dump are: a directory swapped for a link since is neither emptied nor moved from.
   */
  private void planRebuild() throws IOException {
    Map<Integer, List<DirectoryEntry>> tapeDirs = collected.directories();
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
    DumpTree old = new DumpTree(before);
    Map<Integer, List<Node>> now = tree.names();
    List<Integer> stagedFiles = new ArrayList<>();
    Set<Integer> stagedDirs = new HashSet<>();
    FileName stageName = null;
    Directory stage = null;
    try {
      if (old.names().size() > 1) {
        stageName = stageName(old, tree);
        target.createDirectory(stageName, WORKING_DIR_MODE);
        stage = target.directory(stageName);
      }
      try (TargetDirs was = new TargetDirs(target, OPEN_DIRECTORIES)) {
        // Files: staged when they moved, deleted when gone or rewritten.
        for (Map.Entry<Integer, List<Node>> e : old.names().entrySet()) {
          int ino = e.getKey();
          if (before.containsKey(ino)) {
            continue;
          }
          List<Node> later = now.get(ino);
          boolean keep = later != null && !bits.contains(ino) && !merged.containsKey(ino);
          List<Node> names = e.getValue();
          if (keep && samePaths(later, names)) {
            continue;
          }
          for (int i = 0; i < names.size(); i++) {
            Node n = names.get(i);
            try {
              Directory parent = was.get(n.parent);
              if (keep && i == 0) {
                parent.rename(n.name, stage, stagedName(ino), false);
                stagedFiles.add(ino);
              } else if (parent.status(n.name).isPresent()) {
                parent.unlink(n.name);
              }
            } catch (IOException ex) {
              fail(n, ex);
            }
          }
        }
        // Directories, deepest first: moved ones staged whole, deleted ones removed.
        List<Node> oldDirs = new ArrayList<>();
        for (Node n : old.nodes()) {
          if (!n.isRoot() && before.containsKey(n.ino)) {
            oldDirs.add(n);
          }
        }
        oldDirs.sort(Comparator.comparingInt(n -> -n.depth));
        for (Node d : oldDirs) {
          List<Node> later = now.get(d.ino);
          try {
            Directory parent = was.get(d.parent);
            if (later == null || !merged.containsKey(d.ino)) {
              parent.removeTree(d.name);
            } else if (!later.get(0).samePath(d)) {
              parent.rename(
                  d.name, stage, FileName.of("d" + Integer.toUnsignedString(d.ino)), false);
              stagedDirs.add(d.ino);
            }
          } catch (IOException ex) {
            fail(d, ex);
          }
        }
      }
      // The directories of the new tree, parents first, then the staged files in their places.
      Map<Integer, List<Node>> w = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<Node>> e : now.entrySet()) {
        int ino = e.getKey();
        Node first = e.getValue().get(0);
        if (first.isRoot()) {
          continue;
        }
        if (!tree.isDirectory(ino)) {
          if (bits.contains(ino)) {
            w.put(ino, e.getValue());
          }
          continue;
        }
        if (stagedDirs.contains(ino)) {
          try {
            Directory parent = dirs.get(first.parent);
            parent.removeTree(first.name);
            stage.rename(
                FileName.of("d" + Integer.toUnsignedString(ino)), parent, first.name, false);
          } catch (IOException ex) {
            fail(first, ex);
          }
        }
        makeDirectory(first);
      }
      for (int ino : stagedFiles) {
        List<Node> nodes = now.get(ino);
        Node first = nodes.get(0);
        try {
          Directory parent = dirs.get(first.parent);
          parent.removeTree(first.name);
          stage.rename(stagedName(ino), parent, first.name, false);
          linkOthers(nodes);
        } catch (IOException ex) {
          fail(first, ex);
        }
      }
      wanted = w;
    } finally {
      if (stage != null) {
        stage.close();
        target.removeTree(stageName);
      }
    }
  }

  private static FileName stagedName(int ino) {
    return FileName.of(Integer.toUnsignedString(ino));
  }

  private static boolean samePaths(List<Node> a, List<Node> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).samePath(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A name for the staging directory that is in neither tree's root and not in the target now, so
   * that staging never enters or removes anything it did not make.
   */
  private FileName stageName(DumpTree old, DumpTree now) throws FsException {
    Set<FileName> taken = new HashSet<>();
    for (DumpTree t : List.of(old, now)) {
      for (DirectoryEntry e : t.entries(DumpTree.ROOT)) {
        if (FileName.isComponent(e.name())) {
          taken.add(FileName.of(e.name()));
        }
      }
    }
    for (int i = 0; ; i++) {
      FileName n = FileName.of(i == 0 ? STAGE : STAGE + "." + i);
      if (!taken.contains(n) && target.status(n).isEmpty()) {
        return n;
      }
    }
  }

  /**
   * Ends the restore: makes the plan if the dump held only directories, gives the directories on
   * the dump their owner, mode and times (deepest first, after their contents), and for {@code -r}
   * writes the symbol table the next level needs.
   */
  void finish(DumpHeader tapeHeader) throws IOException {
    if (!planned) {
      plan();
    }
    try {
      List<Node> order = tree.nodes();
      for (int i = order.size() - 1; i >= 0; i--) {
        Node n = order.get(i);
        DumpHeader h = collected.header(n.ino);
        boolean mine = n.isRoot() ? names == null || rebuild : made.contains(n);
        if (h == null || !mine || !tree.isDirectory(n.ino)) {
          continue;
        }
        try {
          Directory d = dirs.get(n);
          if (asRoot) {
            d.chown(h.uid(), h.gid());
          }
          d.chmod(h.mode());
          d.setTimes(Integer.toUnsignedLong(h.atime()), 0, Integer.toUnsignedLong(h.mtime()), 0);
        } catch (IOException ex) {
          fail(n, ex);
        }
      }
      if (rebuild) {
        Map<Integer, List<DirectoryEntry>> keep = new LinkedHashMap<>();
        for (int ino : tree.names().keySet()) {
          if (tree.isDirectory(ino)) {
            keep.put(ino, tree.entries(ino));
          }
        }
        new SymbolTable(tapeHeader.date(), tapeHeader.level(), keep).write(target);
      }
    } finally {
      dirs.close();
    }
  }

  /** Names written (first names of inodes), in order: for {@code -v}. */
  List<Node> restored() {
    return restoredNames;
  }

  /** The name of inode {@code ino} for messages, if known. */
  String nameOf(int ino) {
    return tree == null ? null : tree.nameOf(ino);
  }
}
