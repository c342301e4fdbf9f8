package org.jrmt.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.RequestDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one channel to one {@link Session}. Requests arrive on the event loop and are handed, in
 * order, to the session's device thread (a {@link SerialExecutor}); replies go back through the
 * channel in the same order. Device I/O never runs on the event loop.
 *
 * <p>Backpressure: when the payload bytes queued for the device thread pass the configured window,
 * the channel stops reading from the socket until the device has caught up to half of it, so a fast
 * client cannot make the server buffer more than about one window per session.
 *
 * <p>Batching, for pipelining clients: the requests decoded in one read burst go to the device
 * thread as one task (at {@code channelReadComplete}), and the device thread's replies go to the
 * event loop through an outbox that one event-loop task writes out and flushes at once, so a burst
 * of replies costs one wake-up and one socket write rather than one of each per reply. The order of
 * requests and replies is unchanged.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
  private static final Logger audit = LoggerFactory.getLogger("org.jrmt.audit");

  private final ServerConfig config;
  private final DeviceLocks locks;
  private final Executor pool;
  private final Runnable onEnd;
  private final IdentitySessions perIdentity;
  private final boolean tls;
  private Identity admitted;
  private final AtomicLong queuedBytes = new AtomicLong();
  private SerialExecutor deviceThread;
  private Session session;
  private SessionStats stats;
  private volatile boolean gone;
  private String end = "eof";

  /** Requests decoded in the current read burst, not yet handed to the device thread. */
  private List<Runnable> decoded = new ArrayList<>();

  /** Replies (and close marks) from the device thread, in order, for the event loop to write. */
  private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean outboxScheduled = new AtomicBoolean();

  /** A message for the channel; {@code close}: close the channel once it is written. */
  private record Outgoing(Object message, boolean close) {}

  SessionHandler(
      ServerConfig config,
      DeviceLocks locks,
      Executor pool,
      IdentitySessions perIdentity,
      boolean tls,
      Runnable onEnd) {
    this.perIdentity = perIdentity;
    this.tls = tls;
    this.config = config;
    this.locks = locks;
    this.pool = pool;
    this.onEnd = onEnd;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String address = remoteIp(ctx);
    stats = new SessionStats(String.valueOf(ctx.channel().remoteAddress()).replace("/", ""));
    session =
        new Session(
            config,
            new DeviceCatalog(config),
            locks,
            ctx.alloc(),
            stats,
            Identity.address(address));
    deviceThread = new SerialExecutor(pool);
    super.channelActive(ctx);
    if (!tls) {
      admit(ctx, Identity.address(address));
    }
  }

  /**
   * Counts the session against its identity's limit (over it: E16 and close) and applies the
   * identity's own {@code L} order, if a policy rule gives one.
   */
  private void admit(ChannelHandlerContext ctx, Identity who) {
    if (perIdentity.admit(who)) {
      admitted = who;
      RequestDecoder decoder = ctx.pipeline().get(RequestDecoder.class);
      config
          .effectivePolicy()
          .seekOrder(who)
          .ifPresent(
              order ->
                  decoder.syntax(
                      decoder.syntax().withSeekOrder(order, decoder.syntax().detectSeekOrder())));
      return;
    }
    end = "identity-limit";
    log.info("refusing a session for {}: too many sessions", who);
    ctx.writeAndFlush(new Reply.Error(Errno.EBUSY.number(), "Too many sessions"))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Request request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    int payload = request instanceof Request.Write w ? w.count() : 0;
    if (queuedBytes.addAndGet(payload) > config.window()) {
      ctx.channel().config().setAutoRead(false);
    }
    if (decoded.isEmpty()) {
      // Normally channelReadComplete hands the burst over; this covers any path that fires reads
      // without it, once the event loop is done with its current I/O.
      ctx.executor().execute(this::handOver);
    }
    decoded.add(() -> run(ctx, request, payload));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    handOver();
    super.channelReadComplete(ctx);
  }

  /** Hands the requests decoded so far to the device thread, as one task. */
  private void handOver() {
    if (decoded.isEmpty()) {
      return;
    }
    List<Runnable> batch = decoded;
    decoded = new ArrayList<>();
    if (batch.size() == 1) {
      deviceThread.execute(batch.get(0));
    } else {
      deviceThread.execute(
          () -> {
            for (Runnable r : batch) {
              r.run();
            }
          });
    }
  }

  /**
   * Sends {@code message} from the device thread: queued in order behind earlier replies, written
   * by the event loop, which flushes once per batch.
   */
  private void send(ChannelHandlerContext ctx, Object message, boolean close) {
    outbox.add(new Outgoing(message, close));
    if (outboxScheduled.compareAndSet(false, true)) {
      try {
        ctx.executor().execute(() -> writeOutbox(ctx));
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down: the channel is closed, nothing can be written.
        outboxScheduled.set(false);
        Outgoing o;
        while ((o = outbox.poll()) != null) {
          ReferenceCountUtil.release(o.message());
        }
      }
    }
  }

  /** On the event loop: writes what the outbox holds, in order, then flushes. */
  private void writeOutbox(ChannelHandlerContext ctx) {
    outboxScheduled.set(false);
    Outgoing o;
    while ((o = outbox.poll()) != null) {
      if (o.close()) {
        ctx.writeAndFlush(o.message()).addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.write(o.message());
      }
    }
    ctx.flush();
  }

  private void run(ChannelHandlerContext ctx, Request request, int payload) {
    if (gone || session.ended()) {
      ReferenceCountUtil.release(request);
      return;
    }
    Reply reply = session.execute(request);
    long left = queuedBytes.addAndGet(-payload);
    if (payload > 0 && left <= config.window() / 2 && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
    if (session.ended()) {
      end = "violation";
      send(ctx, reply, true);
    } else {
      send(ctx, reply, false);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    // Requests the decoder fired at the end of input come before whatever the event brings.
    handOver();
    if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (hs.isSuccess()) {
        String cn = identity(ctx);
        stats.identify(cn, "tls");
        Identity who = cn != null ? Identity.certificate(cn) : Identity.address(remoteIp(ctx));
        if (cn != null) {
          deviceThread.execute(() -> session.identify(who));
        }
        admit(ctx, who);
      } else {
        end = "tls-failed";
        log.info(
            "TLS handshake with {} failed: {}",
            ctx.channel().remoteAddress(),
            hs.cause().getMessage());
      }
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      // The client has sent all it will: answer what is queued, in order, then close.
      deviceThread.execute(() -> send(ctx, Unpooled.EMPTY_BUFFER, true));
    }
    if (evt instanceof IdleStateEvent) {
      end = "idle";
      // Said once, in the place of the reply the client will wait for next.
      ctx.writeAndFlush(new Reply.Error(Errno.EIO.number(), "Idle timeout"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    handOver();
    gone = true;
    if (admitted != null) {
      perIdentity.release(admitted);
    }
    deviceThread.execute(
        () -> {
          session.close();
          audit.info(stats.auditLine(end));
          onEnd.run();
        });
    super.channelInactive(ctx);
  }

  private static String remoteIp(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress()
        : String.valueOf(ctx.channel().remoteAddress());
  }

  /** The client certificate's common name, or null without one. */
  private static String identity(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
        return SiteCertificates.commonName(x);
      }
    } catch (SSLPeerUnverifiedException e) {
      // No client certificate (allowed only when the listener does not require one).
    }
    return null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    end = "error";
    log.debug("session error", cause);
    ctx.close();
  }
}
