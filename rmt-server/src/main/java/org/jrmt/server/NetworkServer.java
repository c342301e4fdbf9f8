package org.jrmt.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jrmt.protocol.ReplyEncoder;
import org.jrmt.protocol.RequestDecoder;
import org.jrmt.protocol.ServerSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of {@code jrmtd}: plain TCP and TLS listeners feeding sessions. Each connection
 * gets the pipeline (TLS →) {@link RequestDecoder} → idle timer (whole requests only) → {@link
 * SessionHandler}, with {@link ReplyEncoder} on the way out. A connection holds a session slot only
 * once it has authenticated (TLS handshake done, or its first request on plain TCP); until then
 * {@link Admission} caps such connections and the login grace time closes them. Sessions beyond the
 * configured maximum are answered {@code E16} and closed.
 */
public final class NetworkServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkServer.class);

  private final ServerConfig config;
  private final ByteBufAllocator alloc;
  private final DeviceLocks locks = new DeviceLocks();
  private final SessionFactory sessions;
  private final Admission admission;
  private final EventLoopGroup group;
  private final ExecutorService devicePool;
  private final List<Channel> listeners = new ArrayList<>();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  /** A server for {@code config}; call {@link #listen} to start accepting. */
  public NetworkServer(ServerConfig config) {
    this(config, ByteBufAllocator.DEFAULT);
  }

  /** A server whose connections take their buffers from {@code alloc}. */
  NetworkServer(ServerConfig config, ByteBufAllocator alloc) {
    this.config = config;
    this.alloc = alloc;
    this.group = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "jrmt-device-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.devicePool = Executors.newCachedThreadPool(tf);
    this.sessions = new SessionFactory(config, locks);
    this.admission = new Admission(config);
  }

  /** The device locks, shared by all sessions of this server. */
  public DeviceLocks locks() {
    return locks;
  }

  /**
   * Binds a plain TCP listener.
   *
   * @return the bound address (with the real port when {@code port} 0 was asked for)
   */
  public InetSocketAddress listen(InetSocketAddress address) throws InterruptedException {
    return bind(address, null, config.syntax());
  }

  /**
   * Binds a listener with its own request syntax (a listener for newer GNU clients reading {@code
   * L} whence first, say), over TLS when {@code tls} is not null.
   *
   * @return the bound address
   */
  public InetSocketAddress listen(InetSocketAddress address, SslContext tls, ServerSyntax syntax)
      throws InterruptedException {
    return bind(address, tls, syntax);
  }

  /**
   * Binds a TLS listener; with client authentication required, the certificate's common name is the
   * session's identity.
   *
   * @return the bound address
   */
  public InetSocketAddress listenTls(InetSocketAddress address, SslContext tls)
      throws InterruptedException {
    return bind(address, tls, config.syntax());
  }

  private InetSocketAddress bind(InetSocketAddress address, SslContext tls, ServerSyntax syntax)
      throws InterruptedException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, alloc)
            // A client may send its last requests and shut its side (socat, rsh bridges): keep
            // the connection to answer them; SessionHandler closes once they are answered.
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            // Reads of up to 512 KiB when the client streams (the default stops at 64 KiB): fewer
            // read calls, and most W payloads arrive whole and are passed on as slices, not copied.
            .childOption(
                ChannelOption.RCVBUF_ALLOCATOR,
                new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 512 * 1024))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    if (tls != null) {
                      SslHandler ssl = tls.newHandler(ch.alloc());
                      // The handshake is part of the login: the session's grace timer bounds
                      // it (and says so in the audit line), not Netty's own 10 s.
                      ssl.setHandshakeTimeoutMillis(0);
                      ch.pipeline().addLast(ssl);
                    }
                    long idle = config.idleTimeout().toMillis();
                    // The idle timer sits behind the decoder, so only whole requests (and
                    // replies) count as activity: a client dribbling a byte at a time (slow
                    // loris) is as idle as a silent one.
                    ch.pipeline()
                        .addLast(new RequestDecoder(syntax, ch.alloc()))
                        .addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS))
                        .addLast(ReplyEncoder.INSTANCE)
                        .addLast(new SessionHandler(sessions, admission, devicePool, tls != null));
                  }
                });
    Channel ch = b.bind(address).sync().channel();
    listeners.add(ch);
    InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
    log.info(
        "listening on {} ({})",
        bound,
        tls == null ? "plain TCP" : "TLS, " + (TlsSettings.nativeTls() ? "BoringSSL" : "JDK"));
    return bound;
  }

  /**
   * What the server holds now, summed over its connections, for monitoring (and tests).
   *
   * @param sessions sessions being served (connections that authenticated or sent a request)
   * @param unauthenticated connections that have not, and hold no session slot
   * @param queuedRequests requests decoded and not yet executed
   * @param queuedReplyBytes bytes of replies not yet taken by the clients (with an overhead per
   *     reply for what it holds besides its payload)
   * @param notReading connections the server has stopped reading from (their queues are full)
   */
  public record Backlog(
      int sessions,
      int unauthenticated,
      long queuedRequests,
      long queuedReplyBytes,
      int notReading) {}

  /** A snapshot of what the server holds now. */
  public Backlog backlog() {
    long requests = 0;
    long replies = 0;
    int notReading = 0;
    for (Channel ch : connections) {
      SessionHandler h = ch.pipeline().get(SessionHandler.class);
      if (h != null) {
        requests += h.queuedRequests();
        replies += h.queuedReplyBytes();
      }
      if (!ch.config().isAutoRead()) {
        notReading++;
      }
    }
    return new Backlog(sessions(), admission.unauthenticated(), requests, replies, notReading);
  }

  /** The number of sessions being served now (connections not yet authenticated not counted). */
  public int sessions() {
    return admission.sessions();
  }

  /**
   * Stops listening, ends every session, lets the device threads finish (closing devices and
   * releasing locks) and then stops the event loops, in that order.
   */
  @Override
  public void close() {
    for (Channel ch : listeners) {
      ch.close().syncUninterruptibly();
    }
    connections.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    devicePool.shutdown();
    try {
      if (!devicePool.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("device threads still busy after 10 s; stopping anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
