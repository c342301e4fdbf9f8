package org.jrmt.dump;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jrmt.dump.DumpTree.Node;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FsException;

/**
 * The directories of a restore's target, held open by tree node: at most {@code capacity} at a time
 * (the least recently used is closed first, so a deep or wide tree never runs out of file
 * descriptors), and any other one reopened by walking down from its nearest open ancestor, or from
 * the target itself, one {@link Directory#directory} at a time. Each step refuses a symbolic link
 * or anything that is not a directory, so no handle this class gives can be outside the target,
 * whatever was planted or swapped in it.
 *
 * <p>A handle returned by {@link #get} stays open until the next call that opens one (which may
 * close it to make room): take a {@link Directory#duplicate} to keep two at once. Not thread-safe.
 */
final class TargetDirs implements AutoCloseable {
  private final Directory root;
  private final int capacity;
  private final LinkedHashMap<Node, Directory> open;

  /** Directories below {@code root} (which stays the caller's to close). */
  TargetDirs(Directory root, int capacity) {
    this.root = root;
    this.capacity = capacity;
    this.open = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The open directory of {@code dir}: the root, an open one, or one reached from them. */
  Directory get(Node dir) throws FsException {
    if (dir.isRoot()) {
      return root;
    }
    Directory d = open.get(dir);
    if (d != null) {
      return d;
    }
    Deque<Node> down = new ArrayDeque<>();
    Node n = dir;
    Directory from = null;
    while (!n.isRoot() && (from = open.get(n)) == null) {
      down.push(n);
      n = n.parent;
    }
    Directory cur = n.isRoot() ? root : from;
    while (!down.isEmpty()) {
      Node next = down.pop();
      cur = keep(next, cur.directory(next.name));
    }
    return cur;
  }

  /**
   * Makes {@code dir} a directory if it is not one (anything else of its name is removed first,
   * never entered) with permission bits {@code mode} if made, and returns it open.
   */
  Directory make(Node dir, int mode) throws FsException {
    if (dir.isRoot()) {
      return root;
    }
    Directory parent = get(dir.parent);
    return keep(dir, parent.ensureDirectory(dir.name, mode));
  }

  private Directory keep(Node n, Directory d) throws FsException {
    Directory old = open.put(n, d);
    if (old != null) {
      old.close();
    }
    if (open.size() > capacity) {
      Iterator<Map.Entry<Node, Directory>> eldest = open.entrySet().iterator();
      Map.Entry<Node, Directory> e = eldest.next();
      eldest.remove();
      e.getValue().close();
    }
    return d;
  }

  /** The number of directories held open now. */
  int openCount() {
    return open.size();
  }

  /** Closes every directory held (not the root). */
  @Override
  public void close() throws FsException {
    FsException first = null;
    for (Directory d : open.values()) {
      try {
        d.close();
      } catch (FsException e) {
        first = first == null ? e : first;
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }
}
