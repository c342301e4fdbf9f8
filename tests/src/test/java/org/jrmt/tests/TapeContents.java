package org.jrmt.tests;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.TapeException;

/**
 * What a SIMH virtual tape holds, read back from the beginning to the end of data with {@link
 * SimhTape}: the sequence of records and filemarks, and the bytes of all records.
 *
 * @param layout one entry per object: a record's length, or {@link #FILEMARK}
 * @param data the records' bytes, concatenated
 */
record TapeContents(List<Integer> layout, byte[] data) {
  /** The layout entry of a filemark. */
  static final int FILEMARK = -1;

  /** Reads the whole tape at {@code path}. */
  static TapeContents read(Path path) throws TapeException {
    List<Integer> layout = new ArrayList<>();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    try (SimhTape tape = SimhTape.open(path, OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      while (true) {
        long file = tape.status().fileNumber();
        buf.clear();
        int n = tape.read(buf);
        if (n > 0) {
          layout.add(n);
          data.write(buf.array(), 0, n);
        } else if (tape.status().fileNumber() > file) {
          layout.add(FILEMARK);
        } else {
          break;
        }
      }
    }
    return new TapeContents(List.copyOf(layout), data.toByteArray());
  }

  /** The number of records (filemarks not counted). */
  long records() {
    return layout.stream().filter(n -> n != FILEMARK).count();
  }

  /** The number of filemarks. */
  long filemarks() {
    return layout.stream().filter(n -> n == FILEMARK).count();
  }
}
