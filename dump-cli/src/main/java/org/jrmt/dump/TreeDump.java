package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Writes a scanned tree as a level-0 dump: maps, directories, then everything else. */
public final class TreeDump {
  private TreeDump() {}

  /** Writes {@code scan} through {@code writer}, from the volume header to the end. */
  public static void write(TreeScanner.Scan scan, DumpWriter writer) throws IOException {
    InodeMap all = InodeMap.empty();
    scan.directories().forEach(n -> all.add(n.meta().ino()));
    scan.others().forEach(n -> all.add(n.meta().ino()));
    writer.begin();
    writer.maps(all, all, scan.maxino());
    for (TreeScanner.Node d : scan.directories()) {
      writer.inode(d.meta(), InodeData.of(DirectoryEntry.encode(d.entries())));
    }
    for (TreeScanner.Node n : scan.others()) {
      writeOther(n, writer);
    }
    writer.end(scan.maxino());
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
   * A regular file's data; an all-zero 1 KiB slot is written as a hole, so sparse files stay
   * sparse. A file that shrank while being read is padded with zeros (a hole) to the size dumped.
   */
  private static InodeData fileData(FileChannel ch, long size) {
    return new InodeData() {
      @Override
      public long slots() {
        return (size + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
      }

      @Override
      public boolean read(long slot, byte[] record) throws IOException {
        Arrays.fill(record, (byte) 0);
        ByteBuffer b =
            ByteBuffer.wrap(
                record, 0, (int) Math.min(DumpHeader.TP_BSIZE, size - slot * DumpHeader.TP_BSIZE));
        long at = slot * DumpHeader.TP_BSIZE;
        while (b.hasRemaining()) {
          int n = ch.read(b, at + b.position());
          if (n < 0) {
            break;
          }
        }
        for (byte x : record) {
          if (x != 0) {
            return true;
          }
        }
        return false;
      }
    };
  }
}
