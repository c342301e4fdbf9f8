package org.jrmt.dump;

import java.io.IOException;
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
