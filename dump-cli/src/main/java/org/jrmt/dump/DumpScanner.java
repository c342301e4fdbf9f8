package org.jrmt.dump;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a dump from a {@link VolumeSet} and hands it to a {@link Visitor} as events: the maps, then
 * each inode, the records of its data at their byte offsets (holes are simply not handed over) and
 * its end. Damage does not stop it: a record that should be a header and is not (bad magic or
 * checksum) is reported, the inode in progress is marked damaged, and reading resumes at the next
 * valid header of the same dump; a truncated stream ends the scan with the inode in progress
 * damaged. Everything lost is in {@link #damage()} and {@link #problems()}.
 */
final class DumpScanner {
  /** What a consumer of the dump sees. */
  interface Visitor {
    /** The inode maps, before the first inode: every inode in use, and those on the dump. */
    default void maps(DumpHeader tape, InodeMap clri, InodeMap bits) throws IOException {}

    /** An inode starts (its TS_INODE header); returns false to be spared its data. */
    boolean inode(DumpHeader h) throws IOException;

    /** {@code length} bytes of the inode's data at byte {@code offset} (never past its size). */
    void data(long offset, byte[] record, int length) throws IOException;

    /** The inode is over: {@code damage} is null when all its data was read, else what is lost. */
    void end(DumpHeader h, String damage) throws IOException;

    /** True when the visitor needs nothing more: the scan stops early. */
    default boolean done() {
      return false;
    }
  }

  private final VolumeSet volumes;
  private final byte[] rec = new byte[DumpHeader.TP_BSIZE];
  private final Problems problems = new Problems();
  private final Map<Integer, String> damage = new LinkedHashMap<>();
  private final Set<Integer> seen = new HashSet<>();
  private DumpHeader tape;
  private InodeMap clri = InodeMap.empty();
  private InodeMap bits = InodeMap.empty();
  private boolean truncated;
  private boolean complete;

  DumpScanner(VolumeSet volumes) {
    this.volumes = volumes;
  }

  /** Problems seen, one line each, in order. */
  Problems problems() {
    return problems;
  }

  /**
   * Inodes whose headers were read and whose data is lost in part or whole, with what happened to
   * them; see {@link #lost} for those never reached.
   */
  Map<Integer, String> damage() {
    return damage;
  }

  /**
   * Visits each inode the dump's map says is on it and that was never reached, in order, with why:
   * computed from the map when asked (it may mark millions), never stored.
   */
  void lost(java.util.function.ObjIntConsumer<String> visitor) {
    String why = complete ? "not found on the dump" : "not read (the dump is truncated)";
    for (int ino = bits.next(1);
        ino > 0;
        ino = ino == Integer.MAX_VALUE ? -1 : bits.next(ino + 1)) {
      if (!seen.contains(ino) && !damage.containsKey(ino)) {
        visitor.accept(why, ino);
      }
    }
  }

  /** The number of inodes {@link #lost} visits. */
  long lostCount() {
    long[] n = {0};
    lost((why, ino) -> n[0]++);
    return n[0];
  }

  /** True when the dump ended before its end marker. */
  boolean truncated() {
    return truncated;
  }

  /** True when the scan read up to the end marker. */
  boolean complete() {
    return complete;
  }

  /** The volume header of volume 1. */
  DumpHeader tape() {
    return tape;
  }

  /** Every inode in use when the dump was taken (TS_CLRI). */
  InodeMap clri() {
    return clri;
  }

  /** The inodes on this dump (TS_BITS). */
  InodeMap bits() {
    return bits;
  }

  /**
   * Reads the volume header: the start of every scan.
   *
   * @throws NotADumpException if the stream is not the start of a dump
   */
  DumpHeader start() throws IOException {
    if (!volumes.read(rec) || !DumpHeaders.isHeader(rec)) {
      throw new NotADumpException("not a dump: no valid volume header at the start");
    }
    tape = DumpHeaders.decode(rec);
    if (tape.type() != HeaderType.TAPE) {
      throw new NotADumpException("not a dump: it does not start with a volume header");
    }
    if (tape.volume() != 1) {
      throw new NotADumpException("this is volume " + tape.volume() + ", not volume 1");
    }
    return tape;
  }

  /** Reads the dump after its volume header, handing it to {@code v}. */
  void scan(Visitor v) throws IOException {
    boolean mapsGiven = false;
    DumpHeader current = null;
    long covered = 0;
    String currentDamage = null;
    try {
      DumpHeader h = nextHeader(null);
      while (h != null) {
        if (!mapsGiven && h.type() != HeaderType.CLRI && h.type() != HeaderType.BITS) {
          v.maps(tape, clri, bits);
          mapsGiven = true;
        }
        switch (h.type()) {
          case CLRI, BITS -> {
            h = map(h);
            continue;
          }
          case INODE -> {
            if ((h.flags() & DR_EXTATTRIBUTES) != 0) {
              skipData(h); // extended attributes of the inode before: not restored
              break;
            }
            finish(v, current, covered, currentDamage);
            current = null;
            if (v.done()) {
              return;
            }
            current = h;
            currentDamage = null;
            seen.add(h.inumber());
            covered = 0;
            covered = data(v, h, v.inode(h), 0);
          }
          case ADDR -> {
            if (current != null && currentDamage == null && h.inumber() == current.inumber()) {
              covered = data(v, h, true, covered);
            } else {
              skipData(h);
            }
          }
          case END -> {
            finish(v, current, covered, currentDamage);
            volumes.ended();
            complete = true;
            return;
          }
          case TAPE -> {
            problems.add("a volume header inside volume " + volumes.volume() + ": ignored");
            skipData(h);
          }
        }
        h = nextHeader(current);
        if (resyncedLast && current != null && currentDamage == null) {
          currentDamage = "data lost from byte " + covered + " (a damaged header)";
        }
      }
    } catch (VolumeSet.TruncatedException e) {
      problems.add(e.getMessage());
      truncated = true;
    } catch (DumpFormatException e) {
      // The next volume is not the one that follows: the dump ends here for this run.
      problems.add(e.getMessage());
      truncated = true;
    }
    if (current != null && currentDamage == null) {
      currentDamage = "data lost from byte " + covered + " (the dump is truncated)";
    }
    finish(v, current, covered, currentDamage);
  }

  private static final int DR_EXTATTRIBUTES = 0x8000;
  private boolean resyncedLast;

  /**
   * Reads the records of map header {@code h}, grown as they arrive (never sized by {@code
   * c_count}), and returns the header that follows. A record that is a valid header of this dump
   * ends the map early: no bitmap record passes for a header, so the count was a lie, and the dump
   * goes on from that header instead of being swallowed as map data.
   */
  private DumpHeader map(DumpHeader h) throws IOException {
    java.io.ByteArrayOutputStream map = new java.io.ByteArrayOutputStream();
    DumpHeader next = null;
    int i = 0;
    for (; i < h.count(); i++) {
      record();
      if (isOurs(rec)) {
        next = DumpHeaders.decode(rec);
        break;
      }
      if (map.size() < InodeMap.MAX_BYTES) {
        map.write(rec, 0, rec.length);
      }
    }
    if (next != null) {
      problems.add(
          h.type() + " claims " + h.count() + " records, " + i + " came before the next header");
    }
    InodeMap m = InodeMap.decode(map.toByteArray());
    if (h.type() == HeaderType.CLRI) {
      clri = m;
    } else {
      bits = m;
    }
    return next != null ? next : nextHeader(null);
  }

  private void finish(Visitor v, DumpHeader h, long covered, String dmg) throws IOException {
    if (h == null) {
      return;
    }
    long size = Math.max(0, h.size());
    if (dmg == null && covered < size && (h.mode() & 0xF000) != 0x2000 && !isSpecial(h)) {
      dmg = "data missing from byte " + covered + " of " + size;
    }
    if (dmg != null) {
      damage.put(h.inumber(), dmg);
    }
    v.end(h, dmg);
  }

  private static boolean isSpecial(DumpHeader h) {
    int t = h.mode() & 0xF000;
    return t == 0x2000 || t == 0x6000 || t == 0x1000 || t == 0xC000;
  }

  /** Reads the data records of {@code h}; returns the bytes of the inode now covered. */
  private long data(Visitor v, DumpHeader h, boolean wanted, long offset) throws IOException {
    int slots = Math.min(h.count(), DumpHeader.TP_NINDIR);
    long size = h.size();
    for (int i = 0; i < slots; i++) {
      if (h.present(i)) {
        record();
        if (wanted && offset < size) {
          v.data(offset, rec, (int) Math.min(DumpHeader.TP_BSIZE, size - offset));
        }
      }
      offset += DumpHeader.TP_BSIZE;
    }
    return offset;
  }

  private void skipData(DumpHeader h) throws IOException {
    for (int i = h.dataRecords(); i > 0; i--) {
      record();
    }
  }

  private void record() throws IOException {
    if (!volumes.read(rec)) {
      throw new VolumeSet.TruncatedException("the dump ends inside the data of a header", null);
    }
  }

  /**
   * The next header, or null when the data ends without one; {@link #resyncedLast} tells whether
   * records had to be skipped to find it.
   */
  private DumpHeader nextHeader(DumpHeader current) throws IOException {
    resyncedLast = false;
    try {
      if (!volumes.read(rec)) {
        return null;
      }
      if (isOurs(rec)) {
        return DumpHeaders.decode(rec);
      }
      long at = volumes.index() - 1;
      String why = DumpHeaders.whyNotHeader(rec, tape.date());
      String where = current == null ? "" : " (after inode " + current.inumber() + ")";
      long skipped = 1;
      while (volumes.read(rec)) {
        if (isOurs(rec)) {
          problems.add(
              "record "
                  + at
                  + where
                  + ": "
                  + why
                  + "; skipped "
                  + skipped
                  + " record(s) to the next header");
          resyncedLast = true;
          return DumpHeaders.decode(rec);
        }
        skipped++;
      }
      problems.add("record " + at + where + ": " + why + "; no valid header after it");
      truncated = true;
      return null;
    } catch (VolumeSet.TruncatedException e) {
      problems.add(e.getMessage());
      truncated = true;
      resyncedLast = false;
      return null;
    }
  }

  private boolean isOurs(byte[] r) {
    return DumpHeaders.isHeader(r) && (tape == null || DumpHeaders.date(r) == tape.date());
  }
}
