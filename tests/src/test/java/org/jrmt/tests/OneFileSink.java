package org.jrmt.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.jrmt.dump.DumpWriter;

/** A single-volume sink writing jdump's tape records to a file, for tests that drive the writer. */
record OneFileSink(FileChannel out) implements DumpWriter.BlockSink {
  @Override
  public void write(ByteBuffer block) throws IOException {
    while (block.hasRemaining()) {
      out.write(block);
    }
  }

  @Override
  public long acknowledged() {
    return Long.MAX_VALUE;
  }

  @Override
  public void nextVolume(int number) {
    throw new AssertionError("one volume only");
  }
}
