package org.jrmt.dump;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The records of a dump in stream order across its volumes. When a volume ends before the dump's
 * end marker, the next one is opened, its TS_TAPE header checked (the volume number expected, the
 * dump date and base date of volume 1) and the records it replays skipped: a volume that starts at
 * stream index {@code c_firstrec} repeats every record already read from index {@code c_firstrec}
 * on (after an end-of-tape cut), so that many records after its header are dropped. Not
 * thread-safe.
 */
final class VolumeSet implements AutoCloseable {
  /** Where each volume comes from. */
  interface Source {
    /**
     * Opens volume {@code n} (from 1), or throws an {@link IOException} saying why it cannot: no
     * more names and no terminal, the operator gave up, a volume that cannot be opened.
     */
    InputStream open(int n) throws IOException;

    /** A name for volume {@code n} in messages. */
    String name(int n);
  }

  /** The stream ended where the dump did not: no further volume could be had. */
  static final class TruncatedException extends IOException {
    private static final long serialVersionUID = 1L;

    TruncatedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Source source;
  private InputStream in;
  private int volume;
  private DumpHeader first;
  private long index;
  private boolean ended;

  VolumeSet(Source source) throws IOException {
    this.source = source;
    this.volume = 1;
    this.in = source.open(1);
  }

  /** The volume being read, from 1. */
  int volume() {
    return volume;
  }

  /** The name of the volume being read. */
  String name() {
    return source.name(volume);
  }

  /** Stream index of the next record (the {@code c_tapea} it should carry). */
  long index() {
    return index;
  }

  /** Tells the set the dump's end marker was read: no further volume is asked for. */
  void ended() {
    ended = true;
  }

  /**
   * Reads the next record of the dump into {@code dst} (1024 bytes), moving to the next volume when
   * this one ends. Returns false at the end of the last volume once {@link #ended()} was called.
   *
   * @throws TruncatedException if the data ends before the dump does and no next volume can be had
   */
  boolean read(byte[] dst) throws IOException {
    while (true) {
      int n = in.readNBytes(dst, 0, DumpHeader.TP_BSIZE);
      if (n == DumpHeader.TP_BSIZE) {
        if (index == 0) {
          first = DumpHeader.isHeader(dst, 0) ? DumpHeader.decode(dst, 0) : null;
        }
        index++;
        return true;
      }
      if (n > 0 && !ended) {
        throw new TruncatedException(
            name() + ": the data ends in the middle of a record (" + n + " of 1024 bytes)", null);
      }
      if (ended) {
        return false;
      }
      nextVolume(dst);
    }
  }

  private void nextVolume(byte[] rec) throws IOException {
    int n = volume + 1;
    InputStream next;
    try {
      in.close();
      next = source.open(n);
    } catch (IOException e) {
      throw new TruncatedException(
          source.name(volume)
              + ": the dump ends without its end marker after "
              + index
              + " records, and volume "
              + n
              + " cannot be read: "
              + e.getMessage(),
          e);
    }
    in = next;
    volume = n;
    int got = in.readNBytes(rec, 0, DumpHeader.TP_BSIZE);
    if (got < DumpHeader.TP_BSIZE || !DumpHeader.isHeader(rec, 0)) {
      throw new DumpFormatException(
          name() + ": volume " + n + " does not start with a dump header");
    }
    DumpHeader h = DumpHeader.decode(rec, 0);
    if (h.type() != HeaderType.TAPE) {
      throw new DumpFormatException(name() + ": volume " + n + " has no volume header");
    }
    if (h.volume() != n) {
      throw new DumpFormatException(
          name() + ": this is volume " + h.volume() + " of the dump, volume " + n + " expected");
    }
    if (first != null && (h.date() != first.date() || h.ddate() != first.ddate())) {
      throw new DumpFormatException(
          name() + ": volume " + n + " belongs to another dump (its dump date differs)");
    }
    // Records from c_firstrec on are on this volume again: skip what was already read.
    long replayed = index - Integer.toUnsignedLong(h.firstrec());
    index++;
    for (long i = 0; i < replayed; i++) {
      if (in.readNBytes(rec, 0, DumpHeader.TP_BSIZE) < DumpHeader.TP_BSIZE) {
        throw new EOFException(name() + ": volume " + n + " ends inside its replayed records");
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
