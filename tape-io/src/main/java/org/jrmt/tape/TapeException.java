package org.jrmt.tape;

import java.util.Objects;
import java.util.Optional;
import org.jrmt.protocol.Errno;

/**
 * A tape operation failed with an errno. The errno is what a server puts in its {@code E} reply,
 * and what lets a client tell the end of the tape ({@link Errno#ENOSPC}) apart from a failure.
 *
 * <p>The message is a human-readable detail; the errno alone decides how callers react. A {@link
 * #refusal} (a request refused on purpose: by policy, or because of what a name is) also has a
 * {@link #reason} written for the peer, which a server sends in place of the errno's standard text;
 * it names nothing of the server's files.
 */
public final class TapeException extends Exception {
  private final Errno errno;
  private final String reason;

  /** A failure described only by its errno; the message is the errno's strerror text. */
  public TapeException(Errno errno) {
    this(errno, errno.message());
  }

  /** A failure with its errno and a detail message. */
  public TapeException(Errno errno, String message) {
    this(errno, message, null, null);
  }

  /** A failure with its errno, a detail message and the underlying cause. */
  public TapeException(Errno errno, String message, Throwable cause) {
    this(errno, message, cause, null);
  }

  private TapeException(Errno errno, String message, Throwable cause, String reason) {
    super(message, cause);
    this.errno = Objects.requireNonNull(errno, "errno");
    this.reason = reason;
  }

  /**
   * A request refused on purpose: {@code reason} says why in words for the peer, short and in the
   * style of {@code strerror} ("Not a regular file (a FIFO)", for an rmt {@code E} reply's 60
   * bytes); {@code detail} (the path, say) is for the log. The message is {@code reason: detail}.
   */
  public static TapeException refusal(Errno errno, String reason, String detail) {
    return new TapeException(errno, reason + ": " + detail, null, Objects.requireNonNull(reason));
  }

  /** For a {@link #refusal}, why, in the words for the peer; empty for any other failure. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * A request refused by policy (read-only, append-only, not granted): {@code message} says which
   * rule, device and mode refused what, and is also the {@link #reason} shown to the client.
   */
  public static TapeException refused(Errno errno, String message) {
    return new TapeException(errno, message, null, Objects.requireNonNull(message));
  }

  /** True for a {@link #refusal} or a {@link #refused refusal by policy}. */
  public boolean isRefusal() {
    return reason != null;
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
    return "TapeException["
        + errno.name()
        + (reason != null ? ", refused" : "")
        + "]: "
        + getMessage();
  }
}
