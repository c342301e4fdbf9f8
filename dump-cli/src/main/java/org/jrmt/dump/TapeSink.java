package org.jrmt.dump;

import java.io.IOException;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * A dump's volumes on a series of tapes, one per volume, each written through the {@link
 * RecordWriter} its tape gives ({@link Tape#writer()}: pipelined to a remote tape that offers it,
 * one write at a time otherwise). Failures to open or close are {@link IOException}s naming the
 * volume.
 */
final class TapeSink implements VolumeWriter.Device, AutoCloseable {
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
  private int volume;
  private Tape tape;
  private RecordWriter writer;

  TapeSink(Volumes volumes) {
    this.volumes = volumes;
  }

  @Override
  public String name(int n) {
    return volumes.name(n);
  }

  @Override
  public RecordWriter open(int number) throws IOException {
    closeTape();
    volume = number;
    return use(volumes.open(number));
  }

  @Override
  public RecordWriter reopen(int number) throws IOException {
    if (tape != null) {
      writer.close();
      try {
        tape.close();
      } catch (TapeException | RuntimeException e) {
        // The volume failed: whatever state its device was left in is given up.
      }
      tape = null;
    }
    volume = number;
    return use(volumes.reopen(number));
  }

  private RecordWriter use(Tape opened) throws IOException {
    tape = opened;
    try {
      writer = tape.writer();
    } catch (TapeException e) {
      throw new IOException(name(volume) + ": " + e.getMessage(), e);
    }
    return writer;
  }

  /** Closes the last volume (its records all confirmed, see {@link VolumeWriter#end}). */
  @Override
  public void close() throws IOException {
    closeTape();
  }

  private void closeTape() throws IOException {
    if (tape == null) {
      return;
    }
    Tape t = tape;
    tape = null;
    writer.close();
    try {
      t.close();
    } catch (TapeException e) {
      // A volume that ended at end of tape may not take its closing filemark: not a failure.
      if (!e.isEndOfTape()) {
        throw new IOException(name(volume) + ": " + e.getMessage(), e);
      }
    }
  }
}
