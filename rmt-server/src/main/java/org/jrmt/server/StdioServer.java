package org.jrmt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.ReplyWriter;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.RequestParser;
import org.jrmt.protocol.SeekOrder;
import org.jrmt.protocol.ServerSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one session over a pair of streams: the {@code jrmt} mode, where ssh, rsh or inetd
 * connects the client to stdin and stdout. Requests run in order on the calling thread.
 */
public final class StdioServer {
  private static final Logger audit = LoggerFactory.getLogger("org.jrmt.audit");

  private final ServerConfig config;
  private final DeviceLocks locks;

  /** A server for {@code config}; {@code locks} are shared with any other sessions. */
  public StdioServer(ServerConfig config, DeviceLocks locks) {
    this.config = config;
    this.locks = locks;
  }

  /**
   * Reads requests from {@code in} until it ends or a request ends the session, writing each reply
   * to {@code out} as soon as the input read so far is processed.
   *
   * @return the session's statistics
   */
  public SessionStats serve(InputStream in, OutputStream out, Identity who) throws IOException {
    ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    SessionStats stats = new SessionStats(who.toString());
    Session session = new Session(config, new DeviceCatalog(config), locks, alloc, stats, who);
    ServerSyntax syntax = config.syntax();
    Optional<SeekOrder> order = config.effectivePolicy().seekOrder(who);
    if (order.isPresent()) {
      syntax = syntax.withSeekOrder(order.get(), syntax.detectSeekOrder());
    }
    RequestParser parser = new RequestParser(syntax, alloc);
    ByteBuf replies = alloc.buffer(256);
    String end = "eof";
    try {
      byte[] chunk = new byte[64 * 1024];
      while (!session.ended()) {
        int n = in.read(chunk);
        if (n < 0) {
          parser.finish(r -> answer(session, r, replies));
          flush(replies, out);
          break;
        }
        ByteBuf input = Unpooled.wrappedBuffer(chunk, 0, n);
        try {
          parser.feed(input, r -> answer(session, r, replies));
        } finally {
          input.release();
        }
        flush(replies, out);
      }
      if (session.ended()) {
        end = "violation";
      }
    } catch (UncheckedIOException e) {
      end = "output-closed";
      throw e.getCause();
    } finally {
      parser.close();
      session.close();
      replies.release();
      audit.info(stats.auditLine(end));
    }
    return stats;
  }

  private static void answer(Session session, Request request, ByteBuf replies) {
    if (session.ended()) {
      ReferenceCountUtil.release(request);
      return;
    }
    Reply reply = session.execute(request);
    ReplyWriter.writeHeader(reply, replies);
    if (reply instanceof Reply.Data d) {
      replies.writeBytes(d.payload());
      d.release();
    }
  }

  private static void flush(ByteBuf replies, OutputStream out) {
    try {
      if (replies.isReadable()) {
        replies.readBytes(out, replies.readableBytes());
        out.flush();
      }
      replies.clear();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
