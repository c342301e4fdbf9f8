package org.jrmt.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.TapeException;

/**
 * Puts a dump's stream of 1 KiB records on volumes: groups them into tape records of exactly {@code
 * ntrec} KiB as restore requires (the last one padded with TS_END headers), starts each volume with
 * its TS_TAPE header, stamps every header with its volume and stream index ({@link DumpHeader#at};
 * {@code c_tapea} counts every record, TS_TAPE included), and changes volumes. Not thread-safe.
 *
 * <p>A volume ends when it reaches its size limit (a clean cut: the next volume starts at the next
 * record) or when its tape takes no more (end of tape). Then the records of the tape records the
 * old volume did not take, which its {@link RecordWriter} hands back in their own buffers, go on
 * the next volume right after its TS_TAPE, their headers stamped anew, so the set reads exactly as
 * if the volume had been cut cleanly before them: {@code c_firstrec} = {@code c_tapea} of the
 * TS_TAPE = the stream index of the first record not on the old volume, {@code c_count} = the data
 * records still owed to the header then in progress. The writer keeps no copy of a record: for the
 * tape records not yet confirmed it keeps only which of their records are headers and the state of
 * the stream before them.
 *
 * <p>A device that fails otherwise (connection lost, I/O error) ends a write with a {@link
 * VolumeFailedException}. After {@link #rewrite}, the stream can be generated again from its start:
 * the records before the failed volume's first (counted from a checkpoint taken as the volume
 * began) are passed over, and the volume is written anew on the reopened device. {@link DumpJob}
 * does that, and decides whether to.
 */
public final class VolumeWriter implements DumpStream.Records {
  /** The smallest volume the stock restore reads from a file (its first read, in KiB). */
  public static final int MIN_VOLUME_KIB = 32;

  /** Where the volumes go: one {@link RecordWriter} per volume. */
  public interface Device {
    /** Closes the current volume, if any, and opens volume {@code number} (from 1). */
    RecordWriter open(int number) throws IOException;

    /**
     * Closes the current volume after a failure, whatever state it is in, and opens volume {@code
     * number} again from its start, to be written anew.
     */
    default RecordWriter reopen(int number) throws IOException {
      throw new IOException("this output cannot be rewritten");
    }

    /** The name of volume {@code number}, for messages. */
    String name(int number);
  }

  /**
   * The device of a volume failed, not at end of tape (connection lost, I/O error): the volume can
   * be written again from its start ({@link #rewrite}).
   */
  public static final class VolumeFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int volume;

    VolumeFailedException(int volume, IOException cause) {
      super(cause.getMessage(), cause);
      this.volume = volume;
    }

    /** The volume to write again. */
    public int volume() {
      return volume;
    }
  }

  /**
   * Where a volume starts in the stream: how many records of the stream came before it, and the
   * writer's state then. The stream is deterministic, so it can be generated again from its start
   * and taken up here.
   */
  private record Checkpoint(int volume, long content, int tapea, DumpHeader current, int owed) {}

  /**
   * A tape record handed to the volume's writer and not yet confirmed: which of its records are
   * headers, and the state of the stream before its first record. Its bytes are the writer's.
   */
  private record Sent(long block, BitSet headers, DumpHeader current, int owed) {}

  private final Device device;
  private final int ntrec;
  private final DumpStream.Label label;
  private final long[] volumeLimits;
  private final ByteBuffer block;
  private RecordWriter out;
  private int volume;
  private int tapea;

  /** Tape records handed over and not yet confirmed, oldest first. */
  private final ArrayDeque<Sent> sent = new ArrayDeque<>();

  /** The tape record being filled: which records are headers, and the state before its first. */
  private BitSet blockHeaders = new BitSet();

  private DumpHeader blockCurrent;
  private int blockOwed;

  /** The last inode or map header placed, and the data records it is still owed. */
  private DumpHeader current;

  private int owed;
  private long blocksOnVolume;
  private long recordsOnVolume;

  /** Records of the stream placed so far (TS_TAPE headers are not the stream's). */
  private long content;

  private Checkpoint checkpoint = new Checkpoint(1, 0, 0, null, 0);
  private LongConsumer onBlock = records -> {};

  /** While the stream is generated again up to the checkpoint: nothing is written. */
  private boolean skipping;

  /** Volume 1's TS_TAPE has yet to be written (at the first record). */
  private boolean firstVolumeDue = true;

  /**
   * A writer of {@code ntrec}-KiB tape records (1 to 1024) of the dump {@code label} onto the
   * volumes of {@code device}; volume i holds at most {@code kib[i]} KiB (the last value for all
   * later volumes), rounded down to whole tape records; an empty array means no limit.
   *
   * @throws IllegalArgumentException for limits {@link #checkLimits} refuses
   */
  public VolumeWriter(Device device, int ntrec, DumpStream.Label label, long[] kib) {
    checkLimits(ntrec, kib);
    this.device = device;
    this.ntrec = ntrec;
    this.label = label;
    this.volumeLimits = kib.clone();
    // Direct: a file or pipe takes it without a copy through a temporary buffer.
    this.block = ByteBuffer.allocateDirect(ntrec * DumpHeader.TP_BSIZE);
  }

  /**
   * Checks the record size and the volume sizes of {@code -b} and {@code -B}.
   *
   * @throws IllegalArgumentException naming the value, when {@code ntrec} is not 1 to 1024 or a
   *     volume would hold fewer than two tape records or less than {@link #MIN_VOLUME_KIB}: the
   *     stock restore reads the first 32 KiB of a volume file in one piece and takes all 32 records
   *     as read, whatever the file held, so it misreads a shorter volume
   */
  public static void checkLimits(int ntrec, long[] kib) {
    if (ntrec < 1 || ntrec > 1024) {
      throw new IllegalArgumentException("-b must be 1 to 1024 KiB, not " + ntrec);
    }
    for (long k : kib) {
      long whole = k / ntrec * ntrec;
      if (whole < 2L * ntrec) {
        throw new IllegalArgumentException(
            "-B " + k + ": a volume must hold at least two " + ntrec + " KiB records");
      }
      if (whole < MIN_VOLUME_KIB) {
        throw new IllegalArgumentException(
            "-B "
                + k
                + ": a volume must hold at least "
                + MIN_VOLUME_KIB
                + " KiB of whole "
                + ntrec
                + " KiB records (the stock restore reads a volume file's first 32 KiB in one"
                + " piece and misreads a shorter one)");
      }
    }
  }

  /** The encoder of this writer's dump, writing into it. */
  public DumpStream stream() {
    return new DumpStream(label, ntrec, this);
  }

  /** The volume being written, from 1 (0 before the first record). */
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

  @Override
  public void header(DumpHeader h) throws IOException {
    put(null, 0, h);
  }

  @Override
  public void data(ByteBuffer from, int offset) throws IOException {
    put(from, offset, null);
  }

  @Override
  public void end(DumpHeader end) throws IOException {
    padWith(end);
    if (skipping) {
      throw new IllegalStateException("the stream ended before the volume to rewrite");
    }
    while (true) {
      try {
        out.flush();
        return;
      } catch (TapeException e) {
        if (!e.isEndOfTape()) {
          throw failed(e);
        }
        cut();
        // The replay starts after a new TS_TAPE, so the last tape record it leaves may be partial.
        padWith(end);
      }
    }
  }

  /**
   * After a {@link VolumeFailedException}: reopens the failed volume's device and gets ready for
   * the stream to be generated again from its start; the records before the volume's first are then
   * passed over, and writing resumes there. A failure to reopen leaves it to be tried again.
   */
  public void rewrite() throws IOException {
    out = device.reopen(checkpoint.volume());
    volume = checkpoint.volume();
    sent.clear();
    block.clear();
    content = 0;
    current = null;
    owed = 0;
    if (volume == 1) {
      tapea = 0;
      firstVolumeDue = true;
    } else {
      skipping = true;
    }
  }

  private void padWith(DumpHeader end) throws IOException {
    do {
      put(null, 0, end);
    } while (block.position() != 0);
  }

  /**
   * Puts the next record of the stream: {@code header}, or the 1024 bytes at {@code offset} in
   * {@code from} when it is null.
   */
  private void put(ByteBuffer from, int offset, DumpHeader header) throws IOException {
    if (skipping) {
      if (content < checkpoint.content()) {
        content++;
        track(header);
        return;
      }
      resume();
    }
    if (firstVolumeDue) {
      firstVolumeDue = false;
      if (out == null) {
        volume = 1;
        out = device.open(1);
      }
      writeTapeHeader(null, 0);
    }
    for (long limit = limitRecords(); limit > 0 && recordsOnVolume >= limit; ) {
      cleanCut();
      limit = limitRecords();
    }
    place(from, offset, header, true);
  }

  /**
   * Puts a record into the tape record being filled, and sends that when it is full; a record of
   * the stream ({@code ofStream}, not a TS_TAPE) is counted and tracked before that.
   */
  private void place(ByteBuffer from, int offset, DumpHeader header, boolean ofStream)
      throws IOException {
    int at = block.position();
    if (at == 0) {
      blockHeaders = new BitSet();
      blockCurrent = current;
      blockOwed = owed;
    }
    if (header != null) {
      blockHeaders.set(at / DumpHeader.TP_BSIZE);
      header.at(volume, tapea).encode(block, at);
    } else {
      block.put(at, from, offset, DumpHeader.TP_BSIZE);
    }
    block.position(at + DumpHeader.TP_BSIZE);
    if (ofStream) {
      content++;
      track(header);
    }
    tapea++;
    recordsOnVolume++;
    if (!block.hasRemaining()) {
      emit();
    }
  }

  /** The header in progress and the data it is still owed, after {@code header} (or data). */
  private void track(DumpHeader header) {
    if (header != null) {
      current = header;
      owed = header.dataRecords();
    } else if (owed > 0) {
      owed--;
    }
  }

  /** Hands the full tape record to the volume's writer; the end of the tape means a cut. */
  private void emit() throws IOException {
    long index = blocksOnVolume++;
    Sent s = new Sent(index, blockHeaders, blockCurrent, blockOwed);
    block.flip();
    try {
      out.write(block);
    } catch (TapeException e) {
      sent.add(s);
      block.clear();
      if (!e.isEndOfTape()) {
        throw failed(e);
      }
      cut();
      return;
    }
    long confirmed = out.written();
    while (!sent.isEmpty() && sent.peekFirst().block() < confirmed) {
      sent.removeFirst();
    }
    if (index >= confirmed) {
      sent.add(s); // to replay it, should the volume end before the tape confirms it
    }
    block.clear();
    onBlock.accept(tapea);
  }

  private VolumeFailedException failed(TapeException e) {
    return new VolumeFailedException(
        volume, new IOException(device.name(volume) + ": " + e.getMessage(), e));
  }

  /** The record limit of the current volume, or 0 for none. */
  private long limitRecords() {
    if (volumeLimits.length == 0) {
      return 0;
    }
    long kib = volumeLimits[Math.min(volume - 1, volumeLimits.length - 1)];
    return kib / ntrec * ntrec;
  }

  /** The volume reached its size: wait for the tape to confirm it, then start the next one here. */
  private void cleanCut() throws IOException {
    try {
      out.flush();
    } catch (TapeException e) {
      if (!e.isEndOfTape()) {
        throw failed(e);
      }
      cut();
      return;
    }
    sent.clear();
    startVolume(current, owed);
  }

  /**
   * The volume took no more: the records of the tape records its writer hands back go on the next
   * volume after its TS_TAPE header, as if the cut had been clean at the first of them.
   */
  private void cut() throws IOException {
    try (RecordWriter.Unwritten lost = out.handBack()) {
      List<ByteBuffer> records = lost.records();
      long firstLost = blocksOnVolume - records.size();
      if (firstLost <= 1 || records.size() > sent.size()) {
        throw new IOException(
            device.name(volume)
                + ": end of tape at the start of volume "
                + volume
                + ": it holds nothing");
      }
      List<Sent> replay = new ArrayList<>(sent).subList(sent.size() - records.size(), sent.size());
      sent.clear();
      block.clear();
      tapea -= records.size() * ntrec;
      content -= (long) records.size() * ntrec;
      if (!replay.isEmpty()) {
        current = replay.get(0).current();
        owed = replay.get(0).owed();
      }
      startVolume(current, owed);
      byte[] header = new byte[DumpHeader.TP_BSIZE];
      for (int i = 0; i < replay.size(); i++) {
        ByteBuffer r = records.get(i);
        for (int k = 0; k < ntrec; k++) {
          int offset = r.position() + k * DumpHeader.TP_BSIZE;
          if (replay.get(i).headers().get(k)) {
            r.get(offset, header);
            put(null, 0, DumpHeader.decode(header, 0));
          } else {
            put(r, offset, null);
          }
        }
      }
    }
  }

  /** Opens the next volume and writes its TS_TAPE at the current stream index. */
  private void startVolume(DumpHeader inProgress, int owedRecords) throws IOException {
    volume++;
    checkpoint = new Checkpoint(volume, content, tapea, inProgress, owedRecords);
    // Not retried: no volume to rewrite is open yet, and a name that could not be had (the names
    // ran out, the operator stopped) must never fall back on the last volume's.
    out = device.open(volume);
    writeTapeHeader(inProgress, owedRecords);
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

  /**
   * Writes the TS_TAPE that starts volume {@link #volume} at the current stream index: on volume 1
   * with {@code c_count} 1, as dump writes it; on later ones with the inode fields of the header in
   * progress and {@code c_count} the data records still owed to it.
   */
  private void writeTapeHeader(DumpHeader inProgress, int owedRecords) throws IOException {
    blocksOnVolume = 0;
    recordsOnVolume = 0;
    block.clear();
    int flags = DumpHeader.DR_NEWHEADER | DumpHeader.DR_NEWINODEFMT;
    DumpHeader h;
    if (volume == 1) {
      h = label.header(HeaderType.TAPE, 0, null, 1, null, flags, 0, ntrec, 0);
    } else {
      byte[] addr = new byte[DumpHeader.TP_NINDIR];
      Arrays.fill(addr, 0, Math.min(owedRecords, DumpHeader.TP_NINDIR), (byte) 1);
      h =
          label.header(
              HeaderType.TAPE,
              inProgress == null ? 0 : inProgress.inumber(),
              inProgress == null ? null : meta(inProgress),
              owedRecords,
              addr,
              flags,
              tapea,
              ntrec,
              0);
    }
    place(null, 0, h, false);
  }

  /** The inode fields of {@code h}, for the TS_TAPE that continues it. */
  private static InodeMeta meta(DumpHeader h) {
    return new InodeMeta(
        h.inumber(),
        h.mode(),
        h.nlink(),
        h.uid(),
        h.gid(),
        h.size(),
        h.atime(),
        h.mtime(),
        h.ctime(),
        h.rdev(),
        h.fileFlags());
  }
}
