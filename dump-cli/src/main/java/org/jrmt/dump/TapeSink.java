package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jrmt.client.PipelinedWriter;
import org.jrmt.client.RemoteTape;
import org.jrmt.client.WriteFailure;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * Puts a dump's tape records on a series of tapes, one per volume: pipelined when the tape is a
 * {@link RemoteTape} that offers it (no round trip per record), one write at a time otherwise. End
 * of tape (ENOSPC, a zero-length write, or the pipelined equivalent) is reported as a {@link
 * VolumeFullException} counting the blocks the volume did not take; other failures are plain {@link
 * IOException}s naming the volume.
 */
final class TapeSink implements DumpWriter.BlockSink, AutoCloseable {
  /** Opens the tape for volume {@code n} (from 1). */
  interface Volumes {
    Tape open(int n) throws IOException;

    /** The name of volume {@code n}, for messages. */
    String name(int n);

    /** Opens volume {@code n} again, by the name it was opened with, to be rewritten. */
    default Tape reopen(int n) throws IOException {
      return open(n);
    }
  }

  private final Volumes volumes;
  private int volume = 1;
  private Tape tape;
  private PipelinedWriter pipeline;
  private long written;

  TapeSink(Volumes volumes) throws IOException {
    this.volumes = volumes;
    open();
  }

  private void open() throws IOException {
    use(volumes.open(volume));
  }

  /** Writes from now on to {@code opened}, pipelined when it can be. */
  private void use(Tape opened) throws IOException {
    tape = opened;
    written = 0;
    try {
      pipeline = tape instanceof RemoteTape r && r.pipelined() ? r.pipeline() : null;
    } catch (TapeException e) {
      throw failure(e);
    }
  }

  /** The name of the current volume. */
  String name() {
    return volumes.name(volume);
  }

  @Override
  public void write(ByteBuffer block) throws IOException {
    int n = block.remaining();
    try {
      if (pipeline != null) {
        pipeline.write(block);
        if (pipeline.isFailed()) {
          pipeline.flush();
        }
        return;
      }
      if (tape.write(block) != n) {
        throw new VolumeFullException(1, name() + ": end of tape");
      }
      written++;
    } catch (WriteFailure f) {
      throw failure(f);
    } catch (TapeException e) {
      throw e.isEndOfTape()
          ? new VolumeFullException(1, name() + ": " + e.getMessage())
          : failure(e);
    }
  }

  @Override
  public void flush() throws IOException {
    if (pipeline == null) {
      return;
    }
    try {
      pipeline.flush();
    } catch (WriteFailure f) {
      throw failure(f);
    } catch (TapeException e) {
      throw failure(e);
    }
  }

  @Override
  public long acknowledged() {
    return pipeline != null ? pipeline.written() : written;
  }

  @Override
  public void nextVolume(int number) throws IOException {
    closeTape();
    volume = number;
    open();
  }

  @Override
  public void reopen() throws IOException {
    try {
      tape.close();
    } catch (TapeException | RuntimeException e) {
      // The volume failed: whatever state its device was left in is given up.
    }
    use(volumes.reopen(volume));
  }

  /** Waits until every block is on the tape, then closes it. */
  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      closeTape();
    }
  }

  private void closeTape() throws IOException {
    try {
      tape.close();
    } catch (TapeException e) {
      // A volume that ended at end of tape may not take its closing filemark: not a failure.
      if (!e.isEndOfTape()) {
        throw failure(e);
      }
    }
  }

  private IOException failure(WriteFailure f) {
    return f.isEndOfTape()
        ? new VolumeFullException(f.unwritten().size(), name() + ": end of tape")
        : new IOException(name() + ": " + f.getMessage(), f);
  }

  private IOException failure(TapeException e) {
    return new IOException(name() + ": " + e.getMessage(), e);
  }
}
