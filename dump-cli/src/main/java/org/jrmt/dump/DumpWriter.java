package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes a dump stream: a volume header, the two inode maps, inodes with their data, and the end,
 * grouped into tape records of exactly {@code ntrec} KiB as restore requires (the last one padded
 * with TS_END headers). Counts every record in {@code c_tapea}. Not thread-safe.
 *
 * <p>Volumes: when the sink reports a full volume, or a volume reaches its size limit, the writer
 * asks the sink for the next volume, writes a TS_TAPE header there and goes on. On a full volume it
 * first replays every record of the blocks the old volume did not take, right after the new
 * TS_TAPE, their headers renumbered, so the set reads exactly as if the volume had been cut cleanly
 * before them: {@code c_firstrec} = {@code c_tapea} of the TS_TAPE = the stream index of the first
 * record not on the old volume, {@code c_count} = the data records still owed to the header then in
 * progress.
 *
 * <p>A device that fails otherwise (connection lost, I/O error) ends a write with a {@link
 * VolumeFailedException}; the caller may then {@link #rewind} and generate the stream again from
 * its start: the writer passes over the records before the failed volume's first (counted from a
 * checkpoint taken as the volume began) and writes the volume anew on the reopened device.
 */
public final class DumpWriter {
  /** Where finished tape records go: each write is exactly {@code ntrec * 1024} bytes. */
  public interface BlockSink {
    /**
     * Hands one tape record to the current volume.
     *
     * @throws VolumeFullException when the volume took no more
     */
    void write(ByteBuffer block) throws IOException;

    /**
     * Waits until every block handed over is on the volume.
     *
     * @throws VolumeFullException when the volume took no more
     */
    default void flush() throws IOException {}

    /** Blocks of the current volume known to be on it (all of them for unbuffered sinks). */
    long acknowledged();

    /** Closes the current volume and opens volume {@code number}. */
    void nextVolume(int number) throws IOException;

    /**
     * Closes the current volume after a failure, whatever state it is in, and opens it again from
     * its start, to be written anew.
     */
    default void reopen() throws IOException {
      throw new IOException("this output cannot be rewritten");
    }
  }

  /** Decides whether a volume whose device failed (not at end of tape) is written again. */
  public interface Retry {
    /** Never: the failure ends the dump. */
    Retry NEVER = (volume, attempt, cause) -> false;

    /**
     * Called before attempt {@code attempt} (from 1) at rewriting {@code volume}; may pause.
     *
     * @return true to reopen the device and rewrite the volume from its start
     */
    boolean again(int volume, int attempt, IOException cause) throws IOException;
  }

  /**
   * The device of a volume failed, not at end of tape (connection lost, I/O error): the volume can
   * be rewritten from its start with {@link DumpWriter#rewind}.
   */
  public static final class VolumeFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    VolumeFailedException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Where a volume starts in the stream: how many records other than TS_TAPE came before it, and
   * the writer's state then. The record stream is deterministic, so it can be regenerated from the
   * start and taken up again here.
   */
  private record Checkpoint(int volume, long content, int tapea, DumpHeader current, int owed) {}

  /**
   * A block handed to the sink and not yet acknowledged: its bytes, which of its records are
   * headers, and the state the stream was in before its first record.
   */
  private record Pending(long block, byte[] bytes, BitSet headers, DumpHeader current, int owed) {}

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
  private final long[] volumeLimits;
  private final ByteBuffer block;
  private int tapea;
  private int volume = 1;

  /** Blocks handed over and not yet acknowledged, oldest first. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /**
   * The copies of acknowledged blocks, kept for the next ones: a window of MiB blocks allocated
   * afresh each time cost more in page faults than the copying itself.
   */
  private final ArrayDeque<byte[]> spares = new ArrayDeque<>();

  /** The block being filled: which records are headers, and the state before its first. */
  private BitSet blockHeaders = new BitSet();

  private DumpHeader blockCurrent;
  private int blockOwed;

  /** The last inode or map header written, and the data records it is still owed. */
  private DumpHeader current;

  private int owed;
  private long blocksOnVolume;
  private long recordsOnVolume;

  /** Records other than TS_TAPE put so far: a position in the regenerated stream. */
  private long content;

  private Checkpoint checkpoint = new Checkpoint(1, 0, 0, null, 0);
  private Retry retry = Retry.NEVER;
  private LongConsumer onBlock = records -> {};
  private int attempts;

  /** While regenerating the stream up to the checkpoint: nothing is written. */
  private boolean skipping;

  /**
   * A writer of {@code ntrec}-KiB tape records (1 to 1024) into {@code sink}, volumes unlimited.
   */
  public DumpWriter(BlockSink sink, int ntrec, Label label) {
    this(sink, ntrec, label, new long[0]);
  }

  /**
   * A writer that also cuts volumes at a size: volume i holds at most {@code kib[i]} KiB (the last
   * value for all later volumes), rounded down to whole tape records; an empty array means no
   * limit.
   */
  public DumpWriter(BlockSink sink, int ntrec, Label label, long[] kib) {
    if (ntrec < 1 || ntrec > 1024) {
      throw new IllegalArgumentException("records per write must be 1 to 1024, not " + ntrec);
    }
    for (long k : kib) {
      if (k < 2L * ntrec) {
        throw new IllegalArgumentException("a volume must hold at least two tape records");
      }
    }
    this.sink = sink;
    this.ntrec = ntrec;
    this.label = label;
    this.volumeLimits = kib.clone();
    // Direct: a file or pipe takes it without a copy through a temporary buffer.
    this.block = ByteBuffer.allocateDirect(ntrec * DumpHeader.TP_BSIZE);
  }

  /** The volume being written, from 1. */
  public int volume() {
    return volume;
  }

  /** Records written so far: the next record's {@code c_tapea}. */
  public int tapea() {
    return tapea;
  }

  /** Told the number of records written ({@link #tapea}) after each tape record goes out. */
  public void onBlock(LongConsumer listener) {
    this.onBlock = listener;
  }

  /** How a failed volume is handled: {@link Retry#NEVER} unless set. */
  public void retry(Retry policy) {
    this.retry = policy;
  }

  /**
   * After a {@link VolumeFailedException}: asks the retry policy, reopens the device and gets ready
   * for the stream to be generated again from its start (from {@link #begin}); the records before
   * the failed volume's first are then passed over, and writing resumes there.
   *
   * @throws IOException naming the cause when the policy gives up
   */
  public void rewind(VolumeFailedException failure) throws IOException {
    IOException cause = (IOException) failure.getCause();
    while (true) {
      attempts++;
      if (!retry.again(checkpoint.volume(), attempts, cause)) {
        throw cause;
      }
      try {
        sink.reopen();
        break;
      } catch (IOException e) {
        cause = e;
      }
    }
    pending.clear();
    block.clear();
    content = 0;
    current = null;
    owed = 0;
    if (checkpoint.volume() == 1) {
      tapea = 0;
      blocksOnVolume = 0;
      recordsOnVolume = 0;
    } else {
      skipping = true;
    }
  }

  /** Writes the first volume's header. */
  public void begin() throws IOException {
    putHeader(
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
      putHeader(header(t, maxino - 1, null, records, null, DumpHeader.DR_NEWINODEFMT));
      for (int i = 0; i < records; i++) {
        put(map, i * DumpHeader.TP_BSIZE, null);
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
        putHeader(header(type, meta.ino(), meta, n, addr, DumpHeader.DR_NEWINODEFMT));
        for (int i = 0; i < n; i++) {
          if (group.present(i)) {
            put(group.data(), i * DumpHeader.TP_BSIZE, null);
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
    putHeader(
        header(
            HeaderType.INODE,
            m.ino(),
            m,
            n,
            addr,
            DumpHeader.DR_NEWINODEFMT | XattrBlock.DR_EXTATTRIBUTES,
            0,
            XattrBlock.EXT_XATTR));
    for (int i = 0; i < n; i++) {
      put(block, i * DumpHeader.TP_BSIZE, null);
    }
  }

  /**
   * Writes the TS_END headers that finish the last tape record (at least one) and waits until every
   * record is on a volume, changing volumes as often as that takes.
   */
  public void end(int maxino) throws IOException {
    padWithEnd(maxino);
    if (skipping) {
      throw new IllegalStateException("the stream ended before the volume to rewrite");
    }
    while (true) {
      try {
        sink.flush();
        return;
      } catch (VolumeFullException full) {
        cut(full);
        // The replay starts after a new TS_TAPE, so the last block it leaves may be partial.
        padWithEnd(maxino);
      } catch (IOException e) {
        throw new VolumeFailedException(e);
      }
    }
  }

  private void padWithEnd(int maxino) throws IOException {
    do {
      putHeader(header(HeaderType.END, maxino - 1, null, 0, null, DumpHeader.DR_NEWINODEFMT));
    } while (block.position() != 0);
  }

  private DumpHeader header(
      HeaderType type, int ino, InodeMeta m, int count, byte[] addr, int flags) {
    return header(type, ino, m, count, addr, flags, 0, 0);
  }

  private DumpHeader header(
      HeaderType type,
      int ino,
      InodeMeta m,
      int count,
      byte[] addr,
      int flags,
      int firstrec,
      int extAttributes) {
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
        m == null ? 0 : m.flags(),
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
        firstrec,
        ntrec,
        extAttributes);
  }

  private void putHeader(DumpHeader h) throws IOException {
    put(h.encode(), 0, h);
  }

  private void put(byte[] from, int offset, DumpHeader header) throws IOException {
    put(ByteBuffer.wrap(from), offset, header);
  }

  /**
   * Puts the record at {@code offset} in {@code from}; {@code header} is the record decoded when it
   * is a header, else null.
   */
  private void put(ByteBuffer from, int offset, DumpHeader header) throws IOException {
    boolean tapeHeader = header != null && header.type() == HeaderType.TAPE;
    if (skipping) {
      if (tapeHeader) {
        return;
      }
      if (content < checkpoint.content()) {
        content++;
        track(header);
        return;
      }
      resume();
    }
    long limit = limitRecords();
    if (limit > 0 && recordsOnVolume == limit) {
      cleanCut();
    }
    if (header != null && (header.tapea() != tapea || header.volume() != volume)) {
      // Built before a volume header went in ahead of it (a cut, or the resumption of a
      // rewritten volume): c_tapea is the index of the header itself, c_volume its volume.
      putHeader(renumbered(header.encode(), 0));
      return;
    }
    if (!tapeHeader) {
      content++;
    }
    if (block.position() == 0) {
      blockHeaders = new BitSet();
      blockCurrent = current;
      blockOwed = owed;
    }
    if (header != null) {
      blockHeaders.set(block.position() / DumpHeader.TP_BSIZE);
    }
    block.put(block.position(), from, offset, DumpHeader.TP_BSIZE);
    block.position(block.position() + DumpHeader.TP_BSIZE);
    if (header != null) {
      if (header.type() != HeaderType.TAPE) {
        current = header;
        owed = header.dataRecords();
      }
    } else if (owed > 0) {
      owed--;
    }
    tapea++;
    recordsOnVolume++;
    if (!block.hasRemaining()) {
      emit();
    }
  }

  /** Hands the full block to the sink; a full volume means a cut and a replay. */
  private void emit() throws IOException {
    long index = blocksOnVolume++;
    block.flip();
    try {
      sink.write(block);
    } catch (VolumeFullException full) {
      pending.add(copyOfBlock(index));
      block.clear();
      cut(full);
      return;
    } catch (IOException e) {
      throw new VolumeFailedException(e);
    }
    long acked = sink.acknowledged();
    while (!pending.isEmpty() && pending.peekFirst().block() < acked) {
      spares.push(pending.removeFirst().bytes());
    }
    if (index >= acked) {
      // Kept for a replay should the volume end before the sink confirms it.
      pending.add(copyOfBlock(index));
    }
    block.clear();
    onBlock.accept(tapea);
  }

  private Pending copyOfBlock(long index) {
    byte[] bytes = spares.isEmpty() ? new byte[ntrec * DumpHeader.TP_BSIZE] : spares.pop();
    block.get(0, bytes);
    return new Pending(index, bytes, blockHeaders, blockCurrent, blockOwed);
  }

  /** The record limit of the current volume, or 0 for none. */
  private long limitRecords() {
    if (volumeLimits.length == 0) {
      return 0;
    }
    long kib = volumeLimits[Math.min(volume - 1, volumeLimits.length - 1)];
    return kib / ntrec * ntrec;
  }

  /** The volume reached its size: flush, then start the next one here. */
  private void cleanCut() throws IOException {
    try {
      sink.flush();
    } catch (VolumeFullException full) {
      cut(full);
      return;
    } catch (IOException e) {
      throw new VolumeFailedException(e);
    }
    pending.clear();
    startVolume(current, owed);
  }

  /**
   * The volume took no more: the records of its last {@code unwrittenBlocks} blocks (and of any
   * block being filled) go on the next volume after its TS_TAPE header, as if the cut had been
   * clean at the first of them.
   */
  private void cut(VolumeFullException full) throws IOException {
    long firstLost = blocksOnVolume - full.unwrittenBlocks();
    if (firstLost <= 1) {
      throw new IOException(
          "end of tape at the start of volume " + volume + ": it holds nothing", full);
    }
    List<Pending> replay = new ArrayList<>();
    for (Pending p : pending) {
      if (p.block() >= firstLost) {
        replay.add(p);
      }
    }
    pending.clear();
    block.clear();
    tapea -= replay.size() * ntrec;
    content -= replay.size() * ntrec;
    Pending first = replay.isEmpty() ? null : replay.get(0);
    startVolume(first == null ? current : first.current(), first == null ? owed : first.owed());
    if (first != null) {
      current = first.current();
      owed = first.owed();
    }
    for (Pending p : replay) {
      for (int r = 0; r < ntrec; r++) {
        int offset = r * DumpHeader.TP_BSIZE;
        if (p.headers().get(r)) {
          putHeader(renumbered(p.bytes(), offset));
        } else {
          put(p.bytes(), offset, null);
        }
      }
    }
  }

  /** Opens the next volume and writes its TS_TAPE at the current stream index. */
  private void startVolume(DumpHeader inProgress, int owedRecords) throws IOException {
    volume++;
    checkpoint = new Checkpoint(volume, content, tapea, inProgress, owedRecords);
    attempts = 0;
    // Not retried: no volume to rewrite is open yet, and a name that could not be had (the names
    // ran out, the operator stopped) must never fall back on the last volume's.
    sink.nextVolume(volume);
    writeTapeHeader(inProgress, owedRecords);
  }

  /** While passing over the regenerated records: the header in progress and its data owed. */
  private void track(DumpHeader header) {
    if (header != null) {
      current = header;
      owed = header.dataRecords();
    } else if (owed > 0) {
      owed--;
    }
  }

  /**
   * The regenerated stream reached the rewritten volume's first record: write from here, unless the
   * stream no longer lines up with the volumes already written (a file's holes changed since, so
   * its record count did): continuing would make a set no restore can read.
   */
  private void resume() throws IOException {
    skipping = false;
    if (owed != checkpoint.owed() || inumber(current) != inumber(checkpoint.current())) {
      throw new IOException(
          "cannot rewrite volume "
              + checkpoint.volume()
              + ": the tree changed since it began (the stream no longer lines up with volume "
              + (checkpoint.volume() - 1)
              + "); start the dump again");
    }
    tapea = checkpoint.tapea();
    current = checkpoint.current();
    owed = checkpoint.owed();
    writeTapeHeader(current, owed);
  }

  private static int inumber(DumpHeader h) {
    return h == null ? 0 : h.inumber();
  }

  /** Writes the TS_TAPE that starts volume {@code volume} at the current stream index. */
  private void writeTapeHeader(DumpHeader inProgress, int owedRecords) throws IOException {
    blocksOnVolume = 0;
    recordsOnVolume = 0;
    block.clear();
    InodeMeta m =
        inProgress == null
            ? null
            : new InodeMeta(
                inProgress.inumber(),
                inProgress.mode(),
                inProgress.nlink(),
                inProgress.uid(),
                inProgress.gid(),
                inProgress.size(),
                inProgress.atime(),
                inProgress.mtime(),
                inProgress.ctime(),
                inProgress.rdev(),
                inProgress.fileFlags());
    byte[] addr = new byte[DumpHeader.TP_NINDIR];
    Arrays.fill(addr, 0, Math.min(owedRecords, DumpHeader.TP_NINDIR), (byte) 1);
    putHeader(
        header(
            HeaderType.TAPE,
            inProgress == null ? 0 : inProgress.inumber(),
            m,
            owedRecords,
            addr,
            DumpHeader.DR_NEWHEADER | DumpHeader.DR_NEWINODEFMT,
            tapea,
            0));
  }

  /** A header record of the old volume with this volume's number and its new stream index. */
  private DumpHeader renumbered(byte[] bytes, int offset) throws DumpFormatException {
    DumpHeader h = DumpHeader.decode(bytes, offset);
    return new DumpHeader(
        h.type(),
        h.date(),
        h.ddate(),
        volume,
        tapea,
        h.inumber(),
        h.mode(),
        h.nlink(),
        h.size(),
        h.atime(),
        h.mtime(),
        h.ctime(),
        h.rdev(),
        h.fileFlags(),
        h.uid(),
        h.gid(),
        h.count(),
        h.addr(),
        h.label(),
        h.level(),
        h.filesys(),
        h.dev(),
        h.host(),
        h.flags(),
        h.firstrec(),
        h.ntrec(),
        h.extAttributes());
  }
}
