package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.TapePosition;

/**
 * Keeps a volume change from overwriting the set being written: before volume {@code n} goes on a
 * device, the device's first record is read (when there is one to read) and the device is refused
 * when that record is the TS_TAPE header of one of the volumes 1 to {@code n - 1} of the dump in
 * progress: a {@code -F} script that changed nothing, a name given twice, a library that loaded the
 * same volume again.
 *
 * <p>The rule: a valid header (magic and checksum) of type TS_TAPE whose fields that name the dump
 * are all this dump's ({@link DumpStream.Label#names}: {@code c_date}, {@code c_ddate}, the level,
 * label, file system, device and host; the stock restore itself tells the volumes of a set by
 * {@code c_date} and {@code c_ddate}), and whose {@code c_volume} is below {@code n}. Volume {@code
 * n} itself is not refused: after its device failed, it is written again from its start, over its
 * own beginning. A blank tape, a missing file, a record that is not a header, another dump's
 * volume, a device that cannot be opened for reading: all may be written, as dump writes them. A
 * tape (not a plain file) is put back where it was after its first record was read.
 */
final class VolumeGuard {
  /** Opens a device by name for reading its first record. */
  interface Reader {
    /** The device {@code name} open for reading, or null when it cannot be (missing, refused). */
    Tape openForReading(String name);
  }

  private final DumpStream.Label label;
  private final Reader reader;
  private final int recordBytes;

  /** A guard of the dump {@code label}, whose tape records are {@code ntrec} KiB. */
  VolumeGuard(DumpStream.Label label, Reader reader, int ntrec) {
    this.label = label;
    this.reader = reader;
    // This dump's own volumes start with a record of this size: a larger one is not one of them.
    this.recordBytes = ntrec * DumpHeader.TP_BSIZE;
  }

  /**
   * Why volume {@code n} must not be written on {@code name}, or null when it may be.
   *
   * @throws IOException when the device was read but could not be put back where it was
   */
  String refusal(String name, int n) throws IOException {
    if (n < 2) {
      return null;
    }
    Tape tape = reader.openForReading(name);
    if (tape == null) {
      return null;
    }
    try (tape) {
      TapePosition before = position(tape);
      ByteBuffer first = ByteBuffer.allocate(recordBytes);
      boolean read;
      try {
        read = tape.read(first) >= DumpHeader.TP_BSIZE;
      } catch (TapeException e) {
        read = false; // blank, a bad record or one larger than this dump's: not one of its volumes
      }
      if (before != null) {
        putBack(tape, name, before);
      }
      DumpHeader h = read ? header(first.array()) : null;
      if (h != null
          && h.type() == HeaderType.TAPE
          && label.names(h)
          && h.volume() >= 1
          && h.volume() < n) {
        return name
            + " holds volume "
            + h.volume()
            + " of this dump (level "
            + h.level()
            + " of "
            + h.filesys()
            + ", "
            + DumpDates.ASCTIME.format(Instant.ofEpochSecond(Integer.toUnsignedLong(h.date())))
            + ")";
      }
      return null;
    } catch (TapeException e) {
      return null; // the close: nothing was written
    }
  }

  /** The header in {@code record}, or null when it holds none. */
  private static DumpHeader header(byte[] record) {
    if (!DumpHeader.isHeader(record, 0)) {
      return null;
    }
    try {
      return DumpHeader.decode(record, 0);
    } catch (DumpFormatException e) {
      return null;
    }
  }

  /** Where a tape is, or null for a plain file (which has no position to keep). */
  private static TapePosition position(Tape tape) {
    try {
      return tape.position();
    } catch (TapeException e) {
      return null;
    }
  }

  /** Spaces back over what the read passed (a record, or a filemark), as far as it can tell. */
  private static void putBack(Tape tape, String name, TapePosition before) throws IOException {
    try {
      TapePosition after = tape.position();
      if (after.equals(before)) {
        return;
      }
      if (after.fileNumber() != before.fileNumber()) {
        tape.spaceFiles(-1);
      } else {
        tape.spaceRecords(-1);
      }
      TapePosition back = tape.position();
      if (!back.equals(before) && before.blockNumber() != TapePosition.UNKNOWN) {
        throw new TapeException(Errno.EIO, "at " + back + ", not " + before);
      }
    } catch (TapeException e) {
      throw new IOException(
          name + ": cannot go back to where it was after reading its first record: " + e, e);
    }
  }
}
