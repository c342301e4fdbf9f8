package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jrmt.protocol.Errno;

/**
 * The default {@link RecordWriter}: each record goes to the tape through {@link Tape#write} before
 * {@link #write} returns, so the tape holds every record written up to the one it refused. Only a
 * refused record is kept (copied, as the caller reuses its buffer), to be handed back.
 */
final class SynchronousWriter implements RecordWriter {
  private final Tape tape;
  private final List<ByteBuffer> unwritten = new ArrayList<>();
  private TapeException stopped;
  private long written;

  SynchronousWriter(Tape tape) {
    this.tape = tape;
  }

  @Override
  public void write(ByteBuffer record) throws TapeException {
    int start = record.position();
    int n = record.remaining();
    if (stopped == null) {
      int took;
      try {
        took = tape.write(record);
      } catch (TapeException e) {
        stopped = e;
        throw keep(record, start, e);
      }
      if (took == n) {
        written++;
        return;
      }
      // A zero-length write: the end of the tape, as EndOfTapeMode.ZERO reports it.
      stopped = new TapeException(Errno.ENOSPC, "end of tape");
    }
    throw keep(record, start, stopped);
  }

  private TapeException keep(ByteBuffer record, int start, TapeException why) {
    ByteBuffer copy = ByteBuffer.allocate(record.limit() - start);
    copy.put(record.duplicate().position(start)).flip();
    unwritten.add(copy.asReadOnlyBuffer());
    record.position(record.limit());
    return why;
  }

  @Override
  public void flush() throws TapeException {
    if (stopped != null) {
      throw stopped;
    }
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public Unwritten handBack() {
    Unwritten out = Unwritten.of(unwritten);
    unwritten.clear();
    return out;
  }

  @Override
  public void close() {
    unwritten.clear();
  }
}
