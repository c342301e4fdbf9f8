package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encodes a dump as its stream of 1 KiB records: the two inode maps, each inode as a TS_INODE
 * header and TS_ADDR headers with the records of its data, EA records, and the end. Every header
 * carries what the dump says about itself (its {@link Label}) and nothing about where it goes: the
 * records are handed to {@link Records} (a {@link VolumeWriter}), which groups them into tape
 * records, cuts volumes, writes their TS_TAPE headers and stamps each header with its volume and
 * stream index ({@link DumpHeader#at}). Not thread-safe.
 */
public final class DumpStream {
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
      int date, int ddate, int level, String label, String filesys, String dev, String host) {

    /**
     * A header of this dump, not yet placed ({@code c_volume} and {@code c_tapea} 0), with the
     * inode fields of {@code m} (zeros without one).
     */
    public DumpHeader header(
        HeaderType type,
        int ino,
        InodeMeta m,
        int count,
        byte[] addr,
        int flags,
        int firstrec,
        int ntrec,
        int extAttributes) {
      return new DumpHeader(
          type,
          date,
          ddate,
          0,
          0,
          ino,
          m == null ? 0 : m.mode(),
          m == null ? 0 : m.nlink(),
          m == null ? 0 : m.size(),
          m == null ? 0 : m.atime(),
          m == null ? 0 : m.mtime(),
          m == null ? 0 : m.ctime(),
          m == null ? 0 : m.rdev(),
          m == null ? 0 : m.flags(),
          m == null ? 0 : m.uid(),
          m == null ? 0 : m.gid(),
          count,
          addr,
          label,
          level,
          filesys,
          dev,
          host,
          flags,
          firstrec,
          ntrec,
          extAttributes);
    }

    /**
     * True when {@code h} is a header this dump wrote: every field that names the dump (date, base
     * date, level, label, file system, device, host) is this label's.
     */
    public boolean names(DumpHeader h) {
      return h.date() == date
          && h.ddate() == ddate
          && h.level() == level
          && h.label().equals(label)
          && h.filesys().equals(filesys)
          && h.dev().equals(dev)
          && h.host().equals(host);
    }
  }

  /** Where the records go, in stream order. */
  public interface Records {
    /** The next record is the header {@code h}, to be stamped with its place. */
    void header(DumpHeader h) throws IOException;

    /** The next record is data: the 1024 bytes of {@code from} at index {@code offset}. */
    void data(ByteBuffer from, int offset) throws IOException;

    /**
     * The stream is complete: {@code end} (a TS_END header) as often as it takes to finish the last
     * tape record, at least once; returns when every record is on a volume.
     */
    void end(DumpHeader end) throws IOException;
  }

  private final Label label;
  private final int ntrec;
  private final Records out;

  /** A stream of the dump {@code label} in {@code ntrec}-KiB tape records, into {@code out}. */
  public DumpStream(Label label, int ntrec, Records out) {
    this.label = label;
    this.ntrec = ntrec;
    this.out = out;
  }

  /** What the headers of this dump say about it. */
  public Label label() {
    return label;
  }

  /** Writes TS_CLRI (every inode in use) and TS_BITS (every inode on this dump). */
  public void maps(InodeMap clri, InodeMap bits, int maxino) throws IOException {
    for (HeaderType t : new HeaderType[] {HeaderType.CLRI, HeaderType.BITS}) {
      ByteBuffer map = ByteBuffer.wrap((t == HeaderType.CLRI ? clri : bits).encode(maxino));
      int records = map.capacity() / DumpHeader.TP_BSIZE;
      out.header(header(t, maxino - 1, null, records, null, DumpHeader.DR_NEWINODEFMT, 0));
      for (int i = 0; i < records; i++) {
        out.data(map, i * DumpHeader.TP_BSIZE);
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
    long g = 0;
    HeaderType type = HeaderType.INODE;
    do {
      int n = (int) Math.min(DumpHeader.TP_NINDIR, slots - done);
      SlotGroup group = n == 0 ? null : data.group(g);
      try {
        byte[] addr = new byte[DumpHeader.TP_NINDIR];
        for (int i = 0; i < n; i++) {
          addr[i] = (byte) (group.present(i) ? 1 : 0);
        }
        out.header(header(type, meta.ino(), meta, n, addr, DumpHeader.DR_NEWINODEFMT, 0));
        for (int i = 0; i < n; i++) {
          if (group.present(i)) {
            out.data(group.data(), i * DumpHeader.TP_BSIZE);
          }
        }
      } finally {
        if (group != null) {
          group.release();
        }
      }
      done += n;
      g++;
      type = HeaderType.ADDR;
    } while (done < slots);
  }

  /**
   * Writes the EA record of the inode just written: a TS_INODE with its fields, {@code
   * DR_EXTATTRIBUTES} and {@code c_extattributes} 3, {@code di_size} the size of {@code block} (a
   * multiple of 1 KiB, at most 4 KiB, from {@link XattrBlock#encode}), then the block's records.
   */
  public void attributes(InodeMeta meta, byte[] block) throws IOException {
    int n = block.length / DumpHeader.TP_BSIZE;
    if (n == 0
        || n > XattrBlock.MAX_BYTES / DumpHeader.TP_BSIZE
        || block.length % DumpHeader.TP_BSIZE != 0) {
      throw new IllegalArgumentException("an EA block of " + block.length + " bytes");
    }
    byte[] addr = new byte[DumpHeader.TP_NINDIR];
    Arrays.fill(addr, 0, n, (byte) 1);
    InodeMeta m = meta.withSize(block.length);
    out.header(
        header(
            HeaderType.INODE,
            m.ino(),
            m,
            n,
            addr,
            DumpHeader.DR_NEWINODEFMT | XattrBlock.DR_EXTATTRIBUTES,
            XattrBlock.EXT_XATTR));
    ByteBuffer data = ByteBuffer.wrap(block);
    for (int i = 0; i < n; i++) {
      out.data(data, i * DumpHeader.TP_BSIZE);
    }
  }

  /**
   * Writes the TS_END headers that finish the last tape record (at least one) and waits until every
   * record is on a volume.
   */
  public void end(int maxino) throws IOException {
    out.end(header(HeaderType.END, maxino - 1, null, 0, null, DumpHeader.DR_NEWINODEFMT, 0));
  }

  private DumpHeader header(
      HeaderType type, int ino, InodeMeta m, int count, byte[] addr, int flags, int ext) {
    return label.header(type, ino, m, count, addr, flags, 0, ntrec, ext);
  }
}
