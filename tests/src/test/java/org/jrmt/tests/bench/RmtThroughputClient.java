package org.jrmt.tests.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Throughput client for the rmt protocol, used by {@code bench/run}. Not a test.
 *
 * <p>One session per run: opens a file on the server ({@code /dev/null} by default) write-only,
 * sends {@code W<record>} requests carrying {@code --bytes} in total, counts the {@code A} replies,
 * closes. With {@code --depth 1} it waits for each reply before sending the next request
 * (stop-and-wait, as GNU tar does); with a larger depth it keeps that many requests in flight
 * (pipelining). Time runs from the open's reply to the close's reply. Plain TCP, or TLS 1.3 with a
 * client certificate when {@code --tls-dir} names a directory with {@code ca.crt}, {@code
 * client.crt}, {@code client.key} (as {@code jrmtd cert init / issue client} write them).
 *
 * <p>With {@code --sessions N} each run is N concurrent sessions on the one event loop, sharing
 * {@code --bytes} evenly; the result is their aggregate, all bytes over the time from the first
 * connect to the last close reply. A {@code %d} in {@code --path} becomes the session's number
 * (jrmtd lets one session at a time open a device). {@code --flags} is the open request's flag line
 * ({@code 1 O_WRONLY} by default).
 *
 * <p>Output: one line per measured run, then {@code RESULT <GB/s> <GB/s> ...} (GB = 10^9 bytes).
 *
 * <pre>
 * java -cp 'tests/target/test-classes:dist/target/lib/*' org.jrmt.tests.bench.RmtThroughputClient \
 *   --port 4768 [--tls-dir DIR] [--record 65536] [--bytes 4G] [--warmup 1G] [--runs 5] [--depth 256]
 *   [--sessions 1] [--path /dev/null] [--flags '1 O_WRONLY']
 * </pre>
 */
public final class RmtThroughputClient {
  private RmtThroughputClient() {}

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 4768;
    String tlsDir = null;
    int record = 65536;
    long bytes = 4L << 30;
    long warmup = 1L << 30;
    int runs = 5;
    int depth = 256;
    String path = "/dev/null";
    String flags = "1 O_WRONLY";
    int sessions = 1;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--host" -> host = v;
        case "--port" -> port = Integer.parseInt(v);
        case "--tls-dir" -> tlsDir = v;
        case "--record" -> record = (int) size(v);
        case "--bytes" -> bytes = size(v);
        case "--warmup" -> warmup = size(v);
        case "--runs" -> runs = Integer.parseInt(v);
        case "--depth" -> depth = Integer.parseInt(v);
        case "--path" -> path = v;
        case "--flags" -> flags = v;
        case "--sessions" -> sessions = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    SslContext ssl = null;
    if (tlsDir != null) {
      File dir = new File(tlsDir);
      ssl =
          SslContextBuilder.forClient()
              .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
              .protocols("TLSv1.3")
              .keyManager(new File(dir, "client.crt"), new File(dir, "client.key"))
              .trustManager(new File(dir, "ca.crt"))
              .build();
    }
    System.out.printf(
        "client: %s, record %d, depth %d, %d sessions, %d bytes per run, %d runs, client TLS %s%n",
        ssl == null ? "plain TCP" : "TLS 1.3",
        record,
        depth,
        sessions,
        bytes,
        runs,
        ssl == null ? "-" : (OpenSsl.isAvailable() ? "BoringSSL" : "JDK"));
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ByteBuf frame = frame(record);
    List<Double> results = new ArrayList<>();
    try {
      Target t = new Target(host, port, ssl, frame, record, depth, path, flags);
      if (warmup > 0) {
        Result r = sessions(group, t, records(warmup, record), sessions);
        System.out.printf("warmup %.3f GB/s (%s)%n", r.gbps(), r.protocol);
      }
      for (int i = 0; i < runs; i++) {
        Result r = sessions(group, t, records(bytes, record), sessions);
        System.out.printf(
            "run %d: %d bytes in %.3f s = %.3f GB/s (%s)%n",
            i + 1, r.bytes, r.seconds, r.gbps(), r.protocol);
        results.add(r.gbps());
      }
    } finally {
      frame.release();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    StringBuilder line = new StringBuilder("RESULT");
    for (double d : results) {
      line.append(String.format(" %.4f", d));
    }
    System.out.println(line);
  }

  private static long records(long bytes, int record) {
    return Math.max(1, bytes / record);
  }

  /**
   * "W<record>\n" followed by <record> random bytes, in one direct buffer sent for every record.
   */
  private static ByteBuf frame(int record) {
    byte[] header = ("W" + record + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] payload = new byte[record];
    new Random(42).nextBytes(payload);
    ByteBuf b = Unpooled.directBuffer(header.length + record);
    b.writeBytes(header).writeBytes(payload);
    return b;
  }

  static long size(String s) {
    s = s.trim().toUpperCase();
    long mult = 1;
    char last = s.charAt(s.length() - 1);
    if (last == 'K' || last == 'M' || last == 'G') {
      mult = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
      s = s.substring(0, s.length() - 1);
    }
    return Long.parseLong(s) * mult;
  }

  record Result(long bytes, double seconds, String protocol) {
    double gbps() {
      return bytes / seconds / 1e9;
    }
  }

  /** Where and what one session writes. */
  private record Target(
      String host,
      int port,
      SslContext ssl,
      ByteBuf frame,
      int record,
      int depth,
      String path,
      String flags) {}

  /**
   * {@code n} concurrent sessions sharing {@code count} records; with one session its own time
   * (open reply to close reply), with more all bytes over the wall time from first connect to last
   * close reply.
   */
  private static Result sessions(EventLoopGroup group, Target t, long count, int n)
      throws Exception {
    if (n == 1) {
      return session(group, t, t.path().replace("%d", "0"), count);
    }
    long each = Math.max(1, count / n);
    List<CompletableFuture<Result>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String path = t.path().replace("%d", Integer.toString(i));
      all.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return session(group, t, path, each);
                } catch (Exception e) {
                  throw new IllegalStateException("session " + path + ": " + e, e);
                }
              },
              command -> new Thread(command, "session-" + path).start()));
    }
    long total = 0;
    String protocol = "";
    for (CompletableFuture<Result> f : all) {
      Result r = f.get();
      total += r.bytes;
      protocol = r.protocol;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return new Result(total, secs, n + " sessions, " + protocol);
  }

  private static Result session(EventLoopGroup group, Target t, String path, long count)
      throws Exception {
    String host = t.host();
    int port = t.port();
    SslContext ssl = t.ssl();
    CompletableFuture<Result> done = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port));
                    }
                    ch.pipeline()
                        .addLast(
                            new Driver(
                                ssl != null,
                                t.frame(),
                                t.record(),
                                count,
                                t.depth(),
                                "O" + path + "\n" + t.flags() + "\n",
                                done));
                  }
                });
    Channel ch = b.connect(host, port).sync().channel();
    try {
      return done.get(30, TimeUnit.MINUTES);
    } finally {
      ch.close().syncUninterruptibly();
    }
  }

  /** Drives one session on the client's event loop. */
  private static final class Driver extends ChannelInboundHandlerAdapter {
    private enum State {
      OPENING,
      WRITING,
      CLOSING,
      DONE
    }

    private final boolean tls;
    private final ByteBuf frame;
    private final int record;
    private final long count;
    private final int depth;
    private final String open;
    private final CompletableFuture<Result> done;
    private final StringBuilder line = new StringBuilder();
    private State state = State.OPENING;
    private long sent;
    private long acked;
    private long start;

    Driver(
        boolean tls,
        ByteBuf frame,
        int record,
        long count,
        int depth,
        String open,
        CompletableFuture<Result> done) {
      this.tls = tls;
      this.frame = frame;
      this.record = record;
      this.count = count;
      this.depth = depth;
      this.open = open;
      this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (!tls) {
        sendOpen(ctx);
      }
      super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof SslHandshakeCompletionEvent hs) {
        if (hs.isSuccess()) {
          sendOpen(ctx);
        } else {
          done.completeExceptionally(hs.cause());
        }
      }
      super.userEventTriggered(ctx, evt);
    }

    private void sendOpen(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(Unpooled.copiedBuffer(open, StandardCharsets.US_ASCII));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        while (in.isReadable()) {
          byte c = in.readByte();
          if (c != '\n') {
            if (line.length() < 200) {
              line.append((char) c);
            }
            continue;
          }
          if (line.length() == 0 || line.charAt(0) != 'A') {
            done.completeExceptionally(new IllegalStateException("server replied " + line));
            ctx.close();
            return;
          }
          line.setLength(0);
          reply(ctx);
        }
      } finally {
        in.release();
      }
      if (state == State.WRITING) {
        pump(ctx);
      }
    }

    private void reply(ChannelHandlerContext ctx) {
      switch (state) {
        case OPENING -> {
          state = State.WRITING;
          start = System.nanoTime();
        }
        case WRITING -> {
          acked++;
          if (acked == count) {
            state = State.CLOSING;
            ctx.writeAndFlush(Unpooled.copiedBuffer("C\n", StandardCharsets.US_ASCII));
          }
        }
        case CLOSING -> {
          state = State.DONE;
          double secs = (System.nanoTime() - start) / 1e9;
          String protocol = "plain";
          SslHandler h = ctx.pipeline().get(SslHandler.class);
          if (h != null) {
            protocol =
                h.engine().getSession().getProtocol()
                    + " "
                    + h.engine().getSession().getCipherSuite();
          }
          done.complete(new Result(count * record, secs, protocol));
        }
        case DONE -> {}
      }
    }

    private void pump(ChannelHandlerContext ctx) {
      boolean wrote = false;
      while (sent < count && sent - acked < depth && ctx.channel().isWritable()) {
        ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
        sent++;
        wrote = true;
      }
      if (wrote) {
        ctx.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
      if (state == State.WRITING && ctx.channel().isWritable()) {
        pump(ctx);
      }
      super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      done.completeExceptionally(new IllegalStateException("connection closed in state " + state));
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
      ctx.close();
    }
  }
}
