package org.jrmt.tape;

import java.util.Objects;
import org.jrmt.protocol.Errno;

/**
 * A tape operation failed with an errno. The errno is what a server puts in its {@code E} reply,
 * and what lets a client tell the end of the tape ({@link Errno#ENOSPC}) apart from a failure.
 *
 * <p>The message is a human-readable detail; the errno alone decides how callers react.
 */
public final class TapeException extends Exception {
  private final Errno errno;

  /** A failure described only by its errno; the message is the errno's strerror text. */
  public TapeException(Errno errno) {
    this(errno, errno.message());
  }

  /** A failure with its errno and a detail message. */
  public TapeException(Errno errno, String message) {
    super(message);
    this.errno = Objects.requireNonNull(errno, "errno");
  }

  /** A failure with its errno, a detail message and the underlying cause. */
  public TapeException(Errno errno, String message, Throwable cause) {
    super(message, cause);
    this.errno = Objects.requireNonNull(errno, "errno");
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
    return "TapeException[" + errno.name() + "]: " + getMessage();
  }
}
