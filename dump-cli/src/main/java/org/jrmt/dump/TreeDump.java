package org.jrmt.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jrmt.fs.Xattr;

/**
 * Writes a scanned tree as a dump: maps, directories, then everything else. A level 0 dump holds
 * every inode; an incremental holds the inodes changed since its base (ctime or mtime at or after
 * it, to the second) and every directory on the way to one of them, while its TS_CLRI still lists
 * every inode in use, so restore removes what is gone.
 *
 * <p>Each inode with extended attributes (POSIX ACLs included) is followed by its EA record, as
 * Linux dump writes it ({@link XattrBlock}); its header's {@code di_flags} are its inode flags.
 */
public final class TreeDump {
  private TreeDump() {}

  /** The default number of threads reading file data ahead of the writer (dump's three). */
  public static final int DEFAULT_WORKERS = 3;

  /** Writes a level 0 dump of {@code scan}. */
  public static void write(TreeScanner.Scan scan, DumpStream stream) throws IOException {
    write(scan, stream, Long.MIN_VALUE, DEFAULT_WORKERS, w -> {});
  }

  /**
   * Writes the inodes of {@code scan} changed at or after {@code since} (epoch seconds; {@link
   * Long#MIN_VALUE} for all), from the maps to the end, reading file data with {@code workers}
   * threads. A file that changed, vanished or could not be read since the scan never breaks the
   * stream: it is written at its scanned size (zeros where its data could not be had) and {@code
   * warn} gets one line naming it and what happened. So do the attributes that could not be
   * carried, and whatever the scan noted of an inode written ({@link TreeScanner.Node#problems}):
   * every line is about a file not carried in full.
   *
   * @return the number of inodes written
   */
  public static int write(
      TreeScanner.Scan scan, DumpStream stream, long since, int workers, Consumer<String> warn)
      throws IOException {
    InodeMap all = InodeMap.empty();
    scan.directories().forEach(n -> all.add(n.meta().ino()));
    scan.others().forEach(n -> all.add(n.meta().ino()));
    InodeMap dumped = selected(scan, since);
    List<ReadAhead.FileRef> files = new ArrayList<>();
    for (TreeScanner.Node n : scan.others()) {
      if (dumped.contains(n.meta().ino()) && hasFileData(n.meta())) {
        files.add(new ReadAhead.FileRef(n));
      }
    }
    try (DirectoryHandles handles = new DirectoryHandles(scan);
        ReadAhead readAhead = new ReadAhead(files, workers, handles, scan.stat())) {
      return write(scan, stream, dumped, all, readAhead, warn);
    }
  }

  /**
   * A {@link DumpJob.Pass} writing {@code scan} as {@link #write(TreeScanner.Scan, DumpStream,
   * long, int, Consumer)} does, as often as the job asks: a volume rewritten after a device failure
   * generates the stream again from its start, and each warning still goes to {@code warn} once.
   */
  public static DumpJob.Pass pass(
      TreeScanner.Scan scan, long since, int workers, Consumer<String> warn) {
    Set<String> warned = new HashSet<>();
    Consumer<String> once =
        w -> {
          if (warned.add(w)) {
            warn.accept(w);
          }
        };
    return stream -> write(scan, stream, since, workers, once);
  }

  private static boolean hasFileData(InodeMeta m) {
    return (m.mode() & InodeMeta.S_IFMT) == InodeMeta.S_IFREG && m.size() > 0;
  }

  private static int write(
      TreeScanner.Scan scan,
      DumpStream writer,
      InodeMap dumped,
      InodeMap all,
      ReadAhead readAhead,
      Consumer<String> warn)
      throws IOException {
    writer.maps(all, dumped, scan.maxino());
    int count = 0;
    for (TreeScanner.Node d : scan.directories()) {
      if (dumped.contains(d.meta().ino())) {
        d.problems().forEach(warn);
        writer.inode(d.meta(), InodeData.of(DirectoryEntry.encode(d.entries())));
        attributes(writer, d.meta(), d, d.xattrs(), warn);
        count++;
      }
    }
    for (TreeScanner.Node n : scan.others()) {
      if (dumped.contains(n.meta().ino())) {
        writeOther(n, writer, readAhead, warn);
        count++;
      }
    }
    writer.end(scan.maxino());
    return count;
  }

  /**
   * About how many 1 KiB records a dump of the inodes changed at or after {@code since} writes:
   * headers, maps and every data slot (holes counted as data).
   */
  public static long estimate(TreeScanner.Scan scan, long since) {
    InodeMap dumped = selected(scan, since);
    long mapRecords = (scan.maxino() / 8 + DumpHeader.TP_BSIZE) / DumpHeader.TP_BSIZE;
    long records = 2 + 2 * (1 + mapRecords);
    for (List<TreeScanner.Node> nodes : List.of(scan.directories(), scan.others())) {
      for (TreeScanner.Node n : nodes) {
        if (dumped.contains(n.meta().ino())) {
          int type = n.meta().mode() & InodeMeta.S_IFMT;
          long bytes =
              type == InodeMeta.S_IFREG || type == InodeMeta.S_IFDIR
                  ? n.meta().size()
                  : type == InodeMeta.S_IFLNK ? n.meta().size() + 1 : 0;
          long slots = (bytes + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
          records += 1 + slots + Math.max(0, slots - 1) / DumpHeader.TP_NINDIR;
        }
      }
    }
    return records;
  }

  /** The changed inodes, the root, and every directory with a changed inode beneath it. */
  static InodeMap selected(TreeScanner.Scan scan, long since) {
    InodeMap out = InodeMap.empty();
    Map<Integer, TreeScanner.Node> dirs = new HashMap<>();
    for (TreeScanner.Node d : scan.directories()) {
      dirs.put(d.meta().ino(), d);
    }
    for (TreeScanner.Node n : scan.others()) {
      if (changed(n.meta(), since)) {
        out.add(n.meta().ino());
      }
    }
    Map<Integer, Boolean> memo = new HashMap<>();
    for (TreeScanner.Node d : scan.directories()) {
      if (leadsToChange(d.meta().ino(), dirs, out, since, memo)) {
        out.add(d.meta().ino());
      }
    }
    out.add(2);
    return out;
  }

  private static boolean leadsToChange(
      int ino,
      Map<Integer, TreeScanner.Node> dirs,
      InodeMap changedFiles,
      long since,
      Map<Integer, Boolean> memo) {
    Boolean known = memo.get(ino);
    if (known != null) {
      return known;
    }
    memo.put(ino, false); // a cycle cannot happen in a tree, but never loop
    TreeScanner.Node d = dirs.get(ino);
    boolean result = changed(d.meta(), since);
    for (DirectoryEntry e : d.entries()) {
      String name = new String(e.name(), StandardCharsets.UTF_8);
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      if (dirs.containsKey(e.ino())) {
        result |= leadsToChange(e.ino(), dirs, changedFiles, since, memo);
      } else {
        result |= changedFiles.contains(e.ino());
      }
    }
    memo.put(ino, result);
    return result;
  }

  private static boolean changed(InodeMeta m, long since) {
    return m.ctime() >= since || m.mtime() >= since;
  }

  private static void writeOther(
      TreeScanner.Node n, DumpStream writer, ReadAhead readAhead, Consumer<String> warn)
      throws IOException {
    InodeMeta m = n.meta();
    n.problems().forEach(warn);
    if (hasFileData(m)) {
      ReadAhead.FileData data = readAhead.next(n);
      InodeMeta withFlags = m.withFlags(data.flags());
      writer.inode(withFlags, data);
      if (data.problem() != null) {
        warn.accept(n.place() + ": " + data.problem());
      }
      attributes(writer, withFlags, n, data.xattrs(), warn);
      return;
    }
    if ((m.mode() & InodeMeta.S_IFMT) == InodeMeta.S_IFLNK) {
      byte[] target = n.target();
      if (target == null) {
        // Gone or replaced before the scan could read it: a link of the scanned length, all
        // zeros (the scan named it).
        target = new byte[(int) m.size()];
      }
      // The target and a NUL; restore takes the length from di_size.
      writer.inode(
          m.withSize(target.length), InodeData.of(Arrays.copyOf(target, target.length + 1)));
      attributes(writer, m.withSize(target.length), n, n.xattrs(), warn);
      return;
    }
    writer.inode(m, InodeData.NONE);
    attributes(writer, m, n, n.xattrs(), warn);
  }

  /** The EA record of {@code n}, if it has attributes; those that cannot be carried are named. */
  private static void attributes(
      DumpStream writer, InodeMeta m, TreeScanner.Node n, List<Xattr> xattrs, Consumer<String> warn)
      throws IOException {
    if (xattrs == null || xattrs.isEmpty()) {
      return;
    }
    XattrBlock.Encoded ea = XattrBlock.encode(xattrs);
    for (XattrBlock.LeftOut l : ea.leftOut()) {
      warn.accept(n.place() + ": " + l);
    }
    if (!ea.carried().isEmpty()) {
      writer.attributes(m, ea.block());
    }
  }
}
