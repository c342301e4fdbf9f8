package org.jrmt.tape;

import java.util.ArrayList;
import java.util.List;
import org.jrmt.protocol.Errno;

/**
 * The obvious in-memory tape the property tests compare {@link SimhTape} against: a list of records
 * ({@code byte[]}) and filemarks ({@code null}) with an index for the position.
 */
final class TapeModel {
  /** What an operation did: a value, or an errno. */
  record Outcome(int value, Errno errno) {
    static Outcome of(int value) {
      return new Outcome(value, null);
    }

    static Outcome failed(Errno errno) {
      return new Outcome(-1, errno);
    }
  }

  final List<byte[]> objects = new ArrayList<>();
  int index;
  long file;
  long block;
  boolean endOfDataReported;
  boolean recordsWrittenSinceMark;

  Outcome write(byte[] record) {
    if (record.length == 0) {
      return Outcome.of(0);
    }
    objects.subList(index, objects.size()).clear();
    objects.add(record);
    index++;
    block = block < 0 ? block : block + 1;
    endOfDataReported = false;
    recordsWrittenSinceMark = true;
    return Outcome.of(record.length);
  }

  Outcome writeFilemarks(int count) {
    if (count == 0) {
      return Outcome.of(0);
    }
    objects.subList(index, objects.size()).clear();
    for (int i = 0; i < count; i++) {
      objects.add(null);
    }
    index += count;
    file += count;
    block = 0;
    endOfDataReported = false;
    recordsWrittenSinceMark = false;
    return Outcome.of(0);
  }

  Outcome read() {
    if (index == objects.size()) {
      if (endOfDataReported) {
        return Outcome.failed(Errno.EIO);
      }
      endOfDataReported = true;
      return Outcome.of(0);
    }
    byte[] o = objects.get(index);
    moveTo(index + 1);
    if (o == null) {
      file++;
      block = 0;
      return Outcome.of(0);
    }
    block = block < 0 ? block : block + 1;
    return Outcome.of(o.length);
  }

  Outcome spaceRecords(int count) {
    for (int i = 0; i < Math.abs(count); i++) {
      if (count > 0) {
        if (index == objects.size()) {
          return Outcome.failed(Errno.EIO);
        }
        boolean mark = objects.get(index) == null;
        moveTo(index + 1);
        if (mark) {
          file++;
          block = 0;
          return Outcome.failed(Errno.EIO);
        }
        block = block < 0 ? block : block + 1;
      } else {
        if (index == 0) {
          block = 0;
          return Outcome.failed(Errno.EIO);
        }
        boolean mark = objects.get(index - 1) == null;
        moveTo(index - 1);
        if (mark) {
          file--;
          block = index == 0 ? 0 : -1;
          return Outcome.failed(Errno.EIO);
        }
        block = index == 0 ? 0 : block < 0 ? block : Math.max(0, block - 1);
      }
    }
    return Outcome.of(0);
  }

  Outcome spaceFiles(int count) {
    if (count < 0) {
      endWrittenFile();
    }
    int crossed = 0;
    while (crossed < Math.abs(count)) {
      if (count > 0) {
        if (index == objects.size()) {
          return Outcome.failed(Errno.EIO);
        }
        boolean mark = objects.get(index) == null;
        moveTo(index + 1);
        if (mark) {
          file++;
          block = 0;
          crossed++;
        } else {
          block = block < 0 ? block : block + 1;
        }
      } else {
        if (index == 0) {
          block = 0;
          return Outcome.failed(Errno.EIO);
        }
        boolean mark = objects.get(index - 1) == null;
        moveTo(index - 1);
        if (mark) {
          file--;
          block = index == 0 ? 0 : -1;
          crossed++;
        } else {
          block = index == 0 ? 0 : block < 0 ? block : Math.max(0, block - 1);
        }
      }
    }
    return Outcome.of(0);
  }

  Outcome rewind() {
    endWrittenFile();
    moveTo(0);
    file = 0;
    block = 0;
    return Outcome.of(0);
  }

  /** As st: moving back right after writing records first writes a filemark. */
  private void endWrittenFile() {
    if (recordsWrittenSinceMark) {
      writeFilemarks(1);
    }
  }

  /** What the tape holds after closing: st-like closing filemark after records. */
  List<byte[]> afterClose() {
    List<byte[]> result = new ArrayList<>(objects.subList(0, objects.size()));
    if (recordsWrittenSinceMark) {
      result.subList(index, result.size()).clear();
      result.add(null);
    }
    return result;
  }

  TapePosition position() {
    return new TapePosition(file, block);
  }

  private void moveTo(int i) {
    index = i;
    endOfDataReported = false;
    recordsWrittenSinceMark = false;
  }
}
