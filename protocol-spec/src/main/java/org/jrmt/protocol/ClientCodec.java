package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty client-side codec: encodes outgoing {@link Request}s with a {@link RequestWriter}, queues
 * the {@link Expectation} of each, and decodes incoming bytes into {@link Reply}s with a {@link
 * ReplyParser}. A protocol violation closes the channel after firing the {@link ProtocolException}
 * through {@code exceptionCaught}. Requests may be pipelined: replies come back in order.
 */
public final class ClientCodec extends ChannelDuplexHandler {
  private final RequestWriter writer;
  private ReplyParser parser;

  /** A codec writing requests for a server that reads {@code syntax}. */
  public ClientCodec(ClientSyntax syntax) {
    this.writer = new RequestWriter(syntax);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    parser = new ReplyParser(ctx.alloc());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    parser.close();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof Request request)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf encoded;
    try {
      encoded = writer.encode(request, ctx.alloc());
    } catch (RuntimeException e) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(e);
      return;
    }
    ReferenceCountUtil.release(msg);
    parser.expect(Expectation.forRequest(request));
    ctx.write(encoded, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      parser.feed(in, ctx::fireChannelRead);
    } catch (ProtocolException e) {
      ctx.fireExceptionCaught(e);
      ctx.close();
    } finally {
      in.release();
    }
  }
}
