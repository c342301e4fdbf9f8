package org.jrmt.tape;

import java.nio.ByteBuffer;
import org.jrmt.protocol.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tape that a policy lets a client add to but never change: nothing recorded before the end of
 * data can be overwritten, cut off or erased, whatever the client sends.
 *
 * <p>The rule: records and filemarks are written only where this decorator has itself proven the
 * tape to be at the end of recorded data, and {@link #erase} is always refused. Proof is a
 * successful {@link #seekEndOfData} (its own at {@link #forWriting}, or the client's {@code EOM}),
 * kept only while nothing but successful writes follow. Every call that can move the tape ({@link
 * #read}, the spaces, {@link #rewind}, {@link #unload}, {@link #seek}, {@link #seekEndOfData}
 * itself, and every {@link #execute} operation, which dispatches to them) forgets the proof before
 * it runs, so a motion that fails half way (a backward space that reached the beginning of the tape
 * and reports {@code EIO}) leaves no proof behind. A write that fails forgets it too; only a record
 * refused with {@code ENOSPC}, which by the {@link Tape#write} contract wrote nothing and left the
 * tape where it was, keeps it. Refusals are {@link Errno#EACCES} with a message naming the policy.
 *
 * <p>Each backup a file of its own: when the recorded data at the open ends inside a file (the
 * tape's block number there is above 0: a writer crashed before its closing filemark, or another
 * tool wrote no filemark), the first record written ends that file with a filemark first.
 *
 * <p>Closing closes the tape; a SIMH tape or a drive then writes its closing filemark where the
 * last records were written, which is the end of data.
 */
public final class AppendOnlyTape extends GuardedTape {
  private static final Logger log = LoggerFactory.getLogger(AppendOnlyTape.class);

  private boolean atEndOfData;
  private boolean lastFileOpen;

  private AppendOnlyTape(Tape tape, String policy) {
    super(tape, policy);
  }

  /**
   * Guards a tape opened for writing and positions it at the end of recorded data (for a blank
   * tape: its beginning), where the client's first write appends a new file.
   *
   * @param policy who refuses, for the messages: device, mode, rule and identity, as in {@code
   *     "tape:vault append-only (rule 2, cert:backup-web1)"}
   * @throws TapeException the tape's error when the end of data cannot be found; the tape is then
   *     closed
   */
  public static AppendOnlyTape forWriting(Tape tape, String policy) throws TapeException {
    AppendOnlyTape guarded = new AppendOnlyTape(tape, policy);
    try {
      guarded.seekEndOfData();
      guarded.lastFileOpen = tape.position().blockNumber() > 0;
    } catch (TapeException | RuntimeException e) {
      try {
        tape.close();
      } catch (TapeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return guarded;
  }

  /** Guards a tape opened for reading; the tape stays where it is. */
  public static AppendOnlyTape forReading(Tape tape, String policy) {
    return new AppendOnlyTape(tape, policy);
  }

  /** True while a write here would append: the position is proven to be the end of data. */
  public boolean atEndOfData() {
    return atEndOfData;
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    atEndOfData = false;
    return tape.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    requireEndOfData("records only at end of data");
    if (lastFileOpen && src.hasRemaining()) {
      log.info("Ending the unterminated last file with a filemark before appending ({})", policy);
      writing(() -> tape.writeFilemarks(1), false);
      lastFileOpen = false;
    }
    int[] written = new int[1];
    writing(() -> written[0] = tape.write(src), true);
    return written[0];
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    requireEndOfData("filemarks only at end of data");
    writing(() -> tape.writeFilemarks(count), false);
    if (count > 0) {
      lastFileOpen = false;
    }
  }

  @Override
  public void spaceFiles(int count) throws TapeException {
    atEndOfData = false;
    tape.spaceFiles(count);
  }

  @Override
  public void spaceRecords(int count) throws TapeException {
    atEndOfData = false;
    tape.spaceRecords(count);
  }

  @Override
  public void rewind() throws TapeException {
    atEndOfData = false;
    tape.rewind();
  }

  @Override
  public void unload() throws TapeException {
    atEndOfData = false;
    tape.unload();
  }

  @Override
  public void seekEndOfData() throws TapeException {
    atEndOfData = false;
    tape.seekEndOfData();
    atEndOfData = true;
  }

  @Override
  public void erase() throws TapeException {
    throw refused("no erase");
  }

  @Override
  public long seek(long offset, Whence whence) throws TapeException {
    atEndOfData = false;
    return tape.seek(offset, whence);
  }

  private void requireEndOfData(String what) throws TapeException {
    if (!atEndOfData) {
      throw refused(what);
    }
  }

  /** A write to the guarded tape. */
  @FunctionalInterface
  private interface Write {
    void run() throws TapeException;
  }

  /**
   * Runs a write at the proven end of data. The proof holds afterwards only if it succeeded, or if
   * {@code enospcWroteNothing} and the tape refused it with {@code ENOSPC}.
   */
  private void writing(Write write, boolean enospcWroteNothing) throws TapeException {
    atEndOfData = false;
    try {
      write.run();
    } catch (TapeException e) {
      atEndOfData = enospcWroteNothing && e.isEndOfTape();
      throw e;
    }
    atEndOfData = true;
  }
}
