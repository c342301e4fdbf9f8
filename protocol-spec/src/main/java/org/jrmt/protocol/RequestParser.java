package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The server side of the wire: turns the bytes a client sends into {@link Request}s.
 *
 * <p>It reads like the BSD family, one command letter and then exactly as many newline-terminated
 * argument lines as that letter takes, so a bare {@code S} is answered at once and a stray newline
 * right after it is dropped (the GNU clients' {@code S\n}). {@code W} payloads are handed on as a
 * retained slice of the input when they arrive whole, or gathered into one pooled buffer of exactly
 * the announced size, so nothing is copied more than once.
 *
 * <p>Input is bounded before anything is allocated: an argument line longer than {@link
 * ParserLimits#maxArgumentLength()} or a count above {@link ParserLimits#maxRecordSize()} yields a
 * {@link Request.Violation} and the parser then ignores all further input. Not thread-safe: one
 * parser per connection, fed from one thread.
 */
public final class RequestParser {
  private enum State {
    LETTER,
    ARGUMENTS,
    STATUS_FIELD,
    PAYLOAD,
    DEAD
  }

  private ServerSyntax syntax;
  private final ByteBufAllocator alloc;

  private State state = State.LETTER;
  private char letter;
  private int argumentsWanted;
  private final List<String> arguments = new ArrayList<>(2);
  private byte[] line = new byte[128];
  private int lineLength;
  private boolean dropNewline;
  private ByteBuf payload;
  private int payloadWanted;

  /** A parser with the given syntax, allocating payload buffers from {@code alloc}. */
  public RequestParser(ServerSyntax syntax, ByteBufAllocator alloc) {
    this.syntax = syntax;
    this.alloc = alloc;
  }

  /**
   * Changes how further requests are read, as when the client's identity, learned after the
   * connection opened, selects its own {@code L} order. Call from the thread that feeds.
   */
  public void syntax(ServerSyntax newSyntax) {
    this.syntax = newSyntax;
  }

  /** How requests are read now. */
  public ServerSyntax syntax() {
    return syntax;
  }

  /**
   * Consumes all readable bytes of {@code in} and passes every complete request to {@code out}, in
   * order. Does not release {@code in}.
   */
  public void feed(ByteBuf in, Consumer<Request> out) {
    feed(in, out, () -> true);
  }

  /**
   * Consumes readable bytes of {@code in} while {@code more} says so (asked before each step, so
   * right after a request was passed on), passing every complete request to {@code out}, in order;
   * what is left unread stays in {@code in} for a later call. This is how a server stops taking
   * requests from a client whose earlier ones are not done, without buffering them. Does not
   * release {@code in}.
   */
  public void feed(ByteBuf in, Consumer<Request> out, BooleanSupplier more) {
    while (in.isReadable() && more.getAsBoolean()) {
      switch (state) {
        case LETTER -> readLetter(in, out);
        case ARGUMENTS -> readArgument(in, out);
        case STATUS_FIELD -> {
          state = State.LETTER;
          out.accept(new Request.StatusField((char) (in.readByte() & 0xFF)));
        }
        case PAYLOAD -> readPayload(in, out);
        case DEAD -> in.skipBytes(in.readableBytes());
      }
    }
  }

  /**
   * Signals the end of the client's stream. A {@code W} payload cut short yields a {@link
   * Request.Violation} ({@code EIO}, "Premature eof"); a partial argument line is dropped.
   */
  public void finish(Consumer<Request> out) {
    if (state == State.PAYLOAD) {
      out.accept(new Request.Violation(Errno.EIO, "Premature eof"));
    }
    close();
  }

  /** Releases any partly received payload; the parser ignores input afterwards. */
  public void close() {
    if (payload != null) {
      payload.release();
      payload = null;
    }
    state = State.DEAD;
  }

  /** True once a violation or {@link #close()} has ended parsing. */
  public boolean isDead() {
    return state == State.DEAD;
  }

  private void readLetter(ByteBuf in, Consumer<Request> out) {
    char c = (char) (in.readByte() & 0xFF);
    if (dropNewline) {
      dropNewline = false;
      if (c == '\n') {
        return;
      }
    }
    switch (c) {
      case 'S' -> {
        dropNewline = true;
        out.accept(new Request.Status());
      }
      case 's' -> state = State.STATUS_FIELD;
      case 'O', 'L', 'I', 'i', 'N' -> startArguments(c, 2);
      case 'C', 'R', 'W', 'V', 'v', 'Q' -> startArguments(c, 1);
      default -> violation(out, Errno.EINVAL, "Garbage command");
    }
  }

  private void startArguments(char c, int count) {
    letter = c;
    argumentsWanted = count;
    arguments.clear();
    lineLength = 0;
    state = State.ARGUMENTS;
  }

  private void readArgument(ByteBuf in, Consumer<Request> out) {
    int max = syntax.limits().maxArgumentLength();
    int start = in.readerIndex();
    int end = in.writerIndex();
    int nl = in.indexOf(start, end, (byte) '\n');
    int take = (nl < 0 ? end : nl) - start;
    if (lineLength + take > max) {
      violation(out, Errno.EINVAL, "Argument too long");
      return;
    }
    if (lineLength + take > line.length) {
      line = Arrays.copyOf(line, Math.min(max, Math.max(line.length * 2, lineLength + take)));
    }
    in.readBytes(line, lineLength, take);
    lineLength += take;
    if (nl < 0) {
      return;
    }
    in.skipBytes(1);
    arguments.add(new String(line, 0, lineLength, StandardCharsets.UTF_8));
    lineLength = 0;
    if (arguments.size() == argumentsWanted) {
      state = State.LETTER;
      complete(out);
    }
  }

  private void complete(Consumer<Request> out) {
    String a = arguments.get(0);
    switch (letter) {
      case 'O' -> open(a, arguments.get(1), out);
      case 'C' -> out.accept(new Request.Close());
      case 'L' -> seek(a, arguments.get(1), out);
      case 'R' -> read(a, out);
      case 'W' -> write(a, out);
      case 'I', 'i' -> ioctl(a, arguments.get(1), out);
      case 'V', 'v' -> out.accept(new Request.Version(letter == 'v', a));
      case 'N' -> negotiate(a, arguments.get(1), out);
      case 'Q' -> out.accept(new Request.PortableStatus());
      default -> throw new AssertionError(letter);
    }
  }

  private void open(String path, String flags, Consumer<Request> out) {
    try {
      out.accept(new Request.Open(path, OpenFlags.parse(flags, syntax.numericFlags())));
    } catch (IllegalArgumentException e) {
      out.accept(new Request.Invalid('O', Errno.EINVAL, "invalid open mode"));
    }
  }

  private void seek(String first, String second, Consumer<Request> out) {
    try {
      out.accept(
          SeekArguments.resolve(first, second, syntax.seekOrder(), syntax.detectSeekOrder()));
    } catch (IllegalArgumentException e) {
      out.accept(new Request.Invalid('L', Errno.EINVAL, e.getMessage()));
    }
  }

  private void read(String countLine, Consumer<Request> out) {
    Long count = SeekArguments.parseLongOrNull(countLine.strip());
    if (count == null || count < 0) {
      out.accept(new Request.Invalid('R', Errno.EINVAL, "Invalid byte count"));
    } else if (count > syntax.limits().maxRecordSize()) {
      violation(out, Errno.ENOMEM, "Cannot allocate memory");
    } else {
      out.accept(new Request.Read(count.intValue()));
    }
  }

  private void write(String countLine, Consumer<Request> out) {
    Long count = SeekArguments.parseLongOrNull(countLine.strip());
    if (count == null || count <= 0) {
      // Nothing follows a count we cannot read, so the stream stays in step.
      out.accept(new Request.Invalid('W', Errno.EINVAL, "Invalid byte count"));
    } else if (count > syntax.limits().maxRecordSize()) {
      violation(out, Errno.ENOMEM, "Cannot allocate memory");
    } else {
      payloadWanted = count.intValue();
      state = State.PAYLOAD;
    }
  }

  private void readPayload(ByteBuf in, Consumer<Request> out) {
    if (payload == null && in.readableBytes() >= payloadWanted) {
      state = State.LETTER;
      out.accept(new Request.Write(in.readRetainedSlice(payloadWanted)));
      return;
    }
    if (payload == null) {
      payload = alloc.buffer(payloadWanted, payloadWanted);
    }
    int take = Math.min(in.readableBytes(), payloadWanted - payload.writerIndex());
    payload.writeBytes(in, take);
    if (payload.writerIndex() == payloadWanted) {
      ByteBuf done = payload;
      payload = null;
      state = State.LETTER;
      out.accept(new Request.Write(done));
    }
  }

  private void ioctl(String opLine, String countLine, Consumer<Request> out) {
    Long op = SeekArguments.parseLongOrNull(opLine.strip());
    Long count = SeekArguments.parseLongOrNull(countLine.strip());
    if (op == null || count == null || !fitsInt(op) || !fitsInt(count)) {
      out.accept(new Request.Invalid(letter, Errno.EINVAL, "Invalid argument"));
    } else {
      out.accept(new Request.Ioctl(op.intValue(), count.intValue(), letter == 'i'));
    }
  }

  private void negotiate(String versionLine, String capabilityLine, Consumer<Request> out) {
    Long version = SeekArguments.parseLongOrNull(versionLine.strip());
    if (version == null || version < 1 || !fitsInt(version)) {
      out.accept(new Request.Invalid('N', Errno.EINVAL, "Invalid argument"));
      return;
    }
    String caps = capabilityLine.strip();
    List<String> list = caps.isEmpty() ? List.of() : List.of(caps.split("\\s+"));
    out.accept(new Request.Negotiate(version.intValue(), list));
  }

  private static boolean fitsInt(long v) {
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
  }

  private void violation(Consumer<Request> out, Errno errno, String message) {
    close();
    out.accept(new Request.Violation(errno, message));
  }
}
