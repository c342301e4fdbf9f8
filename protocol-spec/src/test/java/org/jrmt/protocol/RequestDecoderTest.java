package org.jrmt.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder stops right after the request that made a handler turn auto-read off, keeps the rest
 * of the input, and resumes from it, in order, when auto-read comes back.
 */
class RequestDecoderTest {
  /** Takes requests, turning auto-read off once it holds {@code max}, like a full queue. */
  private static final class Queue extends ChannelInboundHandlerAdapter {
    final List<Object> got = new ArrayList<>();
    final List<Object> events = new ArrayList<>();
    int max;

    Queue(int max) {
      this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      got.add(msg instanceof Request.Version v ? v.argument() : msg.getClass().getSimpleName());
      ReferenceCountUtil.release(msg);
      if (got.size() >= max) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  private static String versions(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("V").append(i).append('\n');
    }
    return sb.toString();
  }

  @Test
  void stopsWhenAutoReadGoesOffAndResumesInOrder() {
    Queue q = new Queue(3);
    EmbeddedChannel ch =
        new EmbeddedChannel(new RequestDecoder(ServerSyntax.DEFAULT, ByteBufAllocator.DEFAULT), q);
    ch.writeInbound(Unpooled.copiedBuffer(versions(0, 10), StandardCharsets.US_ASCII));
    assertThat(q.got).containsExactly("0", "1", "2");
    // More input while stopped (TLS records of the same read) is kept behind it.
    ch.writeInbound(Unpooled.copiedBuffer(versions(10, 12), StandardCharsets.US_ASCII));
    assertThat(q.got).hasSize(3);
    q.max = 7;
    ch.config().setAutoRead(true);
    assertThat(q.got).containsExactly("0", "1", "2", "3", "4", "5", "6");
    q.max = 100;
    ch.config().setAutoRead(true);
    assertThat(q.got).hasSize(12).endsWith("9", "10", "11");
    ch.finishAndReleaseAll();
  }

  @Test
  void theEndOfInputWaitsForTheKeptRequests() {
    Queue q = new Queue(2);
    EmbeddedChannel ch =
        new EmbeddedChannel(new RequestDecoder(ServerSyntax.DEFAULT, ByteBufAllocator.DEFAULT), q);
    ch.writeInbound(Unpooled.copiedBuffer(versions(0, 4) + "W10\nabc", StandardCharsets.US_ASCII));
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThat(q.got).containsExactly("0", "1");
    assertThat(q.events).isEmpty();
    q.max = 100;
    ch.config().setAutoRead(true);
    // The kept requests, then the cut payload's violation, then the end of input.
    assertThat(q.got).containsExactly("0", "1", "2", "3", "Violation");
    assertThat(q.events).containsExactly(ChannelInputShutdownEvent.INSTANCE);
    ch.finishAndReleaseAll();
  }
}
