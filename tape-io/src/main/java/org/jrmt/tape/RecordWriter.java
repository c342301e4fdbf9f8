package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes a run of records to one tape, from its position, where the tape may confirm a record later
 * than it was written (a remote tape with several records in flight). Get one from {@link
 * Tape#writer()}.
 *
 * <p>The writer is the one owner of every record it took that the tape has not confirmed: the
 * caller's buffer is free again as soon as {@link #write} returns, and when the tape stops taking
 * records (end of tape, or a failure) the writer hands back every record the tape did not take, in
 * write order, from its own buffers ({@link #handBack}), so that the caller can write them again on
 * the next volume. The records before them, {@link #written()} of them, are on the tape.
 *
 * <p>A stop is sticky: nothing more is written once the tape stopped taking records, and a record
 * given after that joins the ones handed back. Not thread-safe; use it from one thread while it
 * lives, like its tape.
 */
public interface RecordWriter extends AutoCloseable {
  /**
   * Takes the remaining bytes of {@code record} as one record; its position moves to its limit.
   *
   * @throws TapeException once the tape has stopped taking records: {@link
   *     TapeException#isEndOfTape()} at its end, else the failure (the connection lost, an I/O
   *     error). The record is then among those {@link #handBack} returns.
   */
  void write(ByteBuffer record) throws TapeException;

  /**
   * Waits until the tape confirmed or refused every record taken.
   *
   * @throws TapeException when the tape stopped taking records, as {@link #write}
   */
  void flush() throws TapeException;

  /** The number of records the tape confirmed, counted from the first this writer took. */
  long written();

  /**
   * Hands over the records taken that are not on the tape, oldest first, after {@link #write} or
   * {@link #flush} threw: the writer's own buffers, no copy, valid until the returned {@link
   * Unwritten} is closed; the writer keeps nothing of them. A second call returns what was added
   * since the first (nothing, normally).
   */
  Unwritten handBack();

  /** Gives back what the writer still holds (not the tape: its owner closes that). */
  @Override
  void close();

  /** Records a tape did not take, handed over by their writer. */
  interface Unwritten extends AutoCloseable {
    /** Nothing. */
    Unwritten NONE = of(List.of());

    /** Each record between position and limit, read-only, in write order. */
    List<ByteBuffer> records();

    /** Gives the records' memory back; they must not be read afterwards. */
    @Override
    void close();

    /** Records held on the heap: closing has nothing to give back. */
    static Unwritten of(List<ByteBuffer> records) {
      List<ByteBuffer> list = List.copyOf(records);
      return new Unwritten() {
        @Override
        public List<ByteBuffer> records() {
          return list;
        }

        @Override
        public void close() {}
      };
    }
  }
}
