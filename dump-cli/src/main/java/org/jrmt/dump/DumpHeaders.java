package org.jrmt.dump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads headers of both layouts jrestore accepts, little-endian: the Linux one ({@code NFS_MAGIC},
 * what {@link DumpHeader#decode} reads) and FreeBSD's UFS2 one ({@code FS_UFS2_MAGIC}), whose
 * dates, stream indexes and inode times are 64-bit fields of their own. A UFS2 header is returned
 * as a {@link DumpHeader} with those values (times from the 64-bit fields, where the Linux restore
 * wrongly reads the empty 32-bit ones).
 */
final class DumpHeaders {
  /** {@code c_magic} of FreeBSD's UFS2 dump format. */
  static final int FS_UFS2_MAGIC = 0x19540119;

  private DumpHeaders() {}

  private static ByteBuffer le(byte[] rec) {
    return ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int sum(ByteBuffer b) {
    int sum = 0;
    for (int i = 0; i < DumpHeader.TP_BSIZE; i += 4) {
      sum += b.getInt(i);
    }
    return sum;
  }

  /** True for a valid header of either layout: magic, checksum, type and a possible count. */
  static boolean isHeader(byte[] rec) {
    ByteBuffer b = le(rec);
    int magic = b.getInt(24);
    HeaderType type = HeaderType.of(b.getInt(0));
    return (magic == DumpHeader.NFS_MAGIC || magic == FS_UFS2_MAGIC)
        && sum(b) == DumpHeader.CHECKSUM
        && type != null
        && DumpHeader.countProblem(type, b.getInt(160)) == null;
  }

  /** Why {@code rec} is not a header of the dump dated {@code date}, in a few words. */
  static String whyNotHeader(byte[] rec, int date) {
    ByteBuffer b = le(rec);
    int magic = b.getInt(24);
    if (magic != DumpHeader.NFS_MAGIC && magic != FS_UFS2_MAGIC) {
      return "not a header (bad magic)";
    }
    if (sum(b) != DumpHeader.CHECKSUM) {
      return "header checksum error";
    }
    HeaderType type = HeaderType.of(b.getInt(0));
    if (type == null) {
      return "unknown header type " + b.getInt(0);
    }
    String badCount = DumpHeader.countProblem(type, b.getInt(160));
    if (badCount != null) {
      return "a damaged " + type + " header (" + badCount + ")";
    }
    return "a header of another dump (date " + date(rec) + ", not " + date + ")";
  }

  /** The dump date of a valid header. */
  static int date(byte[] rec) {
    ByteBuffer b = le(rec);
    return b.getInt(24) == FS_UFS2_MAGIC ? (int) b.getLong(896) : b.getInt(4);
  }

  /**
   * Decodes a header of either layout.
   *
   * @throws DumpFormatException if it is neither
   */
  static DumpHeader decode(byte[] rec) throws DumpFormatException {
    ByteBuffer b = le(rec);
    if (b.getInt(24) != FS_UFS2_MAGIC) {
      return DumpHeader.decode(rec, 0);
    }
    if (!isHeader(rec)) {
      throw new DumpFormatException(whyNotHeader(rec, 0));
    }
    byte[] addr = new byte[DumpHeader.TP_NINDIR];
    b.get(164, addr);
    return new DumpHeader(
        HeaderType.of(b.getInt(0)),
        (int) b.getLong(896),
        (int) b.getLong(904),
        b.getInt(12),
        (int) b.getLong(912),
        b.getInt(20),
        b.getShort(32) & 0xFFFF,
        b.getShort(34),
        b.getLong(40),
        (int) b.getLong(88),
        (int) b.getLong(96),
        0,
        b.getInt(72),
        b.getInt(132),
        b.getInt(144),
        b.getInt(148),
        b.getInt(160),
        addr,
        string(rec, 676, 16),
        b.getInt(692),
        string(rec, 696, 64),
        string(rec, 760, 64),
        string(rec, 824, 64),
        // FreeBSD sets no flags; its inode format is the new one.
        b.getInt(888) | DumpHeader.DR_NEWINODEFMT,
        (int) b.getLong(920),
        0);
  }

  private static String string(byte[] rec, int at, int size) {
    int end = at;
    while (end < at + size && rec[end] != 0) {
      end++;
    }
    return new String(rec, at, end - at, StandardCharsets.UTF_8);
  }
}
