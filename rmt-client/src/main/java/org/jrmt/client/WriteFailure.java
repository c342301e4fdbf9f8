package org.jrmt.client;

import java.nio.ByteBuffer;
import java.util.List;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.TapeException;

/**
 * Pipelined writes stopped: the tape reached its end ({@link #isEndOfTape()}) or a write failed.
 * {@link #unwritten()} holds a copy of every record given to the writer that is not on the tape, in
 * the order it was written, so that the caller can write them again (on the next volume, at end of
 * tape). Every record before them was acknowledged and is on the tape.
 */
public final class WriteFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient TapeException cause;
  private final transient List<ByteBuffer> unwritten;
  private final long written;

  WriteFailure(TapeException cause, List<ByteBuffer> unwritten, long written) {
    super(cause.getMessage(), cause);
    this.cause = cause;
    this.unwritten = List.copyOf(unwritten);
    this.written = written;
  }

  /** The errno of the first failure: {@link Errno#ENOSPC} at end of tape. */
  public Errno errno() {
    return cause.errno();
  }

  /** True when the failure is the end of the tape ({@code E28}, or {@code A0}). */
  public boolean isEndOfTape() {
    return cause.isEndOfTape();
  }

  /** The first failure as a tape exception. */
  public TapeException tapeException() {
    return cause;
  }

  /**
   * The records not written, in write order; each is a read-only buffer with its record between
   * position and limit.
   */
  public List<ByteBuffer> unwritten() {
    return unwritten;
  }

  /** The number of records this writer had written (acknowledged) before the failure. */
  public long written() {
    return written;
  }
}
