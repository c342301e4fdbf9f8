package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Netty adapter for {@link RequestParser}: reads {@link ByteBuf}s and fires {@link Request}s. At
 * the end of the client's stream (channel inactive, or input shut down on a half-closed connection)
 * it fires what {@link RequestParser#finish} yields. Payloads of fired {@link Request.Write}s
 * belong to the next handler.
 */
public final class RequestDecoder extends ChannelInboundHandlerAdapter {
  private final RequestParser parser;
  private boolean finished;

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
    try {
      parser.feed(in, ctx::fireChannelRead);
    } finally {
      in.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      finish(ctx);
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    finish(ctx);
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    parser.close();
  }

  private void finish(ChannelHandlerContext ctx) {
    if (!finished) {
      finished = true;
      parser.finish(ctx::fireChannelRead);
    }
  }
}
