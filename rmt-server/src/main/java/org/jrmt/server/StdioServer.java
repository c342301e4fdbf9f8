package org.jrmt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.ReplyWriter;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.RequestParser;

/**
 * Serves one session over a pair of streams: the {@code jrmt} mode, where ssh, rsh or inetd
 * connects the client to stdin and stdout. Requests run in order on the calling thread, one at a
 * time, and each reply is written out as it is made (small ones gathered in a 64 KiB buffer that is
 * flushed once the input read so far is answered), so the server holds at most one reply, whatever
 * the client asks for in one read: the bound jrmtd keeps per session, at its tightest.
 */
public final class StdioServer {
  private static final int CHUNK = 64 * 1024;

  private final SessionFactory sessions;
  private final ByteBufAllocator alloc;

  /** A server for {@code config}; {@code locks} are shared with any other sessions. */
  public StdioServer(ServerConfig config, DeviceLocks locks) {
    this(config, locks, PooledByteBufAllocator.DEFAULT);
  }

  /** A server taking its buffers from {@code alloc}. */
  StdioServer(ServerConfig config, DeviceLocks locks, ByteBufAllocator alloc) {
    this.sessions = new SessionFactory(config, locks);
    this.alloc = alloc;
  }

  /**
   * Reads requests from {@code in} until it ends or a request ends the session, writing each reply
   * to {@code out} as it is made, flushed once the input read so far is answered.
   *
   * @return the session's statistics
   */
  public SessionStats serve(InputStream in, OutputStream out, Identity who) throws IOException {
    SessionStats stats = new SessionStats(who.toString());
    Session session = sessions.open(who, stats, alloc);
    RequestParser parser =
        new RequestParser(sessions.syntax(sessions.config().syntax(), who), alloc);
    Replies replies = new Replies(out);
    String end = "eof";
    try {
      byte[] chunk = new byte[CHUNK];
      while (!session.ended()) {
        int n = in.read(chunk);
        if (n < 0) {
          parser.finish(r -> answer(session, r, replies));
          replies.flush();
          break;
        }
        ByteBuf input = Unpooled.wrappedBuffer(chunk, 0, n);
        try {
          parser.feed(input, r -> answer(session, r, replies));
        } finally {
          input.release();
        }
        replies.flush();
      }
      if (session.ended()) {
        end = session.endReason();
      }
    } catch (UncheckedIOException e) {
      end = "output-closed";
      throw e.getCause();
    } catch (RuntimeException | Error e) {
      end = "error";
      throw e;
    } finally {
      parser.close();
      sessions.end(session, stats, end);
    }
    return stats;
  }

  private static void answer(Session session, Request request, Replies replies) {
    if (session.ended()) {
      ReferenceCountUtil.release(request);
      return;
    }
    replies.write(session.execute(request));
  }

  /** Writes replies to the client's stream; I/O failures come out unchecked, from the parser. */
  private static final class Replies {
    private final OutputStream out;
    private final ByteBuf header = Unpooled.buffer(64);

    Replies(OutputStream out) {
      this.out = new BufferedOutputStream(out, CHUNK);
    }

    /** Writes {@code reply}: its header, then its payload (released here). */
    void write(Reply reply) {
      try {
        header.clear();
        ReplyWriter.writeHeader(reply, header);
        header.readBytes(out, header.readableBytes());
        if (reply instanceof Reply.Data d) {
          ByteBuf p = d.payload();
          p.getBytes(p.readerIndex(), out, p.readableBytes());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        ReferenceCountUtil.release(reply);
      }
    }

    void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
