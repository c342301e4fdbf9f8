package org.jrmt.dump;

import java.util.BitSet;

/**
 * An inode bitmap as TS_CLRI and TS_BITS carry it: bit {@code ino - 1} in byte {@code (ino - 1) /
 * 8}, least significant bit first, in whole 1 KiB records.
 */
public final class InodeMap {
  private final BitSet bits;

  private InodeMap(BitSet bits) {
    this.bits = bits;
  }

  /** An empty map. */
  public static InodeMap empty() {
    return new InodeMap(new BitSet());
  }

  /** Reads a map from its records. */
  public static InodeMap decode(byte[] records) {
    return new InodeMap(BitSet.valueOf(records));
  }

  /** Marks {@code ino} (≥ 1). */
  public void add(int ino) {
    bits.set(ino - 1);
  }

  /** True when {@code ino} is marked. */
  public boolean contains(int ino) {
    return ino >= 1 && bits.get(ino - 1);
  }

  /** The number of marked inodes. */
  public int size() {
    return bits.cardinality();
  }

  /** The map as whole records, covering at least inodes {@code 1..maxino - 1}. */
  public byte[] encode(int maxino) {
    int bytes = Math.max((maxino + 7) / 8, (bits.length() + 7) / 8);
    int records = Math.max(1, (bytes + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE);
    byte[] out = new byte[records * DumpHeader.TP_BSIZE];
    byte[] set = bits.toByteArray();
    System.arraycopy(set, 0, out, 0, set.length);
    return out;
  }
}
