package org.jrmt.tape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.SimhFormat.Kind;
import org.jrmt.tape.SimhFormat.SimhObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual tape in a SIMH {@code .tap} file (see {@link SimhFormat} for the layout).
 *
 * <p>Offset 0 is the beginning of the tape. Recorded data ends at the first end-of-medium marker
 * (0xFFFFFFFF) or at the physical end of the file; this tape never writes such a marker, since a
 * SIMH tape ends at its physical end of file anyway. Erase gaps, private records and markers of
 * unknown classes are passed over; a record flagged bad reads as {@code EIO}.
 *
 * <p>Behaviour follows a real drive: writing anywhere cuts off everything after the write point;
 * closing after writing records writes a filemark (unless disabled), as st does; the first read at
 * the end of data returns 0 and a second one fails with {@code EIO}; a record longer than the read
 * buffer fails with {@code ENOMEM} and is skipped. The file number is always known; the block
 * number becomes {@link TapePosition#UNKNOWN} after spacing backward over a filemark until the tape
 * next crosses a filemark forward or rewinds.
 *
 * <p>The capacity bounds the file size, framing included. A record or filemark that would not fit
 * writes nothing and is reported per {@link EndOfTapeMode} (filemarks always throw {@code ENOSPC}).
 * More than {@link #MAX_FILEMARKS} filemarks in one call are refused with {@code EINVAL}.
 *
 * <p>Crash repair, on open. A writer killed (or a host that lost power) mid-backup leaves the tape
 * ending in the middle of its last file, possibly in the middle of an object. When the tape is
 * opened for writing:
 *
 * <ol>
 *   <li>a torn tail (an object cut short, or a last record whose trailing length word does not
 *       match) is cut off, back to the last whole object;
 *   <li>then, if the recorded data ends with a record rather than a filemark and {@link
 *       Options#filemarkOnClose} is on (so every file this class writes ends with one), the
 *       filemark the writer's close would have written is added.
 * </ol>
 *
 * <p>That is what a drive leaves after power loss, the records it had written, made into what
 * {@code restore -s N} and {@code mt fsf} count on: the crashed file stays a file of its own, with
 * every whole record of it readable up to its filemark, and the next backup appended at the end of
 * data is the next file number instead of joining the crashed one. Opened read-only, the tape is
 * not changed: the torn bytes are ignored and the last file reads up to the end of data. A warning
 * is logged for every repair. Not thread-safe.
 */
public final class SimhTape implements Tape {
  private static final Logger log = LoggerFactory.getLogger(SimhTape.class);

  /**
   * The most filemarks one {@link #writeFilemarks} call writes: a 12-byte {@code I5} request must
   * not make gigabytes of file (2^31 marks are 8 GiB); no client writes more than a few.
   */
  public static final int MAX_FILEMARKS = 4096;

  /**
   * How a SIMH tape behaves.
   *
   * @param capacity the largest file size, framing included, in bytes
   * @param endOfTapeMode how a record write that does not fit is reported
   * @param syncPolicy when data is forced to stable storage
   * @param writeProtected the medium's write-protect tab: opening for writing fails with EROFS
   * @param filemarkOnClose write a filemark when closing, rewinding, unloading or backspacing files
   *     right after writing records, as Linux st does
   */
  public record Options(
      long capacity,
      EndOfTapeMode endOfTapeMode,
      SyncPolicy syncPolicy,
      boolean writeProtected,
      boolean filemarkOnClose) {

    /** Validates the options. */
    public Options {
      if (capacity < 0) {
        throw new IllegalArgumentException("negative capacity " + capacity);
      }
      Objects.requireNonNull(endOfTapeMode, "endOfTapeMode");
      Objects.requireNonNull(syncPolicy, "syncPolicy");
    }

    /**
     * Unlimited capacity, {@link EndOfTapeMode#ENOSPC} (Linux st), {@link SyncPolicy#DEFAULT}, not
     * write-protected, filemark on close.
     */
    public static Options defaults() {
      return new Options(Long.MAX_VALUE, EndOfTapeMode.ENOSPC, SyncPolicy.DEFAULT, false, true);
    }

    /** These options with another capacity. */
    public Options withCapacity(long bytes) {
      return new Options(bytes, endOfTapeMode, syncPolicy, writeProtected, filemarkOnClose);
    }

    /** These options with another end-of-tape mode. */
    public Options withEndOfTapeMode(EndOfTapeMode mode) {
      return new Options(capacity, mode, syncPolicy, writeProtected, filemarkOnClose);
    }

    /** These options with another sync policy. */
    public Options withSyncPolicy(SyncPolicy policy) {
      return new Options(capacity, endOfTapeMode, policy, writeProtected, filemarkOnClose);
    }

    /** These options with the write-protect tab set or cleared. */
    public Options withWriteProtected(boolean on) {
      return new Options(capacity, endOfTapeMode, syncPolicy, on, filemarkOnClose);
    }

    /** These options with filemark-on-close set or cleared. */
    public Options withFilemarkOnClose(boolean on) {
      return new Options(capacity, endOfTapeMode, syncPolicy, writeProtected, on);
    }
  }

  private final Path path;
  private final OpenMode mode;
  private final Options options;
  private final FileChannel ch;
  private final SimhFormat format = new SimhFormat();
  private final boolean mediumProtected;
  private final ByteBuffer header = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer trailer = ByteBuffer.allocateDirect(5).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer[] frame = new ByteBuffer[3];

  /** File size in bytes; recorded data may end earlier, at an end-of-medium marker. */
  private long size;

  /** The channel's own position when known, else -1; saves an lseek before each record. */
  private long channelPosition = -1;

  private long pos;
  private long fileNumber;
  private long blockNumber;
  private boolean endOfDataReported;
  private boolean metEndOfTape;
  private boolean recordsWrittenSinceMark;
  private boolean offline;
  private boolean closed;

  /**
   * Where the end of data is, as the walk at open found it, while nothing has been written since:
   * the offset, file and block numbers there, so {@link #seekEndOfData} from the beginning (as
   * every append-only open does) need not walk the tape a second time. {@code endOffset < 0}:
   * unknown.
   */
  private long endOffset = -1;

  private long endFile;
  private long endBlock;

  private SimhTape(Path path, OpenMode mode, Options options, FileChannel ch, boolean prot) {
    this.path = path;
    this.mode = mode;
    this.options = options;
    this.ch = ch;
    this.mediumProtected = prot;
  }

  /** Opens {@code path} with {@link Options#defaults()}. */
  public static SimhTape open(Path path, OpenMode mode) throws TapeException {
    return open(path, mode, Options.defaults());
  }

  /**
   * Opens a SIMH tape at the beginning of the tape.
   *
   * @throws TapeException {@code EROFS} when opening a write-protected tape for writing; {@code
   *     EINVAL} for {@link OpenMode.Flag#APPEND} or truncating a read-only open; the file system's
   *     errno (ENOENT, EACCES, EEXIST …) when the file cannot be opened
   */
  public static SimhTape open(Path path, OpenMode mode, Options options) throws TapeException {
    if (mode.has(OpenMode.Flag.APPEND)) {
      throw new TapeException(Errno.EINVAL, "a tape cannot be opened for appending");
    }
    if (mode.has(OpenMode.Flag.TRUNCATE) && !mode.canWrite()) {
      throw new TapeException(Errno.EINVAL, "truncating needs write access");
    }
    if (options.writeProtected() && mode.canWrite()) {
      throw new TapeException(Errno.EROFS, "tape is write-protected: " + path);
    }
    // Always readable: spacing, repair and end-of-data search read the file even when the
    // caller may only write.
    Set<StandardOpenOption> opts = EnumSet.of(StandardOpenOption.READ);
    if (mode.canWrite()) {
      opts.add(StandardOpenOption.WRITE);
      if (mode.has(OpenMode.Flag.CREATE)) {
        opts.add(
            mode.has(OpenMode.Flag.EXCLUSIVE)
                ? StandardOpenOption.CREATE_NEW
                : StandardOpenOption.CREATE);
      }
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(path, Tapes.noFollow(opts));
    } catch (IOException | UnsupportedOperationException e) {
      throw IoErrors.toTapeException("open " + path, e);
    }
    // One writer or many readers across processes too (two jrmt processes behind ssh): the lock
    // comes before truncating, so a second writer cannot wipe the tape under the first.
    lockOrClose(ch, path, !mode.canWrite());
    if (mode.has(OpenMode.Flag.TRUNCATE)) {
      try {
        ch.truncate(0);
      } catch (IOException e) {
        closeQuietly(ch);
        throw IoErrors.toTapeException("truncate " + path, e);
      }
    }
    boolean prot = options.writeProtected() || !Files.isWritable(path);
    SimhTape tape = new SimhTape(path, mode, options, ch, prot);
    try {
      tape.size = ch.size();
      tape.repairCrashedTail();
    } catch (IOException e) {
      closeQuietly(ch);
      throw IoErrors.toTapeException("open " + path, e);
    }
    return tape;
  }

  private static void lockOrClose(FileChannel ch, Path path, boolean shared) throws TapeException {
    FileLock lock;
    try {
      lock = ch.tryLock(0, Long.MAX_VALUE, shared);
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(ch);
      throw IoErrors.toTapeException("lock " + path, e);
    }
    if (lock == null) {
      closeQuietly(ch);
      throw new TapeException(Errno.EBUSY, "tape in use by another process: " + path);
    }
  }

  /**
   * Walks the whole tape once and repairs what a crash of its writer left at its end: an object cut
   * short is cut off, and a last file without its closing filemark gets one (see the class
   * comment). Damage in the middle of the tape is left for reads to report.
   */
  private void repairCrashedTail() throws IOException {
    long at = 0;
    Kind last = null;
    long marks = 0;
    long records = 0;
    while (true) {
      SimhObject o = format.forward(ch, at, size);
      switch (o.kind()) {
        case END -> {
          long end = o.start();
          // An end-of-medium marker before the end of the file was written on purpose.
          if (end == size && closeCrashedFile(last)) {
            end = size;
            marks++;
            records = 0;
          }
          rememberEnd(end, marks, records);
          return;
        }
        case TORN -> {
          // A mismatched trailer in the middle of the file is damage, not a torn tail.
          if (o.end() < size) {
            return;
          }
          cutTornTail(o.start());
          if (closeCrashedFile(last)) {
            marks++;
            records = 0;
          }
          rememberEnd(size, marks, records);
          return;
        }
        case TAPE_MARK -> {
          last = o.kind();
          marks++;
          records = 0;
        }
        case DATA, BAD -> {
          last = o.kind();
          records++;
        }
        default -> {}
      }
      at = o.end();
    }
  }

  private void rememberEnd(long offset, long file, long block) {
    endOffset = offset;
    endFile = file;
    endBlock = block;
  }

  private void cutTornTail(long at) throws IOException {
    long cut = size - at;
    if (mode.canWrite()) {
      log.warn(
          "Torn tail in {}: cut {} bytes at offset {} back to the last whole object",
          path,
          cut,
          at);
      ch.truncate(at);
    } else {
      log.warn("Torn tail in {}: ignoring {} bytes at offset {} (opened read-only)", path, cut, at);
    }
    size = at;
  }

  /**
   * Ends the last file with the filemark its writer's close would have written, when the recorded
   * data ends with a record: with {@link Options#filemarkOnClose} every file this class writes ends
   * with a filemark, so a last file without one is one whose writer died. Only when the tape is
   * open for writing and has room; a read-only open leaves the tape as it is.
   */
  private boolean closeCrashedFile(Kind last) throws IOException {
    if ((last != Kind.DATA && last != Kind.BAD) || !options.filemarkOnClose()) {
      return false;
    }
    if (!mode.canWrite()) {
      log.info("{} ends without the filemark closing its last file (opened read-only)", path);
    } else if (4 > options.capacity() - size) {
      log.warn("{} ends without the filemark closing its last file, and has no room for it", path);
    } else {
      log.warn(
          "{} ends without the filemark closing its last file (its writer did not close it):"
              + " writing it at offset {}",
          path,
          size);
      ByteBuffer mark = ByteBuffer.allocate(4);
      while (mark.hasRemaining()) {
        ch.write(mark, size + mark.position());
      }
      size += 4;
      if (options.syncPolicy() != SyncPolicy.NEVER) {
        ch.force(false);
      }
      return true;
    }
    return false;
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    checkReadable();
    try {
      while (true) {
        SimhObject o = format.forward(ch, pos, size);
        switch (o.kind()) {
          case SKIP -> moveTo(o.end());
          case TAPE_MARK -> {
            crossMarkForward(o);
            return 0;
          }
          case END -> {
            if (endOfDataReported) {
              throw new TapeException(Errno.EIO, "read past end of data");
            }
            endOfDataReported = true;
            return 0;
          }
          case BAD -> {
            passRecordForward(o);
            throw new TapeException(Errno.EIO, "bad record at offset " + o.start());
          }
          case DATA -> {
            passRecordForward(o);
            if (o.length() > dst.remaining()) {
              throw new TapeException(
                  Errno.ENOMEM,
                  "record of " + o.length() + " bytes does not fit in " + dst.remaining());
            }
            ByteBuffer part = dst.slice(dst.position(), o.length());
            SimhFormat.readFully(ch, part, o.start() + 4);
            dst.position(dst.position() + o.length());
            return o.length();
          }
          default -> throw corrupt(o);
        }
      }
    } catch (IOException e) {
      throw IoErrors.toTapeException("read " + path, e);
    }
  }

  /**
   * The length of the record ahead, found as {@link #read} finds it (passing gaps and markers), at
   * the cost of the same two header reads; 0 where the read returns no data or fails.
   */
  @Override
  public int nextReadLength() {
    if (closed || offline || !mode.canRead()) {
      return -1;
    }
    try {
      long at = pos;
      while (true) {
        SimhObject o = format.forward(ch, at, size);
        if (o.kind() == Kind.SKIP) {
          at = o.end();
        } else {
          return o.kind() == Kind.DATA ? o.length() : 0;
        }
      }
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    checkWritable();
    int length = src.remaining();
    if (length == 0) {
      return 0;
    }
    if (length > SimhFormat.MAX_RECORD_LENGTH) {
      throw new TapeException(Errno.EINVAL, "record of " + length + " bytes is too long");
    }
    long objectSize = SimhFormat.recordSize(length);
    if (objectSize > options.capacity() - pos) {
      metEndOfTape = true;
      if (options.endOfTapeMode() == EndOfTapeMode.ZERO) {
        return 0;
      }
      throw new TapeException(Errno.ENOSPC, "end of tape: " + length + " bytes do not fit");
    }
    header.clear();
    header.putInt(0, length);
    trailer.clear();
    if ((length & 1) != 0) {
      trailer.put((byte) 0);
    }
    trailer.putInt(length).flip();
    frame[0] = header;
    frame[1] = src;
    frame[2] = trailer;
    int startPosition = src.position();
    try {
      cutAtPosition();
      if (channelPosition != pos) {
        ch.position(pos);
      }
      channelPosition = -1;
      long remaining = objectSize;
      while (remaining > 0) {
        remaining -= ch.write(frame);
      }
      channelPosition = pos + objectSize;
    } catch (IOException e) {
      src.position(startPosition);
      undoPartialWrite();
      throw IoErrors.toTapeException("write " + path, e);
    } finally {
      frame[1] = null;
    }
    pos += objectSize;
    size = pos;
    blockNumber = known(blockNumber) ? blockNumber + 1 : blockNumber;
    endOfDataReported = false;
    recordsWrittenSinceMark = true;
    if (options.syncPolicy() == SyncPolicy.EVERY_RECORD) {
      force();
    }
    return length;
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    checkWritable();
    if (count < 0) {
      throw new TapeException(Errno.EINVAL, "negative filemark count " + count);
    }
    if (count > MAX_FILEMARKS) {
      throw new TapeException(
          Errno.EINVAL, "at most " + MAX_FILEMARKS + " filemarks at a time, not " + count);
    }
    if (count > 0) {
      long bytes = 4L * count;
      if (bytes > options.capacity() - pos) {
        metEndOfTape = true;
        throw new TapeException(Errno.ENOSPC, "end of tape: no room for " + count + " filemarks");
      }
      try {
        cutAtPosition();
        ByteBuffer marks = ByteBuffer.allocate((int) Math.min(bytes, 1 << 16));
        long at = pos;
        while (at < pos + bytes) {
          marks.clear().limit((int) Math.min(marks.capacity(), pos + bytes - at));
          at += ch.write(marks, at);
        }
      } catch (IOException e) {
        undoPartialWrite();
        throw IoErrors.toTapeException("write filemark " + path, e);
      }
      pos += bytes;
      size = pos;
      fileNumber += count;
      blockNumber = 0;
      endOfDataReported = false;
      recordsWrittenSinceMark = false;
    }
    if (options.syncPolicy() != SyncPolicy.NEVER) {
      force();
    }
  }

  @Override
  public void spaceFiles(int count) throws TapeException {
    checkOnline();
    if (count < 0) {
      endWrittenFile();
    }
    try {
      if (count >= 0) {
        for (int crossed = 0; crossed < count; ) {
          SimhObject o = format.forward(ch, pos, size);
          switch (o.kind()) {
            case TAPE_MARK -> {
              crossMarkForward(o);
              crossed++;
            }
            case DATA, BAD -> passRecordForward(o);
            case SKIP -> moveTo(o.end());
            case END -> throw new TapeException(Errno.EIO, "end of data while spacing files");
            default -> throw corrupt(o);
          }
        }
      } else {
        for (int crossed = 0; crossed > count; ) {
          SimhObject o = format.backward(ch, pos);
          switch (o.kind()) {
            case TAPE_MARK -> {
              crossMarkBackward(o);
              crossed--;
            }
            case DATA, BAD -> passRecordBackward(o);
            case SKIP -> moveTo(o.start());
            case BEGINNING -> throw atBeginning();
            default -> throw corrupt(o);
          }
        }
      }
    } catch (IOException e) {
      throw IoErrors.toTapeException("space files " + path, e);
    }
  }

  @Override
  public void spaceRecords(int count) throws TapeException {
    checkOnline();
    try {
      if (count >= 0) {
        for (int passed = 0; passed < count; ) {
          SimhObject o = format.forward(ch, pos, size);
          switch (o.kind()) {
            case DATA, BAD -> {
              passRecordForward(o);
              passed++;
            }
            case SKIP -> moveTo(o.end());
            case TAPE_MARK -> {
              crossMarkForward(o);
              throw new TapeException(Errno.EIO, "filemark reached while spacing records");
            }
            case END -> throw new TapeException(Errno.EIO, "end of data while spacing records");
            default -> throw corrupt(o);
          }
        }
      } else {
        for (int passed = 0; passed > count; ) {
          SimhObject o = format.backward(ch, pos);
          switch (o.kind()) {
            case DATA, BAD -> {
              passRecordBackward(o);
              passed--;
            }
            case SKIP -> moveTo(o.start());
            case TAPE_MARK -> {
              crossMarkBackward(o);
              throw new TapeException(Errno.EIO, "filemark reached while spacing records");
            }
            case BEGINNING -> throw atBeginning();
            default -> throw corrupt(o);
          }
        }
      }
    } catch (IOException e) {
      throw IoErrors.toTapeException("space records " + path, e);
    }
  }

  @Override
  public void rewind() throws TapeException {
    checkOnline();
    endWrittenFile();
    rewindInternal();
  }

  /**
   * As Linux st does: moving the tape back (rewind, offline, backspace files) right after writing
   * records first ends them with a filemark, so what was written stays a complete file.
   */
  private void endWrittenFile() throws TapeException {
    if (!recordsWrittenSinceMark || !options.filemarkOnClose()) {
      return;
    }
    try {
      writeFilemarks(1);
    } catch (TapeException e) {
      if (!e.isEndOfTape()) {
        throw e;
      }
      log.warn("No room for the filemark ending the written file on {}", path);
    }
  }

  private void rewindInternal() {
    moveTo(0);
    fileNumber = 0;
    blockNumber = 0;
    metEndOfTape = false;
  }

  @Override
  public void unload() throws TapeException {
    checkOnline();
    endWrittenFile();
    rewindInternal();
    offline = true;
  }

  @Override
  public void seekEndOfData() throws TapeException {
    checkOnline();
    if (pos == 0 && endOffset >= 0) {
      moveTo(endOffset);
      fileNumber = endFile;
      blockNumber = endBlock;
      return;
    }
    try {
      while (true) {
        SimhObject o = format.forward(ch, pos, size);
        switch (o.kind()) {
          case TAPE_MARK -> crossMarkForward(o);
          case DATA, BAD -> passRecordForward(o);
          case SKIP -> moveTo(o.end());
          case END -> {
            return;
          }
          default -> throw corrupt(o);
        }
      }
    } catch (IOException e) {
      throw IoErrors.toTapeException("seek end of data " + path, e);
    }
  }

  @Override
  public void erase() throws TapeException {
    checkWritable();
    try {
      cutAtPosition();
    } catch (IOException e) {
      throw IoErrors.toTapeException("erase " + path, e);
    }
  }

  @Override
  public TapePosition position() throws TapeException {
    checkOpen();
    return new TapePosition(fileNumber, blockNumber);
  }

  @Override
  public TapeStatus status() throws TapeException {
    checkOpen();
    if (offline) {
      return new TapeStatus(
          false, false, false, false, mediumProtected, false, 0, -1, TapePosition.UNKNOWN, -1);
    }
    try {
      boolean afterMark = pos >= 4 && format.backward(ch, pos).kind() == Kind.TAPE_MARK;
      return new TapeStatus(
          pos == 0,
          afterMark,
          metEndOfTape || pos >= options.capacity(),
          atEndOfData(),
          mediumProtected,
          true,
          0,
          -1,
          fileNumber,
          blockNumber);
    } catch (IOException e) {
      throw IoErrors.toTapeException("status " + path, e);
    }
  }

  /** The byte offset of the tape position in the file; for tests and diagnostics. */
  long byteOffset() {
    return pos;
  }

  @Override
  public void close() throws TapeException {
    if (closed) {
      return;
    }
    closed = true;
    TapeException failure = null;
    try {
      if (recordsWrittenSinceMark && options.filemarkOnClose() && !offline) {
        if (4 <= options.capacity() - pos) {
          cutAtPosition();
          ch.write(ByteBuffer.allocate(4), pos);
          pos += 4;
          size = pos;
        } else {
          log.warn("No room for the closing filemark on {}", path);
        }
      }
      if (mode.canWrite() && options.syncPolicy() != SyncPolicy.NEVER) {
        ch.force(false);
      }
    } catch (IOException e) {
      failure = IoErrors.toTapeException("close " + path, e);
    }
    try {
      ch.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = IoErrors.toTapeException("close " + path, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private boolean atEndOfData() throws IOException {
    long at = pos;
    while (true) {
      SimhObject o = format.forward(ch, at, size);
      if (o.kind() != Kind.SKIP) {
        return o.kind() == Kind.END;
      }
      at = o.end();
    }
  }

  /** Makes the write point the end of the tape, as a drive overwrites everything after it. */
  private void cutAtPosition() throws IOException {
    endOffset = -1;
    if (size > pos) {
      channelPosition = -1; // truncate may move it
      ch.truncate(pos);
      size = pos;
    }
  }

  /** Drops whatever a failed write left after the write point, so it wrote nothing. */
  private void undoPartialWrite() {
    channelPosition = -1;
    try {
      if (ch.size() > pos) {
        ch.truncate(pos);
      }
      size = Math.min(ch.size(), pos);
    } catch (IOException e) {
      log.warn("Could not undo a failed write on {} at offset {}: {}", path, pos, e.toString());
    }
  }

  private void force() throws TapeException {
    try {
      ch.force(false);
    } catch (IOException e) {
      throw IoErrors.toTapeException("sync " + path, e);
    }
  }

  private void moveTo(long offset) {
    pos = offset;
    endOfDataReported = false;
    recordsWrittenSinceMark = false;
  }

  private void passRecordForward(SimhObject o) {
    moveTo(o.end());
    if (known(blockNumber)) {
      blockNumber++;
    }
  }

  private void passRecordBackward(SimhObject o) {
    moveTo(o.start());
    metEndOfTape = false;
    if (o.start() == 0) {
      blockNumber = 0;
    } else if (known(blockNumber)) {
      blockNumber = Math.max(0, blockNumber - 1);
    }
  }

  private void crossMarkForward(SimhObject o) {
    moveTo(o.end());
    fileNumber++;
    blockNumber = 0;
  }

  private void crossMarkBackward(SimhObject o) {
    moveTo(o.start());
    metEndOfTape = false;
    fileNumber--;
    // Counting the records of the previous file would mean walking all of them; st doesn't know
    // either.
    blockNumber = o.start() == 0 ? 0 : TapePosition.UNKNOWN;
  }

  private TapeException atBeginning() {
    blockNumber = 0;
    return new TapeException(Errno.EIO, "beginning of tape reached");
  }

  private static boolean known(long n) {
    return n != TapePosition.UNKNOWN;
  }

  private TapeException corrupt(SimhObject o) {
    return new TapeException(
        Errno.EIO, "corrupt tape object at offset " + o.start() + " in " + path);
  }

  private void checkOpen() throws TapeException {
    if (closed) {
      throw new TapeException(Errno.EBADF, "tape is closed");
    }
  }

  private void checkOnline() throws TapeException {
    checkOpen();
    if (offline) {
      throw new TapeException(Errno.ENOMEDIUM, "tape is unloaded");
    }
  }

  private void checkReadable() throws TapeException {
    checkOnline();
    if (!mode.canRead()) {
      throw new TapeException(Errno.EBADF, "tape is not open for reading");
    }
  }

  private void checkWritable() throws TapeException {
    checkOnline();
    if (!mode.canWrite()) {
      throw new TapeException(Errno.EBADF, "tape is not open for writing");
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      log.debug("Ignoring close failure after a failed open: {}", e.toString());
    }
  }
}
