package org.jrmt.dump;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * A tape read as a byte stream: one tape record per read of the device (up to 1 MiB, the largest
 * dump record), ending at the first filemark or the end of the data.
 */
final class TapeInputStream extends InputStream {
  private final Tape tape;
  private final ByteBuffer buf = ByteBuffer.allocate((1 << 20) + 1);
  private boolean eof;

  TapeInputStream(Tape tape) {
    this.tape = tape;
    buf.flip();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!buf.hasRemaining()) {
      if (eof) {
        return -1;
      }
      buf.clear();
      try {
        int n = tape.read(buf);
        if (n <= 0) {
          eof = true;
          buf.limit(0);
          return -1;
        }
      } catch (TapeException e) {
        throw new IOException(e.getMessage(), e);
      }
      buf.flip();
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }

  @Override
  public void close() throws IOException {
    try {
      tape.close();
    } catch (TapeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
