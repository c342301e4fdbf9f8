package org.jrmt.tape;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Parses the objects of a SIMH {@code .tap} file, forward from a start offset or backward from an
 * end offset. Knows the format only; tape motion and bookkeeping belong to {@link SimhTape}.
 *
 * <p>Every word is a 32-bit little-endian value. A record is its length word, the data, one pad
 * byte if the length is odd, and the length word again. The top four bits of a length word are its
 * class: 0 good data, 8 bad data, 7 and F markers, the rest records that standard readers skip.
 * Words 0 (tape mark), 0xFFFFFFFE (erase gap) and 0xFFFFFFFF (end of medium) are markers.
 */
final class SimhFormat {
  static final int TAPE_MARK = 0x00000000;
  static final int ERASE_GAP = 0xFFFFFFFE;
  static final int END_OF_MEDIUM = 0xFFFFFFFF;
  static final int HALF_GAP_FORWARD = 0xFFFEFFFF;
  static final int HALF_GAP_REVERSE_MIN = 0xFFFF0000;

  /** The longest record the standard format can describe: 24 bits of length. */
  static final int MAX_RECORD_LENGTH = 0x00FFFFFF;

  private static final int LENGTH_MASK = 0x0FFFFFFF;
  private static final int CLASS_GOOD = 0x0;
  private static final int CLASS_PRIVATE_MARKER = 0x7;
  private static final int CLASS_BAD = 0x8;
  private static final int CLASS_RESERVED_MARKER = 0xF;

  /** What an object is, as far as a reader cares. */
  enum Kind {
    /** A good data record. */
    DATA,
    /** A record flagged as bad data (class 8). */
    BAD,
    /** A tape mark. */
    TAPE_MARK,
    /** Something readers pass over: erase gaps, private records and markers. */
    SKIP,
    /** The end of recorded data: an end-of-medium marker, or the end of the file. */
    END,
    /** The beginning of the tape (only when parsing backward). */
    BEGINNING,
    /** An object that is cut short or whose two length words differ. */
    TORN
  }

  /**
   * One object, occupying bytes {@code [start, end)}. For END and BEGINNING both are the offset
   * parsed from; for TORN, {@code end} is where the object claimed to end.
   */
  record SimhObject(Kind kind, long start, long end, int length) {}

  private final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

  /** The byte size of a record of {@code length} data bytes, including framing and padding. */
  static long recordSize(int length) {
    return 8L + padded(length);
  }

  static long padded(int length) {
    return (length + 1L) & ~1L;
  }

  /** Parses the object that starts at {@code pos}, in a file of {@code size} bytes. */
  SimhObject forward(FileChannel ch, long pos, long size) throws IOException {
    if (pos >= size) {
      return new SimhObject(Kind.END, pos, pos, 0);
    }
    if (pos + 4 > size) {
      return new SimhObject(Kind.TORN, pos, pos + 4, 0);
    }
    int w = readWord(ch, pos);
    if (w == TAPE_MARK) {
      return new SimhObject(Kind.TAPE_MARK, pos, pos + 4, 0);
    }
    if (w == END_OF_MEDIUM) {
      return new SimhObject(Kind.END, pos, pos, 0);
    }
    if (w == HALF_GAP_FORWARD) {
      return new SimhObject(Kind.SKIP, pos, pos + 2, 0);
    }
    int cls = w >>> 28;
    if (cls == CLASS_RESERVED_MARKER || cls == CLASS_PRIVATE_MARKER) {
      return new SimhObject(Kind.SKIP, pos, pos + 4, 0);
    }
    int length = w & LENGTH_MASK;
    long end = pos + recordSize(length);
    if (end > size || readWord(ch, end - 4) != w) {
      return new SimhObject(Kind.TORN, pos, end, length);
    }
    return new SimhObject(kindOfRecord(cls), pos, end, length);
  }

  /** Parses the object that ends at {@code pos}, walking toward the beginning of the tape. */
  SimhObject backward(FileChannel ch, long pos) throws IOException {
    if (pos <= 0) {
      return new SimhObject(Kind.BEGINNING, 0, 0, 0);
    }
    if (pos < 4) {
      return new SimhObject(Kind.TORN, 0, pos, 0);
    }
    int w = readWord(ch, pos - 4);
    if (w == TAPE_MARK) {
      return new SimhObject(Kind.TAPE_MARK, pos - 4, pos, 0);
    }
    if (w == ERASE_GAP || w == END_OF_MEDIUM) {
      return new SimhObject(Kind.SKIP, pos - 4, pos, 0);
    }
    if (Integer.compareUnsigned(w, HALF_GAP_REVERSE_MIN) >= 0) {
      return new SimhObject(Kind.SKIP, pos - 2, pos, 0);
    }
    int cls = w >>> 28;
    if (cls == CLASS_RESERVED_MARKER || cls == CLASS_PRIVATE_MARKER) {
      return new SimhObject(Kind.SKIP, pos - 4, pos, 0);
    }
    int length = w & LENGTH_MASK;
    long start = pos - recordSize(length);
    if (start < 0 || readWord(ch, start) != w) {
      return new SimhObject(Kind.TORN, start, pos, length);
    }
    return new SimhObject(kindOfRecord(cls), start, pos, length);
  }

  private static Kind kindOfRecord(int cls) {
    return switch (cls) {
      case CLASS_GOOD -> Kind.DATA;
      case CLASS_BAD -> Kind.BAD;
      default -> Kind.SKIP;
    };
  }

  private int readWord(FileChannel ch, long pos) throws IOException {
    word.clear();
    readFully(ch, word, pos);
    return word.getInt(0);
  }

  /** Fills {@code dst} from {@code pos}; the caller has checked that the bytes exist. */
  static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
    long at = pos;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, at);
      if (n < 0) {
        throw new EOFException("unexpected end of file at offset " + at);
      }
      at += n;
    }
  }
}
