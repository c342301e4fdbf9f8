package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Netty adapter for {@link ReplyWriter}: writes each {@link Reply} as its header followed, for
 * {@link Reply.Data}, by the payload itself (not a copy). Stateless, so one instance may be shared.
 */
@ChannelHandler.Sharable
public final class ReplyEncoder extends MessageToMessageEncoder<Reply> {
  /** The shared instance. */
  public static final ReplyEncoder INSTANCE = new ReplyEncoder();

  private ReplyEncoder() {
    super(Reply.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Reply reply, List<Object> out) {
    ByteBuf header = ctx.alloc().buffer(32);
    ReplyWriter.writeHeader(reply, header);
    out.add(header);
    if (reply instanceof Reply.Data d) {
      // The encoder releases the reply after encode; the payload travels on with its own reference.
      out.add(d.payload().retain());
    }
  }
}
