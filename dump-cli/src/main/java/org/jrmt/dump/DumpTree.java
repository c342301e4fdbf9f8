package org.jrmt.dump;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrmt.fs.FileName;

/**
 * The name tree of a dump: each directory's entries, walked from the root (inode 2) into {@link
 * Node}s, each one name as bytes below its parent. What could not be restored safely is refused and
 * reported: a name that is not one path component ({@code /} or NUL inside; {@code .} and {@code
 * ..} entries are skipped), a name listed twice in one directory (the first entry wins, so one name
 * never stands for two inodes), a directory reached twice (a loop or a second link: walked once),
 * and a directory deeper than {@value #MAX_DEPTH} levels. The walk is iterative, and each node
 * costs a few dozen bytes whatever its depth.
 */
final class DumpTree {
  /** Inode number of the root directory. */
  static final int ROOT = 2;

  /**
   * The deepest directory walked: {@code PATH_MAX} (4096) allows at most 2048 levels of one-byte
   * names, so no honest tree is deeper, and reopening a directory by walking from the root by
   * handles stays bounded.
   */
  static final int MAX_DEPTH = 2048;

  /** Characters of a name shown in a message before it is shortened in the middle. */
  static final int SHOWN = 400;

  /** One name of the tree: the root, or an entry of a directory. Compared by identity. */
  static final class Node {
    final Node parent;
    final FileName name;
    final int ino;
    final int depth;

    private Node(Node parent, FileName name, int ino) {
      this.parent = parent;
      this.name = name;
      this.ino = ino;
      this.depth = parent == null ? 0 : parent.depth + 1;
    }

    /** True for the root (the target directory itself). */
    boolean isRoot() {
      return parent == null;
    }

    /** True when {@code o} is the same sequence of names from the root (in another tree, say). */
    boolean samePath(Node o) {
      Node a = this;
      Node b = o;
      if (a.depth != b.depth) {
        return false;
      }
      while (a.parent != null) {
        if (!a.name.equals(b.name)) {
          return false;
        }
        a = a.parent;
        b = b.parent;
      }
      return true;
    }

    /** True when this node's names from the root are {@code names}. */
    boolean is(List<FileName> names) {
      if (depth != names.size()) {
        return false;
      }
      Node n = this;
      for (int i = names.size() - 1; i >= 0; i--, n = n.parent) {
        if (!n.name.equals(names.get(i))) {
          return false;
        }
      }
      return true;
    }

    /** {@code ./a/b} for messages, names escaped ({@link FileName#escape}), long ones shortened. */
    String display() {
      return display(SHOWN);
    }

    /** {@code ./a/b} for messages, shortened in the middle past {@code limit} characters. */
    String display(int limit) {
      if (parent == null) {
        return ".";
      }
      Deque<String> parts = new ArrayDeque<>();
      int length = 0;
      Node n = this;
      for (; n.parent != null && (length < limit || parts.isEmpty()); n = n.parent) {
        String s = n.name.toString();
        parts.addFirst(s);
        length += s.length() + 1;
      }
      StringBuilder sb = new StringBuilder(n.parent == null ? "." : "./...");
      for (String p : parts) {
        sb.append('/').append(p);
      }
      return sb.toString();
    }

    /** The path relative to the root, decoded as UTF-8 ({@code ""} for the root): for -C. */
    String text() {
      if (parent == null) {
        return "";
      }
      Deque<String> parts = new ArrayDeque<>();
      for (Node n = this; n.parent != null; n = n.parent) {
        parts.addFirst(new String(n.name.bytes(), StandardCharsets.UTF_8));
      }
      return String.join("/", parts);
    }

    @Override
    public String toString() {
      return display();
    }
  }

  private final Map<Integer, List<DirectoryEntry>> dirs;
  private final Map<Integer, List<Node>> names = new LinkedHashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Problems problems = new Problems();

  /** One directory being walked: its node, its entries and the next one, the names seen. */
  private record Frame(Node dir, List<DirectoryEntry> entries, int[] next, Set<FileName> seen) {}

  /** Walks {@code dirs} (directory inode to its entries) from the root. */
  DumpTree(Map<Integer, List<DirectoryEntry>> dirs) {
    this.dirs = dirs;
    if (dirs.containsKey(ROOT)) {
      walk();
    } else {
      problems.add("the root directory is not on the dump");
    }
  }

  /** Depth first, each directory's entries in order: the order restore walks. */
  private void walk() {
    Node root = new Node(null, null, ROOT);
    add(root);
    Set<Integer> visiting = new HashSet<>();
    visiting.add(ROOT);
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, dirs.get(ROOT), new int[1], new HashSet<>()));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next[0] == f.entries.size()) {
        stack.pop();
        visiting.remove(f.dir.ino);
        continue;
      }
      DirectoryEntry e = f.entries.get(f.next[0]++);
      byte[] raw = e.name();
      if (raw.length == 1 && raw[0] == '.' || raw.length == 2 && raw[0] == '.' && raw[1] == '.') {
        continue;
      }
      if (!FileName.isComponent(raw)) {
        Node dir = f.dir;
        problems.add(
            () ->
                "refused the name "
                    + (dir.isRoot() ? "" : dir.display().substring(2) + "/")
                    + FileName.escape(raw)
                    + ": it could leave the target");
        continue;
      }
      Node child = new Node(f.dir, FileName.of(raw), e.ino());
      if (!f.seen.add(child.name)) {
        problems.add(
            () ->
                child.display()
                    + ": listed twice in directory "
                    + child.parent.display()
                    + ": the entry for inode "
                    + Integer.toUnsignedString(e.ino())
                    + " is ignored");
        continue;
      }
      List<DirectoryEntry> sub = dirs.get(e.ino());
      if (sub == null) {
        add(child);
      } else if (visiting.contains(e.ino()) || names.containsKey(e.ino())) {
        problems.add(
            "directory "
                + child.display()
                + " (inode "
                + Integer.toUnsignedString(e.ino())
                + ") is linked twice: skipped");
      } else if (child.depth > MAX_DEPTH) {
        problems.add(
            "directory " + child.display() + ": deeper than " + MAX_DEPTH + " levels: skipped");
      } else {
        add(child);
        visiting.add(e.ino());
        stack.push(new Frame(child, sub, new int[1], new HashSet<>()));
      }
    }
  }

  private void add(Node n) {
    names.computeIfAbsent(n.ino, k -> new ArrayList<>(1)).add(n);
    nodes.add(n);
  }

  /** Every inode reachable by name, with its names in walk order (directories before contents). */
  Map<Integer, List<Node>> names() {
    return names;
  }

  /** Every node, in walk order: a directory comes before everything below it. */
  List<Node> nodes() {
    return nodes;
  }

  /** The first name of {@code ino} for messages, or null if it has none. */
  String nameOf(int ino) {
    List<Node> n = names.get(ino);
    return n == null ? null : n.get(0).display();
  }

  /** True when {@code ino} is a directory of the tree. */
  boolean isDirectory(int ino) {
    return dirs.containsKey(ino);
  }

  /** The entries of directory {@code ino}, or null. */
  List<DirectoryEntry> entries(int ino) {
    return dirs.get(ino);
  }

  /** Names refused or loops found while walking. */
  Problems problems() {
    return problems;
  }
}
