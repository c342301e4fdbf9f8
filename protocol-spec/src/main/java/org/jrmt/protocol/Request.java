package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.List;
import java.util.Objects;

/**
 * One rmt request, as a server receives it and a client sends it. Immutable except for the payload
 * of {@link Write}, which is reference counted and must be released by whoever consumes it.
 *
 * <p>{@link Invalid} and {@link Violation} are what the server-side parser produces for bad input:
 * the first is answered with an {@code E} reply and the session goes on (the parser knows where the
 * next request starts); the second is answered and the session is closed.
 */
public sealed interface Request {

  /** The command letter on the wire, or 0 for {@link Invalid} and {@link Violation}. */
  char letter();

  /** {@code O<path>\n<flags>\n}: open a device or file, closing any open one first. */
  record Open(String path, OpenFlags flags) implements Request {
    public Open {
      Objects.requireNonNull(path);
      Objects.requireNonNull(flags);
    }

    @Override
    public char letter() {
      return 'O';
    }
  }

  /** {@code C<anything>\n}: close the open device. */
  record Close() implements Request {
    @Override
    public char letter() {
      return 'C';
    }
  }

  /**
   * {@code L}: seek. {@code whence} is 0 to 4 (SET, CUR, END, DATA, HOLE) or one of Linux dump's
   * tape-position codes {@link SeekArguments#WHENCE_TAPE_TELL} and {@link
   * SeekArguments#WHENCE_TAPE_SEEK}.
   */
  record Seek(long offset, int whence) implements Request {
    @Override
    public char letter() {
      return 'L';
    }
  }

  /** {@code R<count>\n}: read one record of at most {@code count} bytes. */
  record Read(int count) implements Request {
    @Override
    public char letter() {
      return 'R';
    }
  }

  /**
   * {@code W<count>\n} followed by exactly {@code count} bytes: write one record. The payload is
   * reference counted: the consumer releases it once written.
   */
  record Write(ByteBuf data) implements Request, ReferenceCounted {
    public Write {
      Objects.requireNonNull(data);
    }

    /** The payload length, as sent in the header. */
    public int count() {
      return data.readableBytes();
    }

    @Override
    public char letter() {
      return 'W';
    }

    @Override
    public int refCnt() {
      return data.refCnt();
    }

    @Override
    public Write retain() {
      data.retain();
      return this;
    }

    @Override
    public Write retain(int increment) {
      data.retain(increment);
      return this;
    }

    @Override
    public Write touch() {
      data.touch();
      return this;
    }

    @Override
    public Write touch(Object hint) {
      data.touch(hint);
      return this;
    }

    @Override
    public boolean release() {
      return data.release();
    }

    @Override
    public boolean release(int decrement) {
      return data.release(decrement);
    }

    @Override
    public String toString() {
      return "Write[count=" + data.readableBytes() + "]";
    }
  }

  /**
   * {@code I<op>\n<count>\n} or, with {@code extended}, {@code i<op>\n<count>\n}: a tape operation.
   * The op number is raw; its meaning depends on the session (see {@link OpNumbering}).
   */
  record Ioctl(int op, int count, boolean extended) implements Request {
    @Override
    public char letter() {
      return extended ? 'i' : 'I';
    }
  }

  /** {@code S}: the binary struct mtget status. */
  record Status() implements Request {
    @Override
    public char letter() {
      return 'S';
    }
  }

  /** {@code s<field>}: one status field as a decimal (version-1 extension). */
  record StatusField(char field) implements Request {
    @Override
    public char letter() {
      return 's';
    }
  }

  /** {@code V<arg>\n} (BSD, answered 2) or {@code v<arg>\n} (star, answered 1). */
  record Version(boolean lowercase, String argument) implements Request {
    public Version {
      Objects.requireNonNull(argument);
    }

    @Override
    public char letter() {
      return lowercase ? 'v' : 'V';
    }
  }

  /**
   * {@code N<version>\n<capabilities>\n}: jrmt's capability negotiation (never sent by classic
   * clients). See PROTOCOL.md, "The jrmt extension".
   */
  record Negotiate(int version, List<String> capabilities) implements Request {
    public Negotiate {
      capabilities = List.copyOf(capabilities);
    }

    @Override
    public char letter() {
      return 'N';
    }
  }

  /** {@code Q\n}: jrmt's portable text status, once negotiated. */
  record PortableStatus() implements Request {
    @Override
    public char letter() {
      return 'Q';
    }
  }

  /** A request that could not be understood but left the stream in step: reply E, go on. */
  record Invalid(char command, Errno errno, String message) implements Request {
    @Override
    public char letter() {
      return 0;
    }
  }

  /**
   * Input after which the stream cannot be trusted (unknown letter, overlong argument, oversized
   * record, payload cut short): reply E, then close the session.
   */
  record Violation(Errno errno, String message) implements Request {
    @Override
    public char letter() {
      return 0;
    }
  }
}
