package org.jrmt.dump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a dumped directory, in the 4.4BSD {@code struct direct} layout restore reads: {@code
 * d_ino} (u32), {@code d_reclen} (u16), {@code d_type} (u8), {@code d_namlen} (u8), the name and a
 * NUL, padded to 4 bytes. Names are raw bytes (usually UTF-8).
 */
public record DirectoryEntry(int ino, int type, byte[] name) {
  /** The directory block size jdump writes; no entry crosses one. */
  public static final int BLOCK = 512;

  /** {@code d_type} values. */
  public static final int DT_UNKNOWN = 0;

  public static final int DT_FIFO = 1;
  public static final int DT_CHR = 2;
  public static final int DT_DIR = 4;
  public static final int DT_BLK = 6;
  public static final int DT_REG = 8;
  public static final int DT_LNK = 10;
  public static final int DT_SOCK = 12;

  /** The longest name stock restore carries intact (255 wraps a u8 length computation in it). */
  public static final int MAX_NAME = 254;

  public DirectoryEntry {
    Objects.requireNonNull(name);
    name = name.clone();
    if (name.length == 0 || name.length > 255) {
      throw new IllegalArgumentException("directory entry name of " + name.length + " bytes");
    }
  }

  @Override
  public byte[] name() {
    return name.clone();
  }

  /** The bytes this entry needs: {@code (8 + namlen + 1 + 3) & ~3}. */
  public int size() {
    return (8 + name.length + 1 + 3) & ~3;
  }

  /**
   * Writes entries into 512-byte blocks: no entry crosses a block, and the last entry of each block
   * is stretched to its end, as restore requires.
   */
  public static byte[] encode(List<DirectoryEntry> entries) {
    List<byte[]> blocks = new ArrayList<>();
    ByteBuffer block = newBlock();
    int last = -1;
    for (DirectoryEntry e : entries) {
      if (block.position() + e.size() > BLOCK) {
        stretch(block, last);
        blocks.add(block.array());
        block = newBlock();
      }
      last = block.position();
      block.putInt(e.ino).putShort((short) e.size()).put((byte) e.type).put((byte) e.name.length);
      block.put(e.name).put((byte) 0);
      block.position(last + e.size());
    }
    stretch(block, last);
    blocks.add(block.array());
    byte[] out = new byte[blocks.size() * BLOCK];
    for (int i = 0; i < blocks.size(); i++) {
      System.arraycopy(blocks.get(i), 0, out, i * BLOCK, BLOCK);
    }
    return out;
  }

  private static ByteBuffer newBlock() {
    return ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void stretch(ByteBuffer block, int last) {
    if (last >= 0) {
      block.putShort(last + 4, (short) (BLOCK - last));
    }
  }

  /**
   * Reads the entries of a directory's data ({@code di_size} bytes), skipping unused ones ({@code
   * d_ino} 0). Damage is reported in {@code problems} and reading goes on: an entry whose name does
   * not fit its length is dropped (stock dump writes 255-byte names that way), and a length that is
   * not a multiple of 4 or runs past the data skips to the next 512-byte block.
   */
  public static List<DirectoryEntry> decode(byte[] data, List<String> problems) {
    List<DirectoryEntry> out = new ArrayList<>();
    decode(data, data.length, 0, out, problems);
    return out;
  }

  /**
   * Reads the entries in the first {@code length} bytes of {@code data}, a piece of a directory
   * that starts at byte {@code base} of it (a multiple of {@value #BLOCK}: no entry crosses a
   * block, so each record of a dump can be read as it arrives), adding them to {@code out}; as
   * {@link #decode(byte[], List)} otherwise, with byte offsets in the messages counted from the
   * start of the directory.
   */
  public static void decode(
      byte[] data, int length, long base, List<DirectoryEntry> out, List<String> problems) {
    ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    int at = 0;
    while (at + 8 <= length) {
      int ino = b.getInt(at);
      int reclen = b.getShort(at + 4) & 0xFFFF;
      int type = b.get(at + 6) & 0xFF;
      int namlen = b.get(at + 7) & 0xFF;
      if (reclen < 8 || reclen % 4 != 0 || at + reclen > length) {
        problems.add("mangled directory entry at byte " + (base + at) + ": length " + reclen);
        at = (at / BLOCK + 1) * BLOCK;
        continue;
      }
      if (ino != 0) {
        if (namlen == 0 || 8 + namlen > reclen) {
          problems.add(
              "directory entry for inode "
                  + Integer.toUnsignedString(ino)
                  + " at byte "
                  + (base + at)
                  + " lost its name ("
                  + namlen
                  + " bytes in a "
                  + reclen
                  + "-byte entry)");
        } else {
          out.add(new DirectoryEntry(ino, type, Arrays.copyOfRange(data, at + 8, at + 8 + namlen)));
        }
      }
      at += reclen;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirectoryEntry e
        && e.ino == ino
        && e.type == type
        && Arrays.equals(e.name, name);
  }

  @Override
  public int hashCode() {
    return ino * 31 + Arrays.hashCode(name);
  }

  @Override
  public String toString() {
    return ino + ":" + new String(name, StandardCharsets.UTF_8);
  }
}
