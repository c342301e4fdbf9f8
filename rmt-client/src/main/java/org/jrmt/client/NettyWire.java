package org.jrmt.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.ClientCodec;
import org.jrmt.protocol.ClientSyntax;
import org.jrmt.protocol.ProtocolException;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;

/** A {@link Wire} over a TCP or TLS connection to jrmtd, with Netty and {@link ClientCodec}. */
final class NettyWire extends Wire {
  private static EventLoopGroup group;

  private final Channel channel;

  private NettyWire(Channel channel) {
    this.channel = channel;
  }

  /**
   * The client event loops, shared by every connection; daemon threads, stopped when the JVM exits.
   *
   * <p>Stopped, because HotSpot's exit waits up to 300 ms for threads that sit in native code, and
   * an idle event loop sits in {@code epoll_wait}: every jdump, jrestore and jmt that had talked to
   * jrmtd spent a third of a second in {@code System.exit}.
   */
  private static synchronized EventLoopGroup group() {
    if (group == null) {
      EventLoopGroup g =
          new MultiThreadIoEventLoopGroup(
              0, new DefaultThreadFactory("jrmt-client", true), NioIoHandler.newFactory());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(1000),
                  "jrmt-client-stop"));
      group = g;
    }
    return group;
  }

  /**
   * Connects to {@code host:port}, with TLS when {@code tls} is not null (the server's certificate
   * must name {@code host}), within {@code timeout}.
   *
   * @throws IOException naming the cause when the connection or handshake fails or times out
   */
  static NettyWire connect(
      String host, int port, SslContext tls, ClientSyntax syntax, Duration timeout)
      throws IOException {
    Holder holder = new Holder();
    Bootstrap b =
        new Bootstrap()
            .group(group())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                      ssl.setHandshakeTimeoutMillis(timeout.toMillis());
                      ch.pipeline().addLast("tls", ssl);
                    }
                    ch.pipeline().addLast("codec", new ClientCodec(syntax));
                    ch.pipeline().addLast("replies", new Replies(holder));
                  }
                });
    ChannelFuture cf = b.connect(host, port);
    Channel ch = cf.channel();
    try {
      if (!cf.await(timeout.toMillis() + 1000)) {
        ch.close();
        throw new IOException("connection timed out after " + timeout.toMillis() + " ms");
      }
      if (!cf.isSuccess()) {
        throw cause(cf.cause());
      }
      if (tls != null) {
        Future<Channel> hs = ch.pipeline().get(SslHandler.class).handshakeFuture();
        if (!hs.await(timeout.toMillis() + 1000)) {
          ch.close();
          throw new IOException("TLS handshake timed out after " + timeout.toMillis() + " ms");
        }
        if (!hs.isSuccess()) {
          ch.close();
          throw cause(hs.cause());
        }
      }
    } catch (InterruptedException e) {
      ch.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting");
    }
    NettyWire wire = new NettyWire(ch);
    holder.set(wire);
    return wire;
  }

  private static IOException cause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getMessage() == null) {
      c = c.getCause();
    }
    if (c instanceof ConnectException) {
      return new IOException(c.getMessage(), c);
    }
    return c instanceof IOException io ? io : new IOException(String.valueOf(c.getMessage()), c);
  }

  @Override
  void send(Request request) {
    channel
        .writeAndFlush(request)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail(cause(f.cause()));
              }
            });
  }

  @Override
  void shutdown() {
    channel.close();
  }

  /** Gives the handler its wire once the connection is made (replies cannot come earlier). */
  private static final class Holder {
    private volatile NettyWire wire;
    private volatile IOException early;

    void set(NettyWire w) {
      wire = w;
      if (early != null) {
        w.fail(early);
      }
    }

    void fail(IOException e) {
      NettyWire w = wire;
      if (w != null) {
        w.fail(e);
      } else if (early == null) {
        early = e;
      }
    }
  }

  private static final class Replies extends SimpleChannelInboundHandler<Reply> {
    private final Holder holder;

    Replies(Holder holder) {
      super(false);
      this.holder = holder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Reply reply) {
      NettyWire w = holder.wire;
      if (w == null) {
        release(reply);
        holder.fail(new ProtocolException("reply before any request"));
        ctx.close();
        return;
      }
      w.received(reply);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      holder.fail(NettyWire.cause(cause));
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      holder.fail(new IOException("connection closed by the server"));
    }
  }
}
