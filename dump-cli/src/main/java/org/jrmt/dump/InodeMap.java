package org.jrmt.dump;

import java.util.Arrays;
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

  /** The most bytes of a map kept: inode numbers above 2^31 - 1 have no bit here. */
  static final int MAX_BYTES = 1 << 28;

  /** Reads a map from its records (those past {@link #MAX_BYTES} are ignored). */
  public static InodeMap decode(byte[] records) {
    return new InodeMap(
        BitSet.valueOf(records.length > MAX_BYTES ? Arrays.copyOf(records, MAX_BYTES) : records));
  }

  /** The first marked inode from {@code ino} on (≥ 1), or -1 if there is none. */
  public int next(int ino) {
    int i = bits.nextSetBit(Math.max(ino, 1) - 1);
    return i < 0 || i == Integer.MAX_VALUE ? -1 : i + 1;
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
