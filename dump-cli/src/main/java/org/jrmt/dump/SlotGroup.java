package org.jrmt.dump;

import java.nio.ByteBuffer;

/**
 * Up to 512 consecutive 1 KiB slots of an inode's data, the span one TS_INODE or TS_ADDR header
 * describes: slot {@code i} is the 1024 bytes at {@code i * 1024} in {@link #data()}, zero-padded
 * past the end of the file, and {@link #present(int)} tells it from a hole (all zeros, written as
 * no record). The holder gives the group back with {@link #release()} once its bytes are copied.
 */
public interface SlotGroup {
  /** The slots' bytes, from index 0; at least {@code slots() * 1024} bytes. */
  ByteBuffer data();

  /** The number of slots, 1 to 512. */
  int slots();

  /** Whether slot {@code i} has data to write (false: a hole). */
  boolean present(int i);

  /** Hands the buffer back for reuse; the group must not be used afterwards. */
  default void release() {}

  /** The holes of {@code data}: the slots whose 1024 bytes are all zero. */
  static boolean[] presentSlots(ByteBuffer data, int slots) {
    boolean[] present = new boolean[slots];
    for (int i = 0; i < slots; i++) {
      int from = i * DumpHeader.TP_BSIZE;
      for (int j = from; j < from + DumpHeader.TP_BSIZE; j += Long.BYTES) {
        if (data.getLong(j) != 0) {
          present[i] = true;
          break;
        }
      }
    }
    return present;
  }
}
