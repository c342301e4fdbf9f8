package org.jrmt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * The buffers of one session's {@code R} replies, sized by what the tape returns rather than by the
 * count the client asks for (any count up to the record limit, 16 MiB by default, even on a tape of
 * 512-byte records). Where the tape can tell the length of the next record ({@link
 * Tape#nextReadLength}: SIMH tapes, regular files) the reply buffer is exactly that long, and the
 * record is read into it. A tape that cannot tell (a drive) must be read into a buffer at least as
 * long as the record, so the session keeps one of the largest count asked so far, reuses it, and
 * replies with a copy of the record's true length; it is given back when the session ends. Either
 * way a session holds at most one count-sized buffer, and replies hold only the bytes read. Used on
 * the session's device thread only.
 */
final class ReadBuffers {
  private final ByteBufAllocator alloc;
  private ByteBuf scratch;

  ReadBuffers(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /** Reads the next record of {@code tape}, at most {@code count > 0} bytes, as a reply payload. */
  ByteBuf read(Tape tape, int count) throws TapeException {
    int known = tape.nextReadLength();
    if (known >= 0) {
      int size = Math.min(count, known);
      ByteBuf buf = alloc.buffer(size, size);
      try {
        buf.writerIndex(tape.read(buf.nioBuffer(0, size)));
        return buf;
      } catch (TapeException | RuntimeException | Error e) {
        buf.release();
        throw e;
      }
    }
    if (scratch == null || scratch.capacity() < count) {
      release();
      scratch = alloc.buffer(count, count);
    }
    int n = tape.read(scratch.nioBuffer(0, count));
    return alloc.buffer(n, n).writeBytes(scratch, 0, n);
  }

  /** Gives the reused buffer back. */
  void release() {
    if (scratch != null) {
      scratch.release();
      scratch = null;
    }
  }
}
