package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** The data of one inode, in 1 KiB slots, as the writer asks for it. */
public interface InodeData {
  /** No data: empty files, device nodes, FIFOs, sockets. */
  InodeData NONE =
      new InodeData() {
        @Override
        public long slots() {
          return 0;
        }

        @Override
        public boolean read(long slot, byte[] record) {
          return false;
        }
      };

  /** The number of 1 KiB slots. */
  long slots();

  /**
   * Fills {@code record} (1024 bytes) with slot {@code slot}, zero-padded past the end of the data.
   *
   * @return false when the slot is a hole (nothing is written for it)
   */
  boolean read(long slot, byte[] record) throws IOException;

  /**
   * Group {@code g}: slots {@code g * 512} on, at most 512 of them. The default reads them one by
   * one with {@link #read}; sources that read ahead return groups they already hold.
   */
  default SlotGroup group(long g) throws IOException {
    long first = g * DumpHeader.TP_NINDIR;
    int n = (int) Math.min(DumpHeader.TP_NINDIR, slots() - first);
    byte[] bytes = new byte[n * DumpHeader.TP_BSIZE];
    boolean[] present = new boolean[n];
    byte[] record = new byte[DumpHeader.TP_BSIZE];
    for (int i = 0; i < n; i++) {
      present[i] = read(first + i, record);
      System.arraycopy(record, 0, bytes, i * DumpHeader.TP_BSIZE, DumpHeader.TP_BSIZE);
    }
    ByteBuffer data = ByteBuffer.wrap(bytes);
    return new SlotGroup() {
      @Override
      public ByteBuffer data() {
        return data;
      }

      @Override
      public int slots() {
        return n;
      }

      @Override
      public boolean present(int i) {
        return present[i];
      }
    };
  }

  /** Data held in memory (directory entries, symbolic link targets). */
  static InodeData of(byte[] bytes) {
    return new InodeData() {
      @Override
      public long slots() {
        return (bytes.length + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
      }

      @Override
      public boolean read(long slot, byte[] record) {
        Arrays.fill(record, (byte) 0);
        int from = (int) (slot * DumpHeader.TP_BSIZE);
        System.arraycopy(
            bytes, from, record, 0, Math.min(DumpHeader.TP_BSIZE, bytes.length - from));
        return true;
      }
    };
  }
}
