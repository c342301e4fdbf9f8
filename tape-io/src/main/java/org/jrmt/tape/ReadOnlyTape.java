package org.jrmt.tape;

import java.nio.ByteBuffer;
import org.jrmt.protocol.Errno;

/**
 * A tape, drive or file that a policy lets a client only read: every writing call ({@link #write},
 * {@link #writeFilemarks}, {@link #erase}, and every {@link #execute} operation that dispatches to
 * them) is refused with {@link Errno#EACCES} before it reaches the tape, and the message says which
 * policy refused it. Reading and moving the tape are passed through.
 *
 * <p>EACCES ("Permission denied") rather than EROFS: classic clients print it as it is, it is what
 * a refused open gets too, and it keeps the refusal apart from a write-protected medium ({@code
 * EROFS}, which SIMH tapes and drives report themselves).
 *
 * <p>Opening for writing is for the caller to refuse; this decorator refuses every write whatever
 * the tape was opened for. Closing it closes the tape.
 */
public final class ReadOnlyTape extends GuardedTape {
  private ReadOnlyTape(Tape tape, String policy) {
    super(tape, policy);
  }

  /**
   * Guards {@code tape}.
   *
   * @param policy who refuses, for the messages: device, mode, rule and identity, as in {@code
   *     "tape:vault read-only (rule 3, cert:auditor)"}
   */
  public static ReadOnlyTape of(Tape tape, String policy) {
    return new ReadOnlyTape(tape, policy);
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    throw refused("no write");
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    throw refused("no filemark");
  }

  @Override
  public void erase() throws TapeException {
    throw refused("no erase");
  }
}
