package org.jrmt.dump;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;

/**
 * Open handles on the scanned directories, for reading the files in them by name without a path:
 * each is opened again from its parent's handle (never following a link) when first asked for, and
 * the least recently used ones without a user are closed past {@link #CAPACITY}, so a dump holds a
 * few descriptors whatever the number of directories. The files are read in inode order, which on
 * most file systems keeps a directory's files together: a directory is opened about once.
 *
 * <p>Used from one thread (the writer's, which schedules the reads); the readers only use the
 * handles they are given, which stay open until released.
 */
final class DirectoryHandles implements AutoCloseable {
  /** Handles kept open without a user. */
  static final int CAPACITY = 64;

  private final Path root;
  private final FileStatus rootStatus;
  private final TreeScanner.StatSource stat;

  /** Open handles, least recently used first. */
  private final LinkedHashMap<TreeScanner.Place, Held> open = new LinkedHashMap<>(16, 0.75f, true);

  private final Map<TreeScanner.Place, Held> byPlace = new IdentityHashMap<>();

  private static final class Held {
    final Directory dir;
    int users;

    Held(Directory dir) {
      this.dir = dir;
    }
  }

  /** Handles below the root of {@code scan}, which must still be the directory scanned. */
  DirectoryHandles(TreeScanner.Scan scan) {
    this.root = scan.root();
    this.rootStatus = scan.rootStatus();
    this.stat = scan.stat();
  }

  /**
   * The open directory at {@code place}, held until {@link #release}d.
   *
   * @throws IOException when it cannot be opened (gone, replaced, not readable)
   */
  Directory acquire(TreeScanner.Place place) throws IOException {
    Held h = byPlace.get(place);
    if (h != null) {
      open.get(place); // now the most recently used
      h.users++;
      return h.dir;
    }
    h = new Held(openAt(place));
    h.users++;
    byPlace.put(place, h);
    open.put(place, h);
    trim();
    return h.dir;
  }

  /** Gives back a handle {@link #acquire}d. */
  void release(TreeScanner.Place place) throws FsException {
    Held h = byPlace.get(place);
    if (h != null && h.users > 0) {
      h.users--;
      trim();
    }
  }

  private Directory openAt(TreeScanner.Place place) throws IOException {
    if (place.parent() == null) {
      Directory d = Directory.open(root);
      FileStatus now;
      try {
        now = stat.status(d);
      } catch (FsException e) {
        d.close();
        throw e;
      }
      if (!now.sameInode(rootStatus)) {
        d.close();
        throw new IOException(root + " is no longer the directory scanned");
      }
      return d;
    }
    Directory parent = acquire(place.parent());
    try {
      return parent.directory(place.name());
    } finally {
      release(place.parent());
    }
  }

  /**
   * Closes the least recently used handles without a user while more than the capacity are open.
   */
  private void trim() throws FsException {
    Iterator<Map.Entry<TreeScanner.Place, Held>> it = open.entrySet().iterator();
    while (open.size() > CAPACITY && it.hasNext()) {
      Map.Entry<TreeScanner.Place, Held> e = it.next();
      if (e.getValue().users == 0) {
        it.remove();
        byPlace.remove(e.getKey());
        e.getValue().dir.close();
      }
    }
  }

  /** The number of handles open: for tests. */
  int openCount() {
    return open.size();
  }

  @Override
  public void close() throws FsException {
    List<Held> all = new ArrayList<>(open.values());
    open.clear();
    byPlace.clear();
    FsException first = null;
    for (Held h : all) {
      try {
        h.dir.close();
      } catch (FsException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
