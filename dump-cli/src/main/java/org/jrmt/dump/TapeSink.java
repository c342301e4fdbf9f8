package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jrmt.client.PipelinedWriter;
import org.jrmt.client.RemoteTape;
import org.jrmt.client.WriteFailure;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * Puts a dump's tape records on a {@link Tape}: pipelined when it is a {@link RemoteTape} that
 * offers it (no round trip per record), one write at a time otherwise. End of tape is reported as
 * {@link EndOfTapeException}; multi-volume dumps are not written yet.
 */
final class TapeSink implements DumpWriter.BlockSink, AutoCloseable {
  /** The tape ended before the dump did. */
  static final class EndOfTapeException extends IOException {
    private static final long serialVersionUID = 1L;

    EndOfTapeException(String message) {
      super(message);
    }
  }

  private final Tape tape;
  private final PipelinedWriter pipeline;
  private long bytes;

  TapeSink(Tape tape) throws IOException {
    this.tape = tape;
    try {
      this.pipeline = tape instanceof RemoteTape r && r.pipelined() ? r.pipeline() : null;
    } catch (TapeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Bytes handed to the tape so far. */
  long bytes() {
    return bytes;
  }

  @Override
  public void write(ByteBuffer block) throws IOException {
    int n = block.remaining();
    try {
      if (pipeline != null) {
        pipeline.write(block);
      } else if (tape.write(block) != n) {
        throw new EndOfTapeException("end of tape");
      }
    } catch (TapeException e) {
      throw e.isEndOfTape()
          ? new EndOfTapeException(e.getMessage())
          : new IOException(e.getMessage(), e);
    }
    bytes += n;
  }

  /** Waits until every record is on the tape, then closes it. */
  @Override
  public void close() throws IOException {
    try {
      if (pipeline != null) {
        pipeline.flush();
      }
    } catch (WriteFailure f) {
      throw f.isEndOfTape()
          ? new EndOfTapeException("end of tape: " + f.unwritten().size() + " records not written")
          : new IOException(f.getMessage(), f);
    } catch (TapeException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      try {
        tape.close();
      } catch (TapeException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
  }
}
