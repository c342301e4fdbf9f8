package org.jrmt.dump;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a dump stream one 1 KiB record at a time: {@link #nextHeader()} returns each header and
 * {@link #readData} the data records that follow it (Linux or FreeBSD UFS2 headers) ({@link
 * DumpHeader#dataRecords()} of them). Counts every record read, as {@code c_tapea} does. Not
 * thread-safe.
 */
public final class DumpReader {
  private final InputStream in;
  private final byte[] record = new byte[DumpHeader.TP_BSIZE];
  private long recordsRead;

  /** A reader over {@code in}, which it does not close. */
  public DumpReader(InputStream in) {
    this.in = in;
  }

  /** Records read so far, headers and data. */
  public long recordsRead() {
    return recordsRead;
  }

  /**
   * The next header, or null at the end of the stream.
   *
   * @throws DumpFormatException if the next record is not a valid header
   */
  public DumpHeader nextHeader() throws IOException {
    if (!fill(record)) {
      return null;
    }
    return DumpHeaders.decode(record);
  }

  /**
   * Reads one data record into {@code dst} (1024 bytes).
   *
   * @throws EOFException if the stream ends first
   */
  public void readData(byte[] dst) throws IOException {
    if (!fill(dst)) {
      throw new EOFException("dump ends inside the data of a header");
    }
  }

  private boolean fill(byte[] dst) throws IOException {
    int n = in.readNBytes(dst, 0, DumpHeader.TP_BSIZE);
    if (n == 0) {
      return false;
    }
    if (n < DumpHeader.TP_BSIZE) {
      throw new EOFException("dump ends in the middle of a record (" + n + " of 1024 bytes)");
    }
    recordsRead++;
    return true;
  }
}
