package org.jrmt.dump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One 1024-byte dump header in the Linux layout (NFS_MAGIC, little-endian), the format stock {@code
 * restore} 0.4b47 reads and FreeBSD's restore reads too. Immutable; {@link #addr()} is copied in
 * and out.
 *
 * <p>The inode fields are those of a 4.4BSD inode: times in seconds, {@code rdev} in the first
 * direct-block word in the old {@code (major << 8) | minor} form. {@code addr} holds one byte per 1
 * KiB record of the inode's data covered by this header: non-zero when the record follows on the
 * dump, zero for a hole; only the first {@code count} bytes count. {@code extAttributes} is {@code
 * c_extattributes}: on an EA record ({@code DR_EXTATTRIBUTES} in {@code flags}), what kind of
 * attributes its data holds ({@link XattrBlock#EXT_XATTR}).
 */
public record DumpHeader(
    HeaderType type,
    int date,
    int ddate,
    int volume,
    int tapea,
    int inumber,
    int mode,
    int nlink,
    long size,
    int atime,
    int mtime,
    int ctime,
    int rdev,
    int fileFlags,
    int uid,
    int gid,
    int count,
    byte[] addr,
    String label,
    int level,
    String filesys,
    String dev,
    String host,
    int flags,
    int firstrec,
    int ntrec,
    int extAttributes) {

  /** Bytes in every dump record. */
  public static final int TP_BSIZE = 1024;

  /** Slots in {@code c_addr}: the records one header can describe. */
  public static final int TP_NINDIR = 512;

  /** {@code c_magic} of the Linux (and 4.4BSD new) format. */
  public static final int NFS_MAGIC = 60012;

  /** What the 256 words of a header add up to. */
  public static final int CHECKSUM = 84446;

  /** {@code c_flags}: a volume header of the new format (set on TAPE). */
  public static final int DR_NEWHEADER = 0x1;

  /** {@code c_flags}: new inode format (set on every header, or restore misreads names). */
  public static final int DR_NEWINODEFMT = 0x2;

  /**
   * The most records a TS_CLRI or TS_BITS map can have: one bit for each of the 2<sup>32</sup>
   * inode numbers a header can carry.
   */
  public static final int MAX_MAP_RECORDS = (int) ((1L << 32) / 8 / TP_BSIZE);

  private static final int LABEL_SIZE = 16;
  private static final byte[] ZEROS = new byte[TP_BSIZE];
  private static final int NAME_SIZE = 64;

  /** A header without extended attributes ({@code c_extattributes} 0). */
  public DumpHeader(
      HeaderType type,
      int date,
      int ddate,
      int volume,
      int tapea,
      int inumber,
      int mode,
      int nlink,
      long size,
      int atime,
      int mtime,
      int ctime,
      int rdev,
      int fileFlags,
      int uid,
      int gid,
      int count,
      byte[] addr,
      String label,
      int level,
      String filesys,
      String dev,
      String host,
      int flags,
      int firstrec,
      int ntrec) {
    this(
        type, date, ddate, volume, tapea, inumber, mode, nlink, size, atime, mtime, ctime, rdev,
        fileFlags, uid, gid, count, addr, label, level, filesys, dev, host, flags, firstrec, ntrec,
        0);
  }

  public DumpHeader {
    Objects.requireNonNull(type);
    addr = addr == null ? new byte[TP_NINDIR] : Arrays.copyOf(addr, TP_NINDIR);
    label = label == null ? "" : label;
    filesys = filesys == null ? "" : filesys;
    dev = dev == null ? "" : dev;
    host = host == null ? "" : host;
    if (count < 0) {
      throw new IllegalArgumentException("negative c_count " + count);
    }
  }

  @Override
  public byte[] addr() {
    return addr.clone();
  }

  /**
   * This header where it goes: on volume {@code volume} ({@code c_volume}) as record {@code tapea}
   * of the stream ({@code c_tapea}). The encoder of a dump leaves both 0; the volume writer stamps
   * each header with them as it places it, on whichever volume it lands.
   */
  public DumpHeader at(int volume, int tapea) {
    return new DumpHeader(
        type,
        date,
        ddate,
        volume,
        tapea,
        inumber,
        mode,
        nlink,
        size,
        atime,
        mtime,
        ctime,
        rdev,
        fileFlags,
        uid,
        gid,
        count,
        addr,
        label,
        level,
        filesys,
        dev,
        host,
        flags,
        firstrec,
        ntrec,
        extAttributes);
  }

  /** Slot {@code i} of {@code c_addr}: true when its record is on the dump. */
  public boolean present(int i) {
    return addr[i] != 0;
  }

  /**
   * The number of data records that follow this header on the dump: all {@code count} for maps, the
   * present slots among the first {@code count} for inodes, none for TAPE (volume 1) and END.
   */
  public int dataRecords() {
    return switch (type) {
      case CLRI, BITS -> count;
      case INODE, ADDR -> {
        int n = 0;
        for (int i = 0; i < Math.min(count, TP_NINDIR); i++) {
          n += addr[i] != 0 ? 1 : 0;
        }
        yield n;
      }
      case TAPE, END -> 0;
    };
  }

  /** True for an EA record: a TS_INODE holding the extended attributes of the inode before it. */
  public boolean isExtendedAttributes() {
    return (flags & XattrBlock.DR_EXTATTRIBUTES) != 0;
  }

  /** True for a directory inode. */
  public boolean isDirectory() {
    return (mode & 0xF000) == 0x4000;
  }

  /** Writes this header, checksum computed, as 1024 bytes. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(TP_BSIZE);
    encode(b, 0);
    return b.array();
  }

  /**
   * Writes this header, checksum computed, as the 1024 bytes of {@code dst} from index {@code at}
   * (whatever was there is overwritten, position and limit are left alone): a volume writer puts it
   * straight into its tape record.
   */
  public void encode(ByteBuffer dst, int at) {
    ByteBuffer b = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.put(at, ZEROS);
    b.putInt(at, type.code()).putInt(at + 4, date).putInt(at + 8, ddate);
    b.putInt(at + 12, volume).putInt(at + 16, tapea).putInt(at + 20, inumber);
    b.putInt(at + 24, NFS_MAGIC);
    b.putShort(at + 32, (short) mode).putShort(at + 34, (short) nlink);
    b.putShort(at + 36, (short) uid).putShort(at + 38, (short) gid);
    b.putLong(at + 40, size);
    b.putInt(at + 48, atime).putInt(at + 56, mtime).putInt(at + 64, ctime);
    b.putInt(at + 72, rdev);
    b.putInt(at + 132, fileFlags);
    b.putInt(at + 144, uid).putInt(at + 148, gid);
    b.putInt(at + 160, Math.max(0, count));
    b.put(at + 164, addr, 0, TP_NINDIR);
    putString(b, at + 676, label, LABEL_SIZE);
    b.putInt(at + 692, level);
    putString(b, at + 696, filesys, NAME_SIZE);
    putString(b, at + 760, dev, NAME_SIZE);
    putString(b, at + 824, host, NAME_SIZE);
    b.putInt(at + 888, flags).putInt(at + 892, firstrec);
    b.putInt(at + 896, ntrec).putInt(at + 900, extAttributes);
    int sum = 0;
    for (int i = 0; i < TP_BSIZE; i += 4) {
      sum += b.getInt(at + i);
    }
    b.putInt(at + 28, CHECKSUM - sum);
  }

  /** True when the 1024 bytes at {@code offset} carry the magic and a matching checksum. */
  public static boolean isHeader(byte[] record, int offset) {
    ByteBuffer b = ByteBuffer.wrap(record, offset, TP_BSIZE).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(offset + 24) != NFS_MAGIC) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < TP_BSIZE; i += 4) {
      sum += b.getInt(offset + i);
    }
    HeaderType type = HeaderType.of(b.getInt(offset));
    return sum == CHECKSUM && type != null && countProblem(type, b.getInt(offset + 160)) == null;
  }

  /**
   * Why {@code count} cannot be the {@code c_count} of a header of {@code type}, or null when it
   * can: never negative, at most {@value #TP_NINDIR} slots for an inode's data, at most {@link
   * #MAX_MAP_RECORDS} records for a map. Checked before anything is sized by it.
   */
  static String countProblem(HeaderType type, int count) {
    if (count < 0) {
      return "negative record count " + count;
    }
    return switch (type) {
      case INODE, ADDR ->
          count > TP_NINDIR ? "record count " + count + " beyond the 512 slots of a header" : null;
      case CLRI, BITS ->
          count > MAX_MAP_RECORDS
              ? "map of " + count + " records, more than 2^32 inodes need (" + MAX_MAP_RECORDS + ")"
              : null;
      case TAPE, END -> null;
    };
  }

  /**
   * Reads the header in the 1024 bytes at {@code offset}.
   *
   * @throws DumpFormatException if the magic, the checksum, the type or the record count is wrong
   *     (see {@link #countProblem})
   */
  public static DumpHeader decode(byte[] record, int offset) throws DumpFormatException {
    ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getInt(offset + 24);
    if (magic != NFS_MAGIC) {
      throw new DumpFormatException("not a dump header (magic " + magic + ")");
    }
    int sum = 0;
    for (int i = 0; i < TP_BSIZE; i += 4) {
      sum += b.getInt(offset + i);
    }
    if (sum != CHECKSUM) {
      throw new DumpFormatException("header checksum error (sum " + sum + ")");
    }
    HeaderType type = HeaderType.of(b.getInt(offset));
    if (type == null) {
      throw new DumpFormatException("unknown header type " + b.getInt(offset));
    }
    // A damaged or hostile dump is a format error, not the constructor's IllegalArgumentException.
    String badCount = countProblem(type, b.getInt(offset + 160));
    if (badCount != null) {
      throw new DumpFormatException(badCount);
    }
    byte[] addr = new byte[TP_NINDIR];
    b.get(offset + 164, addr);
    return new DumpHeader(
        type,
        b.getInt(offset + 4),
        b.getInt(offset + 8),
        b.getInt(offset + 12),
        b.getInt(offset + 16),
        b.getInt(offset + 20),
        b.getShort(offset + 32) & 0xFFFF,
        b.getShort(offset + 34),
        b.getLong(offset + 40),
        b.getInt(offset + 48),
        b.getInt(offset + 56),
        b.getInt(offset + 64),
        b.getInt(offset + 72),
        b.getInt(offset + 132),
        b.getInt(offset + 144),
        b.getInt(offset + 148),
        b.getInt(offset + 160),
        addr,
        getString(record, offset + 676, LABEL_SIZE),
        b.getInt(offset + 692),
        getString(record, offset + 696, NAME_SIZE),
        getString(record, offset + 760, NAME_SIZE),
        getString(record, offset + 824, NAME_SIZE),
        b.getInt(offset + 888),
        b.getInt(offset + 892),
        b.getInt(offset + 896),
        b.getInt(offset + 900));
  }

  private static void putString(ByteBuffer b, int at, String s, int size) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.put(at, bytes, 0, Math.min(bytes.length, size - 1));
  }

  private static String getString(byte[] record, int at, int size) {
    int end = at;
    while (end < at + size && record[end] != 0) {
      end++;
    }
    return new String(record, at, end - at, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DumpHeader h && Arrays.equals(encode(), h.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return type + "[ino=" + inumber + " tapea=" + tapea + " count=" + count + " size=" + size + "]";
  }
}
