package org.jrmt.tape;

import java.util.Objects;
import org.jrmt.protocol.Errno;

/**
 * A tape operation failed with an errno. The errno is what a server puts in its {@code E} reply,
 * and what lets a client tell the end of the tape ({@link Errno#ENOSPC}) apart from a failure.
 *
 * <p>The message is a human-readable detail; the errno alone decides how callers react. A {@link
 * #refused refusal} is the one kind whose message is meant for the remote client too: it says why a
 * policy refused the request in the policy's own terms and names nothing of the server's files.
 */
public final class TapeException extends Exception {
  private final Errno errno;
  private final boolean refusal;

  /** A failure described only by its errno; the message is the errno's strerror text. */
  public TapeException(Errno errno) {
    this(errno, errno.message());
  }

  /** A failure with its errno and a detail message. */
  public TapeException(Errno errno, String message) {
    this(errno, message, null, false);
  }

  /** A failure with its errno, a detail message and the underlying cause. */
  public TapeException(Errno errno, String message, Throwable cause) {
    this(errno, message, cause, false);
  }

  private TapeException(Errno errno, String message, Throwable cause, boolean refusal) {
    super(message, cause);
    this.errno = Objects.requireNonNull(errno, "errno");
    this.refusal = refusal;
  }

  /**
   * A request refused by policy (read-only, append-only, not granted): {@code message} says which
   * rule, device and mode refused what, and may be shown to the client as it is.
   */
  public static TapeException refused(Errno errno, String message) {
    return new TapeException(errno, message, null, true);
  }

  /** True for a {@link #refused refusal} by policy, whose message is meant for the client. */
  public boolean isRefusal() {
    return refusal;
  }

  /** The errno to report; never null. */
  public Errno errno() {
    return errno;
  }

  /** True when the operation failed because the medium is full (the tape met its end). */
  public boolean isEndOfTape() {
    return errno == Errno.ENOSPC;
  }

  @Override
  public String toString() {
    return "TapeException[" + errno.name() + (refusal ? ", refused" : "") + "]: " + getMessage();
  }
}
