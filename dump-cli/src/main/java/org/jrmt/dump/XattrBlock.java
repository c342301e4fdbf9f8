package org.jrmt.dump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jrmt.fs.Xattr;

/**
 * The extended attributes of one inode as a dump carries them: the data of an EA record (a TS_INODE
 * with {@code DR_EXTATTRIBUTES} in {@code c_flags} and {@code c_extattributes} 3, after the inode's
 * own records) is an ext2 extended-attribute area, which is what Linux dump copies from the disk
 * and what the stock restore walks to call {@code lsetxattr}.
 *
 * <p>The layout, little-endian: a 32-byte header (magic {@code 0xEA020000}, reference count,
 * blocks, hash, reserved), then entries of {@code e_name_len} (u8), {@code e_name_index} (u8),
 * {@code e_value_offs} (u16), {@code e_value_inum} (u32, 0), {@code e_value_size} (u32), {@code
 * e_hash} (u32) and the name without its namespace prefix, each padded to 4 bytes, ended by four
 * zero bytes; the values, each padded to 4 bytes, sit at the end of the block, at offsets counted
 * from its start. Linux dump also writes the attributes kept in the inode body that way with magic
 * {@code 0xEA020001}, entries right after the magic and value offsets counted from the first entry:
 * {@link #decode} reads both, {@link #encode} writes the block form.
 *
 * <p>The namespace is a name index: 1 {@code user.}, 2 {@code system.posix_acl_access}, 3 {@code
 * system.posix_acl_default}, 4 {@code trusted.}, 5 {@code lustre.}, 6 {@code security.}, the ones
 * the stock restore knows (it gives up on the rest of the block at any other). The two ACLs are
 * stored in ext2's on-disk ACL form (version 1; owner, group, mask and other entries without an
 * id), which restore turns back into the xattr form (version 2, every entry with an id, -1 where
 * there is none) that {@code setxattr} takes: {@link #encode} converts one way, {@link #decode} the
 * other, so both deal in the values the kernel hands out.
 *
 * <p>Limits: the stock restore reads at most {@link #MAX_BYTES} bytes of EA record, and keeps only
 * the last EA record of a directory, so everything goes in one block of at most 4 KiB. Attributes
 * that do not fit, or that the format cannot name or hold, are {@linkplain Encoded#leftOut left
 * out} with the reason.
 */
public final class XattrBlock {
  /** {@code c_extattributes} of an EA record holding extended attributes ({@code EXT_XATTR}). */
  public static final int EXT_XATTR = 3;

  /** {@code c_flags}: the record is an inode's extended attributes. */
  public static final int DR_EXTATTRIBUTES = 0x8000;

  /** The most bytes of EA record the stock restore reads ({@code XATTR_MAXSIZE}). */
  public static final int MAX_BYTES = 4096;

  /** The magic of an EA block. */
  static final int MAGIC = 0xEA020000;

  /** The magic Linux dump puts on the attributes it copies from an inode body. */
  static final int MAGIC_IN_INODE = 0xEA020001;

  private static final int HEADER = 32;
  private static final int ENTRY = 16;
  private static final int ACL_XATTR_VERSION = 2;
  private static final int ACL_DISK_VERSION = 1;

  /** Name index to prefix; an index whose prefix is the whole name has an empty suffix. */
  private static final String[] PREFIXES = {
    null,
    "user.",
    "system.posix_acl_access",
    "system.posix_acl_default",
    "trusted.",
    "lustre.",
    "security."
  };

  private XattrBlock() {}

  /** An attribute that could not be carried, and why, in words. */
  public record LeftOut(Xattr attribute, String reason) {
    @Override
    public String toString() {
      return "extended attribute " + attribute.shownName() + " not carried: " + reason;
    }
  }

  /**
   * What {@link #encode} made.
   *
   * @param block the EA record's data, a multiple of 1 KiB; empty when nothing is carried (no EA
   *     record is then written)
   * @param carried the attributes in the block
   * @param leftOut the attributes that are not, each with its reason
   */
  public record Encoded(byte[] block, List<Xattr> carried, List<LeftOut> leftOut) {
    public Encoded {
      block = block.clone();
      carried = List.copyOf(carried);
      leftOut = List.copyOf(leftOut);
    }

    @Override
    public byte[] block() {
      return block.clone();
    }
  }

  /** One attribute ready to be laid out: its index, its name suffix and its stored value. */
  private record Stored(Xattr source, int index, byte[] suffix, byte[] value) {
    int entryBytes() {
      return (ENTRY + suffix.length + 3) & ~3;
    }

    int valueBytes() {
      return (value.length + 3) & ~3;
    }
  }

  /**
   * Lays {@code attributes} out as one EA block of at most {@link #MAX_BYTES} bytes, as small as
   * they allow (a multiple of 1 KiB). When they do not all fit, the POSIX ACLs go in first, then
   * the others smallest first, so that as many as possible are carried; the block lists them in the
   * order ext2 keeps (index, name length, name).
   */
  public static Encoded encode(List<Xattr> attributes) {
    List<Stored> candidates = new ArrayList<>();
    List<LeftOut> leftOut = new ArrayList<>();
    for (Xattr x : attributes) {
      String why = store(x, candidates);
      if (why != null) {
        leftOut.add(new LeftOut(x, why));
      }
    }
    candidates.sort(
        Comparator.comparingInt((Stored s) -> isAcl(s.index()) ? 0 : 1)
            .thenComparingInt(s -> s.entryBytes() + s.valueBytes())
            .thenComparing(s -> s.source().name(), Arrays::compareUnsigned));
    List<Stored> chosen = new ArrayList<>();
    int used = HEADER + 4;
    for (Stored s : candidates) {
      int need = s.entryBytes() + s.valueBytes();
      if (used + need <= MAX_BYTES) {
        chosen.add(s);
        used += need;
      } else {
        leftOut.add(
            new LeftOut(
                s.source(),
                "the dump format holds at most "
                    + MAX_BYTES
                    + " bytes of attributes per file and "
                    + (used + need)
                    + " would be needed"));
      }
    }
    if (chosen.isEmpty()) {
      return new Encoded(new byte[0], List.of(), leftOut);
    }
    chosen.sort(
        Comparator.comparingInt(Stored::index)
            .thenComparingInt(s -> s.suffix().length)
            .thenComparing(Stored::suffix, Arrays::compareUnsigned));
    int size = (used + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE * DumpHeader.TP_BSIZE;
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    int at = HEADER;
    int valueEnd = size;
    int blockHash = 0;
    List<Xattr> carried = new ArrayList<>();
    for (Stored s : chosen) {
      valueEnd -= s.valueBytes();
      int hash = entryHash(s.suffix(), s.value());
      b.put(at, (byte) s.suffix().length).put(at + 1, (byte) s.index());
      b.putShort(at + 2, (short) valueEnd).putInt(at + 4, 0).putInt(at + 8, s.value().length);
      b.putInt(at + 12, hash).put(at + ENTRY, s.suffix());
      b.put(valueEnd, s.value());
      blockHash = (blockHash << 16) ^ (blockHash >>> 16) ^ hash;
      at += s.entryBytes();
      carried.add(s.source());
    }
    b.putInt(0, MAGIC).putInt(4, 1).putInt(8, 1).putInt(12, blockHash);
    return new Encoded(b.array(), carried, leftOut);
  }

  /** Adds {@code x} to {@code out} in its stored form, or says why it cannot be stored. */
  private static String store(Xattr x, List<Stored> out) {
    String name = new String(x.name(), StandardCharsets.ISO_8859_1);
    for (int index = 1; index < PREFIXES.length; index++) {
      String prefix = PREFIXES[index];
      boolean whole = !prefix.endsWith(".");
      if (whole ? !name.equals(prefix) : !name.startsWith(prefix)) {
        continue;
      }
      byte[] suffix = Arrays.copyOfRange(x.name(), prefix.length(), x.nameLength());
      if (!whole && suffix.length == 0) {
        return "a name that is only a namespace";
      }
      if (suffix.length > 255) {
        return "a name longer than 255 bytes after its namespace";
      }
      byte[] value = x.value();
      if (isAcl(index)) {
        value = aclToDisk(value);
        if (value == null) {
          return "not a POSIX ACL the format can hold";
        }
      }
      if (HEADER + 4 + ((ENTRY + suffix.length + 3) & ~3) + ((value.length + 3) & ~3) > MAX_BYTES) {
        return "a value of "
            + x.valueLength()
            + " bytes, more than the dump format holds ("
            + MAX_BYTES
            + " bytes of attributes per file)";
      }
      out.add(new Stored(x, index, suffix, value));
      return null;
    }
    return "its namespace has no name index in the dump format (the stock restore knows user.,"
        + " trusted., security., lustre. and the POSIX ACLs)";
  }

  private static boolean isAcl(int index) {
    return index == 2 || index == 3;
  }

  /**
   * ext2's hash of an entry: the name's bytes, then the value's 32-bit words. Informational (the
   * stock restore and {@link #decode} do not check it), kept so the block is one e2fsprogs would
   * accept.
   */
  private static int entryHash(byte[] suffix, byte[] value) {
    int hash = 0;
    for (byte c : suffix) {
      hash = (hash << 5) ^ (hash >>> 27) ^ (c & 0xFF);
    }
    ByteBuffer v = ByteBuffer.wrap(Arrays.copyOf(value, (value.length + 3) & ~3));
    v.order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < v.capacity(); i += 4) {
      hash = (hash << 16) ^ (hash >>> 16) ^ v.getInt(i);
    }
    return hash;
  }

  /**
   * Reads the attributes of an EA record's data (its first {@code length} bytes), in either form
   * Linux dump writes, ACLs turned into their xattr form. Damage is reported in {@code problems}
   * and reading goes on where it can: an entry whose name index is unknown, whose value lies
   * outside the data or in another inode, or an ACL that does not parse is left out; an entry table
   * that runs past the data ends the reading.
   */
  public static List<Xattr> decode(byte[] data, int length, List<String> problems) {
    List<Xattr> out = new ArrayList<>();
    int len = Math.min(length, data.length);
    if (len < 4) {
      problems.add("EA record of " + len + " bytes: too short for a header");
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(data, 0, len).order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getInt(0);
    int at;
    int base;
    if (magic == MAGIC) {
      at = HEADER;
      base = 0;
    } else if (magic == MAGIC_IN_INODE) {
      at = 4;
      base = 4;
    } else {
      problems.add(String.format("EA record with magic %08x, not an ext2 attribute area", magic));
      return out;
    }
    while (true) {
      if (at + 4 > len) {
        problems.add("EA entries run past the end of the record (at byte " + at + ")");
        return out;
      }
      if (b.getInt(at) == 0) {
        return out;
      }
      if (at + ENTRY > len) {
        problems.add("EA entry at byte " + at + " runs past the end of the record");
        return out;
      }
      int nameLen = b.get(at) & 0xFF;
      int index = b.get(at + 1) & 0xFF;
      int valueOffs = b.getShort(at + 2) & 0xFFFF;
      int valueInum = b.getInt(at + 4);
      long valueSize = Integer.toUnsignedLong(b.getInt(at + 8));
      int next = at + ((ENTRY + nameLen + 3) & ~3);
      if (at + ENTRY + nameLen > len) {
        problems.add("EA entry at byte " + at + ": its name runs past the end of the record");
        return out;
      }
      byte[] suffix = Arrays.copyOfRange(data, at + ENTRY, at + ENTRY + nameLen);
      String shown = "index " + index + " name " + org.jrmt.fs.FileName.escape(suffix);
      long valueAt = (long) base + valueOffs;
      if (index < 1 || index >= PREFIXES.length) {
        problems.add("EA entry " + shown + ": unknown name index; left out");
      } else if (valueInum != 0) {
        problems.add("EA entry " + shown + ": its value is in another inode; left out");
      } else if (valueAt + valueSize > len) {
        problems.add("EA entry " + shown + ": its value lies outside the record; left out");
      } else {
        byte[] value = Arrays.copyOfRange(data, (int) valueAt, (int) (valueAt + valueSize));
        byte[] prefix = PREFIXES[index].getBytes(StandardCharsets.US_ASCII);
        byte[] name = Arrays.copyOf(prefix, prefix.length + suffix.length);
        System.arraycopy(suffix, 0, name, prefix.length, suffix.length);
        if (isAcl(index)) {
          value = aclFromDisk(value);
        }
        if (value == null) {
          problems.add("EA entry " + PREFIXES[index] + ": not an ACL in ext2's form; left out");
        } else {
          out.add(new Xattr(name, value));
        }
      }
      at = next;
    }
  }

  private static boolean shortTag(int tag) {
    return tag == 0x01 || tag == 0x04 || tag == 0x10 || tag == 0x20; // owner, group, mask, other
  }

  private static boolean longTag(int tag) {
    return tag == 0x02 || tag == 0x08; // named user, named group
  }

  /**
   * An ACL's xattr form (version 2, 8-byte entries) in ext2's disk form (version 1, the entries
   * without ids 4 bytes), or null when it is not one the stock restore can read back: at least one
   * entry, known tags, and as many short entries as restore's count assumes (3 without named ones,
   * else 4).
   */
  static byte[] aclToDisk(byte[] xattr) {
    if (xattr.length < 4 + 8 || (xattr.length - 4) % 8 != 0) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(xattr).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt(0) != ACL_XATTR_VERSION) {
      return null;
    }
    int n = (xattr.length - 4) / 8;
    ByteBuffer out = ByteBuffer.allocate(4 + 8 * n).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(ACL_DISK_VERSION);
    int shorts = 0;
    for (int i = 0; i < n; i++) {
      int tag = in.getShort(4 + 8 * i) & 0xFFFF;
      short perm = in.getShort(6 + 8 * i);
      if (shortTag(tag)) {
        out.putShort((short) tag).putShort(perm);
        shorts++;
      } else if (longTag(tag)) {
        out.putShort((short) tag).putShort(perm).putInt(in.getInt(8 + 8 * i));
      } else {
        return null;
      }
    }
    int named = n - shorts;
    if (!(named == 0 && (shorts == 3 || shorts == 4) || named > 0 && shorts == 4)) {
      return null;
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  /** ext2's disk form of an ACL in the xattr form, or null when it does not parse. */
  static byte[] aclFromDisk(byte[] disk) {
    if (disk.length < 4) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt(0) != ACL_DISK_VERSION) {
      return null;
    }
    ByteBuffer out = ByteBuffer.allocate(4 + 2 * (disk.length - 4)).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(ACL_XATTR_VERSION);
    int at = 4;
    int entries = 0;
    while (at < disk.length) {
      if (at + 4 > disk.length) {
        return null;
      }
      int tag = in.getShort(at) & 0xFFFF;
      short perm = in.getShort(at + 2);
      if (shortTag(tag)) {
        out.putShort((short) tag).putShort(perm).putInt(-1);
        at += 4;
      } else if (longTag(tag) && at + 8 <= disk.length) {
        out.putShort((short) tag).putShort(perm).putInt(in.getInt(at + 4));
        at += 8;
      } else {
        return null;
      }
      entries++;
    }
    return entries == 0 ? null : Arrays.copyOf(out.array(), out.position());
  }
}
