package org.jrmt.dump;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.TapePosition;
import org.jrmt.tape.TapeStatus;

/** Standard output as a write-only stream tape, for {@code -f -}. */
final class StdoutTape implements Tape {
  static final StdoutTape INSTANCE = new StdoutTape();

  private final FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();

  private StdoutTape() {}

  @Override
  public int write(ByteBuffer src) throws TapeException {
    int n = src.remaining();
    try {
      while (src.hasRemaining()) {
        out.write(src);
      }
    } catch (IOException e) {
      throw new TapeException(Errno.EIO, "standard output: " + e.getMessage(), e);
    }
    return n;
  }

  private static TapeException notATape() {
    return new TapeException(Errno.ENOTTY, "standard output is not a tape");
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    throw new TapeException(Errno.EBADF, "standard output is write-only");
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    throw notATape();
  }

  @Override
  public void spaceFiles(int count) throws TapeException {
    throw notATape();
  }

  @Override
  public void spaceRecords(int count) throws TapeException {
    throw notATape();
  }

  @Override
  public void rewind() throws TapeException {
    throw notATape();
  }

  @Override
  public void unload() throws TapeException {
    throw notATape();
  }

  @Override
  public void seekEndOfData() throws TapeException {
    throw notATape();
  }

  @Override
  public void erase() throws TapeException {
    throw notATape();
  }

  @Override
  public TapePosition position() throws TapeException {
    throw notATape();
  }

  @Override
  public TapeStatus status() throws TapeException {
    throw notATape();
  }

  @Override
  public void close() {
    // Standard output stays open for the JVM's own use; nothing is buffered here.
  }
}
