package org.jrmt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>Admission: until the connection authenticates (TLS handshake done; on plain TCP, its first
 * whole request) it is no one: it holds no session slot, only a place among the unauthenticated
 * connections of {@link Admission}, which may drop it as the oldest, and it is closed at the login
 * grace time. Then the session is set up ({@link SessionFactory}) with its identity, or refused
 * with {@code E16} over the session limits.
 *
 * <p>Bounds, for every kind of request: the server stops reading from the client (auto-read off;
 * the {@link RequestDecoder} then keeps the rest of the input undecoded) while the session holds
 * {@code maxQueuedRequests} requests not yet executed, or {@code W} payloads holding more than the
 * window of input buffers, and reads again once both are down to half. The device thread does not
 * execute the next request while the replies not yet taken by the client pass {@code
 * maxQueuedReplyBytes}. So a client that sends without end and never reads costs at most those
 * bounds, not the heap.
 *
 * <p>Batching, for pipelining clients: the requests decoded in one read burst go to the device
 * thread as one task (at {@code channelReadComplete}), and the device thread's replies go to the
 * event loop through an outbox that one event-loop task writes out and flushes at once, so a burst
 * of replies costs one wake-up and one socket write rather than one of each per reply. The order of
 * requests and replies is unchanged.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter implements Admission.Connection {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  /**
   * What a reply waiting for the client costs besides its payload: its header buffer, the channel's
   * outbound entry and promise, the reply itself. Counted so that a flood of tiny replies (an
   * {@code A2} is 3 bytes on the wire) is bounded by the memory it holds, not by its wire size.
   */
  private static final int REPLY_OVERHEAD = 256;

  private final SessionFactory sessions;
  private final ServerConfig config;
  private final Admission admission;
  private final Executor pool;
  private final boolean tls;

  // Event loop only.
  private ChannelHandlerContext ctx;
  private SessionStats stats;
  private ScheduledFuture<?> grace;
  private Identity admitted;
  private boolean refused;
  private SerialExecutor deviceThread;

  /** Requests decoded in the current read burst, not yet handed to the device thread. */
  private List<Runnable> decoded = new ArrayList<>();

  /**
   * The input buffer the last {@code W} payload of this read burst is a slice of, already charged
   * to the window.
   */
  private ByteBuf lastInput;

  /** Set on the event loop when admitted, read on the device thread after the hand-over. */
  private volatile Session session;

  private volatile boolean gone;

  /** Why the session ended, for the audit line: the first cause wins; null is {@code eof}. */
  private final AtomicReference<String> end = new AtomicReference<>();

  private final AtomicInteger queuedRequests = new AtomicInteger();

  /** Bytes of input buffers the queued {@code W} payloads hold (at least the payloads' size). */
  private final AtomicLong queuedBytes = new AtomicLong();

  /** Bytes of replies made and not yet written to the socket, with their overhead. */
  private final AtomicLong replyBytes = new AtomicLong();

  private final Object replyRoom = new Object();
  private volatile boolean awaitingRoom;
  private final AtomicBoolean resumeScheduled = new AtomicBoolean();

  /** Replies (and close marks) from the device thread, in order, for the event loop to write. */
  private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean outboxScheduled = new AtomicBoolean();

  /** A message for the channel; {@code close}: close the channel once it is written. */
  private record Outgoing(Object message, boolean close, long size) {}

  SessionHandler(SessionFactory sessions, Admission admission, Executor pool, boolean tls) {
    this.sessions = sessions;
    this.config = sessions.config();
    this.admission = admission;
    this.pool = pool;
    this.tls = tls;
  }

  /** Requests decoded and not yet executed. */
  long queuedRequests() {
    return queuedRequests.get();
  }

  /** Bytes of replies not yet taken by the client. */
  long queuedReplyBytes() {
    return replyBytes.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    stats = new SessionStats(String.valueOf(ctx.channel().remoteAddress()).replace("/", ""));
    deviceThread = new SerialExecutor(pool, this::deviceThreadFailed);
    grace =
        ctx.executor()
            .schedule(
                this::graceExpired, config.loginGraceTime().toMillis(), TimeUnit.MILLISECONDS);
    admission.arrived(this, ctx.channel().remoteAddress());
    super.channelActive(ctx);
  }

  /** Called by {@link Admission} from any thread: this connection was the oldest over a cap. */
  @Override
  public void drop() {
    ctx.executor()
        .execute(
            () -> {
              if (session == null) {
                ended("dropped");
                ctx.close();
              }
            });
  }

  private void graceExpired() {
    if (session != null || refused || gone) {
      return;
    }
    ended("grace");
    log.debug("closing {}: login grace time expired", ctx.channel().remoteAddress());
    if (!tls) {
      // Said where the reply to its first request would be; TLS has no channel for it yet.
      ctx.writeAndFlush(new Reply.Error(Errno.ETIMEDOUT.number(), "Login grace time expired"));
    }
    ctx.close();
  }

  /**
   * The connection authenticated as {@code who}: takes a session slot and sets the session up, or
   * refuses it ({@code E16}, then close).
   *
   * @return true when admitted
   */
  private boolean admit(Identity who) {
    grace.cancel(false);
    Admission.Verdict v = admission.admit(this, who);
    switch (v) {
      case ADMITTED -> {
        admitted = who;
        session = sessions.open(who, stats, ctx.alloc());
        RequestDecoder decoder = ctx.pipeline().get(RequestDecoder.class);
        decoder.syntax(sessions.syntax(decoder.syntax(), who));
        return true;
      }
      case DROPPED -> refused = true;
      case TOO_MANY_SESSIONS, TOO_MANY_FOR_IDENTITY -> {
        refused = true;
        ended(v == Admission.Verdict.TOO_MANY_SESSIONS ? "session-limit" : "identity-limit");
        log.info("refusing a session for {}: too many sessions", who);
        ctx.writeAndFlush(new Reply.Error(Errno.EBUSY.number(), "Too many sessions"))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }
    return false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Request request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (session == null && (refused || gone || !admit(Identity.address(remoteIp(ctx))))) {
      ReferenceCountUtil.release(request);
      return;
    }
    long charge = charge(request);
    int requests = queuedRequests.incrementAndGet();
    long bytes = queuedBytes.addAndGet(charge);
    if (requests >= config.maxQueuedRequests() || bytes > config.window()) {
      pauseReading();
    }
    if (decoded.isEmpty()) {
      // Normally channelReadComplete hands the burst over; this covers any path that fires reads
      // without it, once the event loop is done with its current I/O.
      ctx.executor().execute(this::handOver);
    }
    decoded.add(() -> run(request, charge));
  }

  /**
   * What a request counts against the window: for a {@code W} payload that is a slice of an input
   * buffer, that whole buffer the first time one of its slices is queued (a one-byte payload can
   * hold half a megabyte of buffer), else the payload itself.
   */
  private long charge(Request request) {
    if (!(request instanceof Request.Write w)) {
      return 0;
    }
    ByteBuf input = w.data().unwrap();
    if (input == null) {
      return w.count();
    }
    if (input == lastInput) {
      return 0;
    }
    lastInput = input;
    return Math.max(w.count(), input.capacity());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    // Each read has a buffer of its own; a pooled buffer object may come back for a later read
    // once released, so identity is compared within one read burst only.
    lastInput = null;
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

  /** On the event loop: stops reading; reads again at once if the queues emptied meanwhile. */
  private void pauseReading() {
    ctx.channel().config().setAutoRead(false);
    // The device thread may have drained the queues between the count and the switch, looking at
    // auto-read before it was off: then no one else would turn it on again.
    resumeIfDrained();
  }

  /** On the event loop: reads again once the queues are down to half their bounds. */
  private void resumeIfDrained() {
    if (!ctx.channel().config().isAutoRead()
        && !gone
        && queuedRequests.get() <= config.maxQueuedRequests() / 2
        && queuedBytes.get() <= config.window() / 2) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** On the device thread: a request is done with; asks the event loop to read again if due. */
  private void dequeued(long charge) {
    int requests = queuedRequests.decrementAndGet();
    long bytes = queuedBytes.addAndGet(-charge);
    if (!ctx.channel().config().isAutoRead()
        && requests <= config.maxQueuedRequests() / 2
        && bytes <= config.window() / 2
        && resumeScheduled.compareAndSet(false, true)) {
      try {
        ctx.executor()
            .execute(
                () -> {
                  resumeScheduled.set(false);
                  resumeIfDrained();
                });
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down: nothing is read any more anyway.
      }
    }
  }

  private void run(Request request, long charge) {
    try {
      Session s = session;
      if (gone || s.ended()) {
        ReferenceCountUtil.release(request);
        return;
      }
      awaitReplyRoom();
      if (gone) {
        ReferenceCountUtil.release(request);
        return;
      }
      Reply reply = s.execute(request);
      if (s.ended()) {
        ended(s.endReason());
        send(reply, true);
      } else {
        send(reply, false);
      }
    } finally {
      dequeued(charge);
    }
  }

  /**
   * On the device thread: waits while the replies the client has not taken pass their bound, so a
   * client that never reads stops the session's work instead of filling memory with replies.
   */
  private void awaitReplyRoom() {
    if (replyBytes.get() <= config.maxQueuedReplyBytes()) {
      return;
    }
    synchronized (replyRoom) {
      awaitingRoom = true;
      try {
        while (replyBytes.get() > config.maxQueuedReplyBytes() && !gone) {
          replyRoom.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        awaitingRoom = false;
      }
    }
  }

  /** Any thread: {@code n} bytes of replies were written to the socket (or dropped). */
  private void replied(long n) {
    long left = replyBytes.addAndGet(-n);
    if (awaitingRoom && left <= config.maxQueuedReplyBytes()) {
      wakeDeviceThread();
    }
  }

  private void wakeDeviceThread() {
    synchronized (replyRoom) {
      replyRoom.notifyAll();
    }
  }

  /**
   * Sends {@code message} from the device thread: queued in order behind earlier replies, written
   * by the event loop, which flushes once per batch.
   */
  private void send(Object message, boolean close) {
    long size = sizeOf(message);
    replyBytes.addAndGet(size);
    outbox.add(new Outgoing(message, close, size));
    if (outboxScheduled.compareAndSet(false, true)) {
      try {
        ctx.executor().execute(this::writeOutbox);
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down: the channel is closed, nothing can be written.
        outboxScheduled.set(false);
        Outgoing o;
        while ((o = outbox.poll()) != null) {
          ReferenceCountUtil.release(o.message());
          replied(o.size());
        }
      }
    }
  }

  private static long sizeOf(Object message) {
    if (message instanceof Reply.Data d) {
      return REPLY_OVERHEAD + d.count();
    }
    if (message instanceof Reply.Error e) {
      return REPLY_OVERHEAD + e.message().length();
    }
    return REPLY_OVERHEAD;
  }

  /** On the event loop: writes what the outbox holds, in order, then flushes. */
  private void writeOutbox() {
    outboxScheduled.set(false);
    Outgoing o;
    long batch = 0;
    ChannelFuture last = null;
    while ((o = outbox.poll()) != null) {
      batch += o.size();
      if (o.close()) {
        last = ctx.writeAndFlush(o.message());
        last.addListener(ChannelFutureListener.CLOSE);
      } else {
        last = ctx.write(o.message());
      }
    }
    ctx.flush();
    if (last != null) {
      // Writes complete (or fail) in order: the last one's outcome accounts for the batch.
      long written = batch;
      last.addListener(f -> replied(written));
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
        admit(cn != null ? Identity.certificate(cn) : Identity.address(remoteIp(ctx)));
      } else if (end.get() == null) {
        // (Not when jrmtd itself closed it: grace time, or dropped as the oldest.)
        ended("tls-failed");
        if (hs.cause() instanceof ClosedChannelException) {
          log.debug("{} closed before its TLS handshake ended", ctx.channel().remoteAddress());
        } else {
          log.info(
              "TLS handshake with {} failed: {}",
              ctx.channel().remoteAddress(),
              hs.cause().getMessage());
        }
      }
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      if (session == null) {
        // Nothing asked, nothing to answer.
        ctx.close();
      } else {
        // The client has sent all it will: answer what is queued, in order, then close.
        deviceThread.execute(() -> send(Unpooled.EMPTY_BUFFER, true));
      }
    }
    if (evt instanceof IdleStateEvent) {
      ended("idle");
      // Said once, in the place of the reply the client will wait for next, if it fits: a client
      // that does not read is closed all the same.
      ctx.writeAndFlush(new Reply.Error(Errno.EIO.number(), "Idle timeout"));
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    handOver();
    gone = true;
    grace.cancel(false);
    wakeDeviceThread();
    admission.left(this);
    Session s = session;
    Identity who = admitted;
    deviceThread.execute(
        () -> {
          sessions.end(s, stats, end.get() == null ? "eof" : end.get());
          if (who != null) {
            admission.release(who);
          }
        });
    super.channelInactive(ctx);
  }

  /** The first cause of the end wins; later ones (the close it causes) do not overwrite it. */
  private void ended(String why) {
    end.compareAndSet(null, why);
  }

  /** A Throwable escaped a task of the device thread: the session cannot go on. */
  private void deviceThreadFailed(Throwable t) {
    ended("error");
    log.error("session of {}: {}; ending it", stats.peer(), t.toString());
    log.debug("device thread failure", t);
    ctx.channel().close();
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
    ended("error");
    log.debug("session error", cause);
    ctx.close();
  }
}
