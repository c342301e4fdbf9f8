package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a scanned tree as a dump: maps, directories, then everything else. A level 0 dump holds
 * every inode; an incremental holds the inodes changed since its base (ctime or mtime at or after
 * it, to the second) and every directory on the way to one of them, while its TS_CLRI still lists
 * every inode in use, so restore removes what is gone.
 */
public final class TreeDump {
  private TreeDump() {}

  /** Writes a level 0 dump of {@code scan}. */
  public static void write(TreeScanner.Scan scan, DumpWriter writer) throws IOException {
    write(scan, writer, Long.MIN_VALUE);
  }

  /**
   * Writes the inodes of {@code scan} changed at or after {@code since} (epoch seconds; {@link
   * Long#MIN_VALUE} for all), from the volume header to the end.
   *
   * @return the number of inodes written
   */
  public static int write(TreeScanner.Scan scan, DumpWriter writer, long since) throws IOException {
    InodeMap all = InodeMap.empty();
    scan.directories().forEach(n -> all.add(n.meta().ino()));
    scan.others().forEach(n -> all.add(n.meta().ino()));
    InodeMap dumped = selected(scan, since);
    writer.begin();
    writer.maps(all, dumped, scan.maxino());
    int count = 0;
    for (TreeScanner.Node d : scan.directories()) {
      if (dumped.contains(d.meta().ino())) {
        writer.inode(d.meta(), InodeData.of(DirectoryEntry.encode(d.entries())));
        count++;
      }
    }
    for (TreeScanner.Node n : scan.others()) {
      if (dumped.contains(n.meta().ino())) {
        writeOther(n, writer);
        count++;
      }
    }
    writer.end(scan.maxino());
    return count;
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

  private static void writeOther(TreeScanner.Node n, DumpWriter writer) throws IOException {
    InodeMeta m = n.meta();
    switch (m.mode() & InodeMeta.S_IFMT) {
      case InodeMeta.S_IFLNK -> {
        byte[] target =
            Files.readSymbolicLink(n.path()).toString().getBytes(StandardCharsets.UTF_8);
        // The target and a NUL; restore takes the length from di_size.
        writer.inode(
            m.withSize(target.length), InodeData.of(Arrays.copyOf(target, target.length + 1)));
      }
      case InodeMeta.S_IFREG -> {
        if (m.size() == 0) {
          writer.inode(m, InodeData.NONE);
          return;
        }
        try (FileChannel ch =
            FileChannel.open(n.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
          writer.inode(m, fileData(ch, m.size()));
        }
      }
      default -> writer.inode(m, InodeData.NONE);
    }
  }

  /**
   * A regular file's data, read 512 KiB at a time (one system call per 512 slots, not per slot); an
   * all-zero 1 KiB slot is written as a hole, so sparse files stay sparse. A file that shrank while
   * being read is padded with zeros (holes) to the size dumped.
   */
  private static InodeData fileData(FileChannel ch, long size) {
    int chunkSize = DumpHeader.TP_NINDIR * DumpHeader.TP_BSIZE;
    ByteBuffer chunk = ByteBuffer.allocate(chunkSize);
    long[] chunkStart = {-1};
    return new InodeData() {
      @Override
      public long slots() {
        return (size + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
      }

      @Override
      public boolean read(long slot, byte[] record) throws IOException {
        long at = slot * DumpHeader.TP_BSIZE;
        long start = at - at % chunkSize;
        if (start != chunkStart[0]) {
          fill(start);
        }
        int from = (int) (at - start);
        Arrays.fill(record, (byte) 0);
        int n = Math.max(0, Math.min(DumpHeader.TP_BSIZE, chunk.limit() - from));
        chunk.get(from, record, 0, n);
        for (int i = 0; i < n; i++) {
          if (record[i] != 0) {
            return true;
          }
        }
        return false;
      }

      private void fill(long start) throws IOException {
        chunk.clear();
        chunk.limit((int) Math.min(chunkSize, size - start));
        while (chunk.hasRemaining()) {
          if (ch.read(chunk, start + chunk.position()) < 0) {
            break;
          }
        }
        chunk.limit(chunk.position());
        chunkStart[0] = start;
      }
    };
  }
}
