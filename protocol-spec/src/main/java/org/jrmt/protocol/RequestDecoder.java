package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Netty adapter for {@link RequestParser}: reads {@link ByteBuf}s and fires {@link Request}s. At
 * the end of the client's stream (channel inactive, or input shut down on a half-closed connection)
 * it fires what {@link RequestParser#finish} yields. Payloads of fired {@link Request.Write}s
 * belong to the next handler.
 *
 * <p>Backpressure at request granularity: when a handler behind it turns the channel's auto-read
 * off (its queue of requests is full), the decoder stops right after the request it just fired and
 * keeps the rest of the input undecoded, instead of firing every request of a read burst (half a
 * megabyte of {@code S} is a quarter of a million requests). The next {@code read} (auto-read
 * turned back on) decodes what it kept first, and only asks the socket for more once that is all
 * taken. An end of input that arrives meanwhile is passed on after the kept requests.
 */
public final class RequestDecoder extends ChannelDuplexHandler {
  private final RequestParser parser;
  private boolean finished;

  /** Input not decoded yet because the channel stopped reading; null when none. */
  private ByteBuf kept;

  /** The input ended while {@link #kept} was not empty: pass that on once it is decoded. */
  private boolean inputShutdownKept;

  /** A decoder reading {@code syntax}; payload buffers come from the channel's allocator. */
  public RequestDecoder(ServerSyntax syntax, ByteBufAllocator alloc) {
    this.parser = new RequestParser(syntax, alloc);
  }

  /** The parser's syntax; change it on the channel's event loop only. */
  public ServerSyntax syntax() {
    return parser.syntax();
  }

  /** Changes how further requests are read; call on the channel's event loop. */
  public void syntax(ServerSyntax syntax) {
    parser.syntax(syntax);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (kept != null) {
      // More of a read burst that was already decoded in part (TLS hands one read over in
      // several records): keep it behind what is kept, in order.
      ByteBuf both = ctx.alloc().buffer(kept.readableBytes() + in.readableBytes());
      both.writeBytes(kept).writeBytes(in);
      kept.release();
      in.release();
      kept = both;
      return;
    }
    decode(ctx, in);
  }

  /** Decodes {@code in} (now the decoder's) as far as the channel wants; keeps the rest. */
  private void decode(ChannelHandlerContext ctx, ByteBuf in) {
    try {
      parser.feed(in, ctx::fireChannelRead, () -> ctx.channel().config().isAutoRead());
    } catch (RuntimeException e) {
      in.release();
      throw e;
    }
    if (in.isReadable() && !parser.isDead()) {
      kept = in;
    } else {
      in.release();
    }
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (kept != null) {
      ByteBuf k = kept;
      kept = null;
      decode(ctx, k);
      ctx.fireChannelReadComplete();
      if (kept != null) {
        return;
      }
      if (inputShutdownKept) {
        inputShutdownKept = false;
        finish(ctx);
        ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        return;
      }
    }
    ctx.read();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      if (kept != null) {
        inputShutdownKept = true;
        return;
      }
      finish(ctx);
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // The client is gone: what it sent and was not decoded can be answered to no one.
    releaseKept();
    finish(ctx);
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseKept();
    parser.close();
  }

  private void releaseKept() {
    if (kept != null) {
      kept.release();
      kept = null;
    }
  }

  private void finish(ChannelHandlerContext ctx) {
    if (!finished) {
      finished = true;
      parser.finish(ctx::fireChannelRead);
    }
  }
}
