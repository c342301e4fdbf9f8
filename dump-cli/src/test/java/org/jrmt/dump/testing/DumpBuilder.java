package org.jrmt.dump.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jrmt.dump.DirectoryEntry;
import org.jrmt.dump.DumpHeader;
import org.jrmt.dump.HeaderType;
import org.jrmt.dump.InodeMap;

/**
 * Test helper: writes a single-volume dump stream record by record, honest or hostile. The
 * convenience methods write what a correct dump holds (a directory's entries, a file's data split
 * into headers of 512 slots); {@link #header} and {@link #record} write anything at all, and {@link
 * #withDate}/{@link #raw} let a test lie in any field. Every header gets a correct checksum unless
 * the test spoils it afterwards.
 */
public final class DumpBuilder {
  /** The dump date every builder uses unless told otherwise. */
  public static final int DATE = 1_700_000_000;

  /** {@code c_magic} of FreeBSD's UFS2 dump format. */
  public static final int FS_UFS2_MAGIC = 0x19540119;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int date = DATE;
  private int ddate;
  private int level;
  private int tapea;
  private int uid;
  private int gid;

  /** Another dump date (a later level, say). */
  public DumpBuilder withDate(int date) {
    this.date = date;
    return this;
  }

  /** A level {@code level} dump based on the dump of {@code ddate}. */
  public DumpBuilder withLevel(int level, int ddate) {
    this.level = level;
    this.ddate = ddate;
    return this;
  }

  /** The owner the inodes written from now on carry. */
  public DumpBuilder owner(int uid, int gid) {
    this.uid = uid;
    this.gid = gid;
    return this;
  }

  /** A header of {@code type} for inode {@code ino} with every field a test may want to set. */
  public DumpHeader raw(HeaderType type, int ino, int mode, long size, int count, byte[] addr) {
    return new DumpHeader(
        type,
        date,
        ddate,
        1,
        tapea,
        ino,
        mode,
        1,
        size,
        DATE - 86_400,
        DATE - 3_600,
        DATE,
        0,
        0,
        uid,
        gid,
        count,
        addr,
        "hostile",
        level,
        "/",
        "/dev/null",
        "builder",
        DumpHeader.DR_NEWINODEFMT | (type == HeaderType.TAPE ? DumpHeader.DR_NEWHEADER : 0),
        0,
        10);
  }

  /** Writes {@code h} as it is (checksum computed). */
  public DumpBuilder header(DumpHeader h) {
    return record(h.encode());
  }

  /** Writes one 1 KiB record: {@code data} padded with zeros (or cut) to 1024 bytes. */
  public DumpBuilder record(byte[] data) {
    out.writeBytes(Arrays.copyOf(data, DumpHeader.TP_BSIZE));
    tapea++;
    return this;
  }

  /** The volume header of volume 1. */
  public DumpBuilder tape() {
    return header(raw(HeaderType.TAPE, 0, 0, 0, 1, null));
  }

  /** TS_CLRI and TS_BITS, each marking {@code inodes} (and the root). */
  public DumpBuilder maps(int... inodes) {
    InodeMap m = InodeMap.empty();
    m.add(2);
    int maxino = 2;
    for (int i : inodes) {
      m.add(i);
      maxino = Math.max(maxino, i);
    }
    return map(HeaderType.CLRI, m, maxino + 1).map(HeaderType.BITS, m, maxino + 1);
  }

  /** One map header with its records. */
  public DumpBuilder map(HeaderType type, InodeMap m, int maxino) {
    byte[] records = m.encode(maxino);
    int n = records.length / DumpHeader.TP_BSIZE;
    header(raw(type, type == HeaderType.BITS ? 2 : maxino - 1, 0, records.length, n, null));
    for (int i = 0; i < n; i++) {
      record(Arrays.copyOfRange(records, i * 1024, (i + 1) * 1024));
    }
    return this;
  }

  /** A directory inode with {@code entries} ({@code .} and {@code ..} are not added). */
  public DumpBuilder dir(int ino, int mode, List<DirectoryEntry> entries) {
    return inode(ino, 0x4000 | mode, DirectoryEntry.encode(entries));
  }

  /** A regular file with {@code content}, mode bits {@code mode} (set-id bits allowed). */
  public DumpBuilder file(int ino, int mode, byte[] content) {
    return inode(ino, 0x8000 | mode, content);
  }

  /** A symbolic link holding {@code target}. */
  public DumpBuilder symlink(int ino, String target) {
    byte[] t = target.getBytes(StandardCharsets.UTF_8);
    return inode(ino, 0xA1FF, t);
  }

  /** A FIFO, device or socket: a header alone; {@code mode} carries the type bits. */
  public DumpBuilder node(int ino, int mode) {
    return header(raw(HeaderType.INODE, ino, mode, 0, 0, null));
  }

  /** An inode of any type whose data is {@code content}, in headers of up to 512 slots. */
  public DumpBuilder inode(int ino, int mode, byte[] content) {
    int records = (content.length + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
    HeaderType type = HeaderType.INODE;
    int at = 0;
    do {
      int slots = Math.min(DumpHeader.TP_NINDIR, records - at);
      byte[] addr = new byte[DumpHeader.TP_NINDIR];
      Arrays.fill(addr, 0, slots, (byte) 1);
      header(raw(type, ino, mode, content.length, slots, addr));
      for (int i = 0; i < slots; i++) {
        int from = (at + i) * DumpHeader.TP_BSIZE;
        record(Arrays.copyOfRange(content, from, Math.min(content.length, from + 1024)));
      }
      at += slots;
      type = HeaderType.ADDR;
    } while (at < records);
    return this;
  }

  /** The end marker. */
  public DumpBuilder end() {
    return header(raw(HeaderType.END, 0, 0, 0, 0, null));
  }

  /** The stream so far. */
  public byte[] bytes() {
    return out.toByteArray();
  }

  /** Writes the stream so far to {@code p}. */
  public Path write(Path p) throws IOException {
    return Files.write(p, bytes());
  }

  /**
   * The attack of issue 14: the root lists {@code x} twice, first as a directory, then as a
   * symbolic link to {@code elsewhere}, and the directory holds {@code f}, a setuid file ("pwned").
   * A restore that trusts a path it made, or follows the link, writes {@code elsewhere/f}.
   */
  public static byte[] nameListedTwice(String elsewhere) {
    return new DumpBuilder()
        .tape()
        .maps(3, 4, 5)
        .dir(
            2,
            0755,
            entries(
                2, 2, entry(3, DirectoryEntry.DT_DIR, "x"), entry(4, DirectoryEntry.DT_LNK, "x")))
        .dir(3, 0755, entries(3, 2, entry(5, DirectoryEntry.DT_REG, "f")))
        .symlink(4, elsewhere)
        .file(5, 04755, "pwned".getBytes(StandardCharsets.US_ASCII))
        .end()
        .bytes();
  }

  /** The entry {@code name} for inode {@code ino} of type {@code type} ({@code DT_*}). */
  public static DirectoryEntry entry(int ino, int type, String name) {
    return new DirectoryEntry(ino, type, name.getBytes(StandardCharsets.UTF_8));
  }

  /** The entry {@code name} (raw bytes, need not be UTF-8). */
  public static DirectoryEntry entry(int ino, int type, byte[] name) {
    return new DirectoryEntry(ino, type, name);
  }

  /** {@code .} and {@code ..} of directory {@code self} in {@code parent}, then {@code more}. */
  public static List<DirectoryEntry> entries(int self, int parent, DirectoryEntry... more) {
    List<DirectoryEntry> l = new ArrayList<>();
    l.add(entry(self, DirectoryEntry.DT_DIR, "."));
    l.add(entry(parent, DirectoryEntry.DT_DIR, ".."));
    l.addAll(List.of(more));
    return l;
  }

  /** Sets {@code c_checksum} of the 1 KiB header at {@code offset} of {@code dump} right again. */
  public static void fixChecksum(byte[] dump, int offset) {
    ByteBuffer b = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(offset + 28, 0);
    int sum = 0;
    for (int i = 0; i < DumpHeader.TP_BSIZE; i += 4) {
      sum += b.getInt(offset + i);
    }
    b.putInt(offset + 28, DumpHeader.CHECKSUM - sum);
  }

  /** Rewrites a Linux header in place as FreeBSD 14 dump lays it out (reference §1.4). */
  public static void toUfs2(byte[] d, int at) {
    var b = java.nio.ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long date = Integer.toUnsignedLong(b.getInt(at + 4));
    long ddate = Integer.toUnsignedLong(b.getInt(at + 8));
    long tapea = Integer.toUnsignedLong(b.getInt(at + 16));
    long atime = Integer.toUnsignedLong(b.getInt(at + 48));
    long mtime = Integer.toUnsignedLong(b.getInt(at + 56));
    long firstrec = Integer.toUnsignedLong(b.getInt(at + 892));
    for (int off : new int[] {4, 8, 16, 48, 52, 56, 60, 64, 68, 888, 892, 896, 900}) {
      // FreeBSD sets no flags, but the converted EA record must stay recognisable as one.
      if (off != 888 || (b.getInt(at + 888) & 0x8000) == 0) {
        b.putInt(at + off, 0);
      }
    }
    b.putInt(at + 24, FS_UFS2_MAGIC);
    b.putLong(at + 88, atime).putLong(at + 96, mtime);
    b.putLong(at + 896, date).putLong(at + 904, ddate);
    b.putLong(at + 912, tapea).putLong(at + 920, firstrec);
    fixChecksum(d, at);
  }
}
