package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes a dump stream: a volume header, the two inode maps, inodes with their data, and the end,
 * grouped into tape records of exactly {@code ntrec} KiB as restore requires (the last one padded
 * with TS_END headers). Counts every record in {@code c_tapea}. Not thread-safe.
 */
public final class DumpWriter {
  /** Where finished tape records go: each write is exactly {@code ntrec * 1024} bytes. */
  public interface BlockSink {
    void write(ByteBuffer block) throws IOException;
  }

  /**
   * What every header of this dump says about the dump itself.
   *
   * @param date {@code c_date}, the same in every header and volume
   * @param ddate {@code c_ddate}, the date of the base dump (0 for level 0)
   * @param level the dump level
   * @param label the volume label
   * @param filesys the file system or directory dumped
   * @param dev the device name
   * @param host the host name
   */
  public record Label(
      int date, int ddate, int level, String label, String filesys, String dev, String host) {}

  private final BlockSink sink;
  private final int ntrec;
  private final Label label;
  private final ByteBuffer block;
  private int tapea;
  private int volume = 1;
  private final byte[] record = new byte[DumpHeader.TP_BSIZE];

  /** A writer of {@code ntrec}-KiB tape records (1 to 1024) into {@code sink}. */
  public DumpWriter(BlockSink sink, int ntrec, Label label) {
    if (ntrec < 1 || ntrec > 1024) {
      throw new IllegalArgumentException("records per write must be 1 to 1024, not " + ntrec);
    }
    this.sink = sink;
    this.ntrec = ntrec;
    this.label = label;
    this.block = ByteBuffer.allocate(ntrec * DumpHeader.TP_BSIZE);
  }

  /** Records written so far: the next record's {@code c_tapea}. */
  public int tapea() {
    return tapea;
  }

  /** Writes the first volume's header. */
  public void begin() throws IOException {
    put(
        header(
            HeaderType.TAPE,
            0,
            null,
            1,
            null,
            DumpHeader.DR_NEWHEADER | DumpHeader.DR_NEWINODEFMT));
  }

  /** Writes TS_CLRI (every inode in use) and TS_BITS (every inode on this dump). */
  public void maps(InodeMap clri, InodeMap bits, int maxino) throws IOException {
    for (HeaderType t : new HeaderType[] {HeaderType.CLRI, HeaderType.BITS}) {
      byte[] map = (t == HeaderType.CLRI ? clri : bits).encode(maxino);
      int records = map.length / DumpHeader.TP_BSIZE;
      put(header(t, maxino - 1, null, records, null, DumpHeader.DR_NEWINODEFMT));
      for (int i = 0; i < records; i++) {
        System.arraycopy(map, i * DumpHeader.TP_BSIZE, record, 0, DumpHeader.TP_BSIZE);
        put(record);
      }
    }
  }

  /**
   * Writes one inode: a TS_INODE header, then TS_ADDR headers for every further 512 slots, each
   * followed by the records of its present slots; holes are zero slots with no record.
   */
  public void inode(InodeMeta meta, InodeData data) throws IOException {
    long slots = data.slots();
    long done = 0;
    HeaderType type = HeaderType.INODE;
    byte[][] group = new byte[DumpHeader.TP_NINDIR][];
    do {
      int n = (int) Math.min(DumpHeader.TP_NINDIR, slots - done);
      byte[] addr = new byte[DumpHeader.TP_NINDIR];
      for (int i = 0; i < n; i++) {
        byte[] r = group[i] != null ? group[i] : new byte[DumpHeader.TP_BSIZE];
        if (data.read(done + i, r)) {
          addr[i] = 1;
          group[i] = r;
        } else {
          addr[i] = 0;
        }
      }
      put(header(type, meta.ino(), meta, n, addr, DumpHeader.DR_NEWINODEFMT));
      for (int i = 0; i < n; i++) {
        if (addr[i] != 0) {
          put(group[i]);
        }
      }
      done += n;
      type = HeaderType.ADDR;
    } while (done < slots);
  }

  /** Writes the TS_END headers that finish the last tape record (at least one). */
  public void end(int maxino) throws IOException {
    do {
      put(header(HeaderType.END, maxino - 1, null, 0, null, DumpHeader.DR_NEWINODEFMT));
    } while (block.position() != 0);
  }

  private byte[] header(HeaderType type, int ino, InodeMeta m, int count, byte[] addr, int flags) {
    return new DumpHeader(
            type,
            label.date(),
            label.ddate(),
            volume,
            tapea,
            ino,
            m == null ? 0 : m.mode(),
            m == null ? 0 : m.nlink(),
            m == null ? 0 : m.size(),
            m == null ? 0 : m.atime(),
            m == null ? 0 : m.mtime(),
            m == null ? 0 : m.ctime(),
            m == null ? 0 : m.rdev(),
            0,
            m == null ? 0 : m.uid(),
            m == null ? 0 : m.gid(),
            count,
            addr,
            label.label(),
            label.level(),
            label.filesys(),
            label.dev(),
            label.host(),
            flags,
            0,
            ntrec)
        .encode();
  }

  private void put(byte[] rec) throws IOException {
    block.put(rec);
    tapea++;
    if (!block.hasRemaining()) {
      block.flip();
      sink.write(block);
      block.clear();
    }
  }
}
