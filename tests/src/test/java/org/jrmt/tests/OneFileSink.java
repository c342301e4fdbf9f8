package org.jrmt.tests;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.jrmt.dump.VolumeWriter;
import org.jrmt.tape.FileTape;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.TapeException;

/**
 * A single-volume device writing jdump's tape records to a file, for tests that drive the writer.
 */
record OneFileSink(FileChannel out) implements VolumeWriter.Device {
  @Override
  public RecordWriter open(int number) throws IOException {
    if (number != 1) {
      throw new AssertionError("one volume only");
    }
    try {
      return FileTape.of(Path.of("dump"), out, OpenMode.writeOnly()).writer();
    } catch (TapeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public String name(int number) {
    return "dump";
  }
}
