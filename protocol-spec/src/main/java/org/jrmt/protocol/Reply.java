package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * One rmt reply. {@link Data} carries a reference-counted payload that its consumer releases.
 *
 * <p>Error messages are kept to what every classic client can take: one line of printable ASCII of
 * at most {@link #MAX_MESSAGE} bytes (see {@link #sanitize}).
 */
public sealed interface Reply {
  /** The longest message line jrmt sends; dump's client reads status lines of 29 bytes. */
  int MAX_MESSAGE = 60;

  /** {@code A<value>\n}: success, with a count, offset or other number. */
  record Ack(long value) implements Reply {}

  /** {@code A<n>\n} followed by exactly n raw bytes: the answer to R, S, N and Q. */
  record Data(ByteBuf payload) implements Reply, ReferenceCounted {
    public Data {
      Objects.requireNonNull(payload);
    }

    /** The payload length, as sent in the header. */
    public int count() {
      return payload.readableBytes();
    }

    @Override
    public int refCnt() {
      return payload.refCnt();
    }

    @Override
    public Data retain() {
      payload.retain();
      return this;
    }

    @Override
    public Data retain(int increment) {
      payload.retain(increment);
      return this;
    }

    @Override
    public Data touch() {
      payload.touch();
      return this;
    }

    @Override
    public Data touch(Object hint) {
      payload.touch(hint);
      return this;
    }

    @Override
    public boolean release() {
      return payload.release();
    }

    @Override
    public boolean release(int decrement) {
      return payload.release(decrement);
    }

    @Override
    public String toString() {
      return "Data[count=" + payload.readableBytes() + "]";
    }
  }

  /** {@code E<errno>\n<message>\n}: the request failed; the session goes on. */
  record Error(int errno, String message) implements Reply {
    public Error {
      message = sanitize(message);
    }

    /** The error for {@code errno} with its standard message. */
    public static Error of(Errno errno) {
      return new Error(errno.number(), errno.message());
    }
  }

  /**
   * {@code F<errno>\n<message>\n}: a fatal error; classic clients treat it like {@code E} and also
   * drop the connection. No real server sends it; jrmt's client accepts it.
   */
  record Fatal(int errno, String message) implements Reply {
    public Fatal {
      message = sanitize(message);
    }
  }

  /**
   * Makes {@code message} safe for a reply line: printable ASCII only (others become {@code ?}), no
   * newline, at most {@link #MAX_MESSAGE} bytes, never empty.
   */
  static String sanitize(String message) {
    Objects.requireNonNull(message);
    StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX_MESSAGE));
    for (int i = 0; i < message.length() && sb.length() < MAX_MESSAGE; i++) {
      char c = message.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.length() == 0 ? "Error" : sb.toString();
  }
}
