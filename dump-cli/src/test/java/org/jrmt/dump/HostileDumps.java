package org.jrmt.dump;

import static org.jrmt.dump.DirectoryEntry.DT_DIR;
import static org.jrmt.dump.DirectoryEntry.DT_REG;
import static org.jrmt.dump.testing.DumpBuilder.entries;
import static org.jrmt.dump.testing.DumpBuilder.entry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jrmt.dump.testing.DumpBuilder;

/**
 * Test helper: small dumps whose headers lie about sizes and counts, each aimed at a way jrestore
 * could be made to allocate, loop or recurse far beyond the bytes it is given. Every one is a few
 * KiB to a few MiB.
 */
final class HostileDumps {
  private HostileDumps() {}

  private static final int DIR = 0x41ED;
  private static final byte[] ONE_SLOT = slots(1);

  static byte[] slots(int n) {
    byte[] a = new byte[DumpHeader.TP_NINDIR];
    Arrays.fill(a, 0, n, (byte) 1);
    return a;
  }

  /** {@code n} directories (one record of entries each) whose headers claim 64 MiB apiece. */
  static byte[] directoriesClaiming64MiB(int n) {
    DumpBuilder b = new DumpBuilder();
    int[] inodes = new int[n];
    List<DirectoryEntry> root = entries(2, 2);
    for (int i = 0; i < n; i++) {
      inodes[i] = 3 + i;
      root.add(entry(3 + i, DT_DIR, "d" + i));
    }
    b.tape().maps(inodes).dir(2, 0755, root);
    for (int ino : inodes) {
      b.header(b.raw(HeaderType.INODE, ino, DIR, 64L << 20, 1, ONE_SLOT));
      b.record(DirectoryEntry.encode(entries(ino, 2)));
    }
    return b.end().bytes();
  }

  /** A map header of {@code type} claiming {@code count} records, followed by five. */
  static byte[] mapClaiming(HeaderType type, int count) {
    DumpBuilder b = new DumpBuilder().tape();
    InodeMap root = InodeMap.empty();
    root.add(2);
    byte[] ones = new byte[DumpHeader.TP_BSIZE];
    Arrays.fill(ones, (byte) 0xFF);
    for (HeaderType t : new HeaderType[] {HeaderType.CLRI, HeaderType.BITS}) {
      if (t != type) {
        b.map(t, root, 3);
        continue;
      }
      b.header(b.raw(type, 2, 0, 0, count, null));
      for (int i = 0; i < 5; i++) {
        b.record(ones);
      }
    }
    return b.dir(2, 0755, entries(2, 2)).end().bytes();
  }

  /** A FreeBSD (UFS2) dump of a root and one file, the file's header saying {@code c_count -1}. */
  static byte[] ufs2NegativeCount() {
    DumpBuilder b =
        new DumpBuilder().tape().maps(3).dir(2, 0755, entries(2, 2, entry(3, DT_REG, "f")));
    int fileHeader = b.bytes().length;
    byte[] d = b.file(3, 0644, "data".getBytes(StandardCharsets.US_ASCII)).end().bytes();
    for (int at = 0; at < d.length; at += DumpHeader.TP_BSIZE) {
      if (DumpHeader.isHeader(d, at)) {
        DumpBuilder.toUfs2(d, at);
      }
    }
    ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt(fileHeader + 160, -1);
    DumpBuilder.fixChecksum(d, fileHeader);
    return d;
  }

  /** A directory whose {@code headers} headers of 512 slots are all holes (512 KiB each). */
  static byte[] directoryOfHoles(int headers) {
    DumpBuilder b = new DumpBuilder();
    b.tape().maps(3).dir(2, 0755, entries(2, 2, entry(3, DT_DIR, "holes")));
    long size = (long) headers * DumpHeader.TP_NINDIR * DumpHeader.TP_BSIZE;
    byte[] none = new byte[DumpHeader.TP_NINDIR];
    b.header(b.raw(HeaderType.INODE, 3, DIR, size, DumpHeader.TP_NINDIR, none));
    for (int i = 1; i < headers; i++) {
      b.header(b.raw(HeaderType.ADDR, 3, DIR, size, DumpHeader.TP_NINDIR, none));
    }
    return b.end().bytes();
  }

  /** TS_CLRI and TS_BITS of {@code records} KiB, every bit set; only the root on the dump. */
  static byte[] everyInodeLost(int records) {
    DumpBuilder b = new DumpBuilder().tape();
    byte[] ones = new byte[DumpHeader.TP_BSIZE];
    Arrays.fill(ones, (byte) 0xFF);
    for (HeaderType t : new HeaderType[] {HeaderType.CLRI, HeaderType.BITS}) {
      b.header(b.raw(t, 2, 0, 0, records, null));
      for (int i = 0; i < records; i++) {
        b.record(ones);
      }
    }
    return b.dir(2, 0755, entries(2, 2)).end().bytes();
  }

  /**
   * A chain of {@code depth} directories whose last one names {@code names} files that are not on
   * the dump: every name is {@code depth} components long.
   */
  static byte[] manyNamesDeepDown(int depth, int names) {
    DumpBuilder b = new DumpBuilder();
    int[] inodes = new int[depth];
    for (int i = 0; i < depth; i++) {
      inodes[i] = 3 + i;
    }
    b.tape().maps(inodes).dir(2, 0755, entries(2, 2, entry(3, DT_DIR, "d")));
    for (int i = 0; i < depth; i++) {
      int ino = 3 + i;
      int parent = i == 0 ? 2 : ino - 1;
      List<DirectoryEntry> l = entries(ino, parent);
      if (i < depth - 1) {
        l.add(entry(ino + 1, DT_DIR, "d"));
      } else {
        for (int n = 0; n < names; n++) {
          l.add(entry(1_000_000 + n, DT_REG, "f" + n));
        }
      }
      b.dir(ino, 0755, l);
    }
    return b.end().bytes();
  }

  /** Directories that contain each other: the root names 3, and 3 names the root and itself. */
  static byte[] directoryLoop() {
    return new DumpBuilder()
        .tape()
        .maps(3)
        .dir(2, 0755, entries(2, 2, entry(3, DT_DIR, "a")))
        .dir(3, 0755, entries(3, 2, entry(2, DT_DIR, "up"), entry(3, DT_DIR, "self")))
        .end()
        .bytes();
  }

  /** Every case: its name, the dump, the exit status of {@code -x} and of {@code -t}. */
  static List<Object[]> all() {
    List<Object[]> l = new ArrayList<>();
    l.add(new Object[] {"100 directories claiming 64 MiB", directoriesClaiming64MiB(100), 2, 2});
    l.add(
        new Object[] {
          "TS_BITS claiming 2,000,000 records", mapClaiming(HeaderType.BITS, 2_000_000), 2, 2
        });
    l.add(
        new Object[] {
          "TS_CLRI count * 1024 negative", mapClaiming(HeaderType.CLRI, 0x200000), 2, 2
        });
    l.add(
        new Object[] {
          "TS_CLRI count * 1024 wrapping", mapClaiming(HeaderType.CLRI, 0x400001), 2, 2
        });
    l.add(new Object[] {"UFS2 header with c_count -1", ufs2NegativeCount(), 2, 2});
    l.add(new Object[] {"a directory of 400 headers of holes", directoryOfHoles(400), 2, 2});
    l.add(new Object[] {"8 Mi inodes in the maps, none on the dump", everyInodeLost(1024), 2, 0});
    l.add(new Object[] {"60,000 names 1,000 levels down", manyNamesDeepDown(1000, 60_000), 2, 0});
    l.add(new Object[] {"directories containing each other", directoryLoop(), 2, 2});
    return l;
  }
}
