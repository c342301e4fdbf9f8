package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The client side of the wire: turns a server's bytes into {@link Reply}s, checking each against
 * the {@link Expectation} of the request it answers.
 *
 * <p>Anything outside the expectations is a {@link ProtocolException} after which the parser is
 * dead and the connection must be dropped: a first byte other than {@code A}, {@code E} or {@code
 * F}, a number that is not one, a count above what was requested, a status line longer than {@link
 * #MAX_STATUS_LINE} or a message longer than {@link #MAX_MESSAGE_LINE}, a reply nobody asked for.
 * Nothing is allocated before it is checked. Not thread-safe.
 */
public final class ReplyParser {
  /** The longest {@code A}/{@code E}/{@code F} line accepted, without its newline (GNU: 64). */
  public static final int MAX_STATUS_LINE = 64;

  /** The longest message line accepted after an {@code E}/{@code F} line. */
  public static final int MAX_MESSAGE_LINE = 1024;

  private enum State {
    STATUS,
    MESSAGE,
    PAYLOAD,
    DEAD
  }

  private final ByteBufAllocator alloc;
  private final Deque<Expectation> expected = new ArrayDeque<>();
  private final StringBuilder line = new StringBuilder(MAX_STATUS_LINE);
  private State state = State.STATUS;
  private char kind;
  private int errno;
  private ByteBuf payload;
  private int payloadWanted;

  /** A parser allocating payload buffers from {@code alloc}. */
  public ReplyParser(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /** Queues the expectation for the next request sent. */
  public void expect(Expectation e) {
    expected.addLast(e);
  }

  /** The number of requests still waiting for their reply. */
  public int outstanding() {
    return expected.size();
  }

  /**
   * Consumes all readable bytes of {@code in}, passing each complete reply to {@code out} in order.
   * Does not release {@code in}.
   *
   * @throws ProtocolException if the server broke the protocol; the parser is dead afterwards
   */
  public void feed(ByteBuf in, Consumer<Reply> out) throws ProtocolException {
    while (in.isReadable()) {
      switch (state) {
        case STATUS -> readStatus(in, out);
        case MESSAGE -> readMessage(in, out);
        case PAYLOAD -> readPayload(in, out);
        case DEAD -> throw new ProtocolException("connection already out of step");
      }
    }
  }

  /** Releases any partly received payload; the parser rejects input afterwards. */
  public void close() {
    if (payload != null) {
      payload.release();
      payload = null;
    }
    state = State.DEAD;
  }

  private void readStatus(ByteBuf in, Consumer<Reply> out) throws ProtocolException {
    while (in.isReadable()) {
      char c = (char) (in.readByte() & 0xFF);
      if (line.length() == 0) {
        if (c != 'A' && c != 'E' && c != 'F') {
          fail("unexpected byte 0x" + Integer.toHexString(c) + " where a reply should start");
        }
        if (expected.isEmpty()) {
          fail("reply '" + c + "' to no request");
        }
      }
      if (c == '\n') {
        statusLine(out);
        return;
      }
      if (line.length() >= MAX_STATUS_LINE) {
        fail("reply line longer than " + MAX_STATUS_LINE + " bytes");
      }
      line.append(c);
    }
  }

  private void statusLine(Consumer<Reply> out) throws ProtocolException {
    kind = line.charAt(0);
    long value = number(line.substring(1));
    line.setLength(0);
    if (kind != 'A') {
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        fail("errno out of range: " + value);
      }
      errno = (int) value;
      state = State.MESSAGE;
      return;
    }
    Expectation e = expected.peekFirst();
    String problem = e.check(value);
    if (problem != null) {
      fail(problem);
    }
    if (!e.hasData()) {
      expected.removeFirst();
      out.accept(new Reply.Ack(value));
      return;
    }
    payloadWanted = (int) value;
    state = State.PAYLOAD;
    if (payloadWanted == 0) {
      finishPayload(alloc.buffer(0, 0), out);
    }
  }

  private void readMessage(ByteBuf in, Consumer<Reply> out) throws ProtocolException {
    while (in.isReadable()) {
      char c = (char) (in.readByte() & 0xFF);
      if (c == '\n') {
        String message = line.toString();
        line.setLength(0);
        state = State.STATUS;
        expected.removeFirst();
        out.accept(kind == 'E' ? new Reply.Error(errno, message) : new Reply.Fatal(errno, message));
        return;
      }
      if (line.length() >= MAX_MESSAGE_LINE) {
        fail("error message longer than " + MAX_MESSAGE_LINE + " bytes");
      }
      line.append(c);
    }
  }

  private void readPayload(ByteBuf in, Consumer<Reply> out) {
    if (payload == null && in.readableBytes() >= payloadWanted) {
      finishPayload(in.readRetainedSlice(payloadWanted), out);
      return;
    }
    if (payload == null) {
      payload = alloc.buffer(payloadWanted, payloadWanted);
    }
    payload.writeBytes(in, Math.min(in.readableBytes(), payloadWanted - payload.writerIndex()));
    if (payload.writerIndex() == payloadWanted) {
      ByteBuf done = payload;
      payload = null;
      finishPayload(done, out);
    }
  }

  private void finishPayload(ByteBuf data, Consumer<Reply> out) {
    state = State.STATUS;
    expected.removeFirst();
    out.accept(new Reply.Data(data));
  }

  private long number(String s) throws ProtocolException {
    Long n = s.isEmpty() || s.charAt(0) == '+' ? null : SeekArguments.parseLongOrNull(s);
    if (n == null || (n < 0 && s.charAt(0) != '-')) {
      fail("not a number in reply: '" + Reply.sanitize(s) + "'");
    }
    return n;
  }

  private void fail(String why) throws ProtocolException {
    close();
    throw new ProtocolException(why);
  }
}
