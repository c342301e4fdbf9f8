package org.jrmt.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jrmt.protocol.AccessMode;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.MtGet;
import org.jrmt.protocol.MtGetLayout;
import org.jrmt.protocol.OpNumbering;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.protocol.ProtocolException;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.ServerDialect;
import org.jrmt.protocol.TapeOp;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.TapePosition;
import org.jrmt.tape.TapeStatus;
import org.jrmt.tape.Whence;

/**
 * A tape on an rmt server, opened for the lifetime of this object.
 *
 * <p>Two transports:
 *
 * <ul>
 *   <li><b>native</b> ({@link #openNative}): a TCP or TLS connection to jrmtd. The client
 *       negotiates the jrmt extension ({@code N1 pipeline sticky-eot status}), takes status from
 *       {@code Q} and may pipeline writes ({@link #pipeline()}).
 *   <li><b>exec</b> ({@link #openExec}): a classic rmt server run by {@code $RSH host -l user
 *       $RMT}, spoken to strictly stop-and-wait in its {@link ServerDialect}, detected when none is
 *       configured. Each tape has its own server process, so GNU's exit after {@code C} never
 *       matters: reopening is a new {@link RemoteTape}.
 * </ul>
 *
 * <p>Tape operations travel as {@code I} requests in the numbering the server reads: the portable
 * version-1 numbers once the server accepted {@code I-1} (jrmtd, Linux dump's and star's rmt; ops
 * above 7 as {@code i}), else the numbers of the server's system (Linux, or FreeBSD for the FreeBSD
 * dialect).
 *
 * <p>Every failure is a {@link TapeException}: the server's errno with a one-line message naming
 * host, device and cause ({@code tapehost:/dev/nst0: No space left on device}); {@code EIO} when
 * the connection is lost or the server breaks the protocol (the connection is then closed and every
 * later call fails); {@code ETIMEDOUT} when a reply does not come within the reply timeout (the
 * connection is closed too). Not thread-safe, like every {@link Tape}; a {@link PipelinedWriter} is
 * used from one thread while it lives.
 */
public final class RemoteTape implements Tape {
  /** What the client asks of a jrmt server. */
  static final List<String> WANTED = List.of("pipeline", "sticky-eot", "status");

  private final Wire wire;
  private final String host;
  private final String device;
  private final Duration replyTimeout;
  private final long clientWindow;
  private ServerDialect dialect;
  private boolean dialectDetected;
  private boolean version1;
  private Set<String> granted = Set.of();
  private Map<String, String> parameters = Map.of();
  private PipelinedWriter writer;
  private boolean closed;

  private RemoteTape(Wire wire, String host, String device, ClientConfig config) {
    this.wire = wire;
    this.host = host;
    this.device = device;
    this.replyTimeout = config.replyTimeout();
    this.clientWindow = config.window();
  }

  /**
   * Opens {@code device} on jrmtd at {@code host:port}, over TLS when {@code tls} is set (with the
   * CA, certificate and key of {@code config}; the server's certificate must name {@code host}).
   */
  public static RemoteTape openNative(
      String host, int port, boolean tls, String device, OpenMode mode, ClientConfig config)
      throws TapeException {
    Objects.requireNonNull(host);
    checkDevice(device);
    SslContext ssl = null;
    if (tls) {
      try {
        ssl = ClientTls.context(config);
      } catch (IOException | IllegalArgumentException e) {
        throw new TapeException(
            Errno.EIO, host + ":" + device + ": TLS setup failed: " + e.getMessage(), e);
      }
    }
    NettyWire wire;
    try {
      wire =
          NettyWire.connect(
              host, port, ssl, ServerDialect.JRMT.clientSyntax(), config.connectTimeout());
    } catch (IOException e) {
      throw new TapeException(
          Errno.EIO,
          host + ":" + device + ": cannot connect to " + host + ":" + port + ": " + e.getMessage(),
          e);
    }
    RemoteTape t = new RemoteTape(wire, host, device, config);
    t.dialect = ServerDialect.JRMT;
    t.dialectDetected = true;
    try {
      t.negotiate();
      t.open(mode);
    } catch (TapeException | RuntimeException e) {
      wire.close();
      throw e;
    }
    return t;
  }

  /**
   * Opens {@code device} through a classic rmt server run by {@code command} (the whole argv, as
   * {@code [$RSH, host, -l, user, $RMT]}), in {@code config}'s dialect or, when it names none, the
   * dialect detected after opening (GNU when {@code L2\n0\n} reads as "seek to the end" on a
   * seekable file, else Linux dump's).
   */
  public static RemoteTape openExec(
      List<String> command, String host, String device, OpenMode mode, ClientConfig config)
      throws TapeException {
    checkDevice(device);
    ServerDialect configured = config.dialect();
    ServerDialect initial = configured == null ? ServerDialect.LINUX_DUMP : configured;
    ExecWire wire;
    try {
      wire = ExecWire.start(command, initial.clientSyntax());
    } catch (IOException e) {
      throw new TapeException(Errno.EIO, host + ":" + device + ": " + e.getMessage(), e);
    }
    RemoteTape t = new RemoteTape(wire, host, device, config);
    t.dialect = initial;
    t.dialectDetected = configured != null;
    try {
      t.call(new Request.Open(device, flags(mode)));
      if (configured == null) {
        t.detectDialect(wire);
      }
      if (t.dialect == ServerDialect.JRMT) {
        t.negotiate();
      }
      if (t.dialectDetected && t.dialect.version1()) {
        t.version1Handshake();
      }
    } catch (TapeException | RuntimeException e) {
      wire.close();
      throw e;
    }
    return t;
  }

  private static void checkDevice(String device) {
    if (device.isEmpty() || device.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("not a device name: " + device);
    }
  }

  /** The O flags for an open mode. */
  static OpenFlags flags(OpenMode mode) {
    AccessMode access =
        switch (mode.access()) {
          case READ_ONLY -> AccessMode.READ_ONLY;
          case WRITE_ONLY -> AccessMode.WRITE_ONLY;
          case READ_WRITE -> AccessMode.READ_WRITE;
        };
    EnumSet<OpenFlag> set = EnumSet.noneOf(OpenFlag.class);
    for (OpenMode.Flag f : mode.flags()) {
      set.add(
          switch (f) {
            case CREATE -> OpenFlag.CREAT;
            case TRUNCATE -> OpenFlag.TRUNC;
            case EXCLUSIVE -> OpenFlag.EXCL;
            case APPEND -> OpenFlag.APPEND;
          });
    }
    return OpenFlags.of(access, set);
  }

  private void negotiate() throws TapeException {
    Reply r = await(wire.submit(new Request.Negotiate(1, WANTED)));
    if (r instanceof Reply.Error e) {
      if (e.errno() == Errno.EBUSY.number()) {
        // jrmtd over its session limit answers the first request so and hangs up; no classic
        // server answers N with EBUSY. Say so, rather than "connection closed" at the open.
        throw new TapeException(Errno.EBUSY, where() + ": refused: " + e.message());
      }
      return; // a server without the extension: classic requests only
    }
    String text = new String(bytes(r), StandardCharsets.US_ASCII).strip();
    Set<String> caps = new LinkedHashSet<>();
    Map<String, String> params = new HashMap<>();
    String[] words = text.split(" +");
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      if (eq > 0) {
        params.put(words[i].substring(0, eq), words[i].substring(eq + 1));
      } else if (WANTED.contains(words[i])) {
        caps.add(words[i]);
      }
    }
    granted = Set.copyOf(caps);
    parameters = Map.copyOf(params);
  }

  private void open(OpenMode mode) throws TapeException {
    call(new Request.Open(device, flags(mode)));
    if (dialect.version1()) {
      version1Handshake();
    }
  }

  private void version1Handshake() throws TapeException {
    Reply r = await(wire.submit(new Request.Ioctl(-1, 0, false)));
    version1 = r instanceof Reply.Ack a && a.value() == 1;
  }

  /**
   * Tells GNU's line server (whence first) from the offset-first servers: {@code L2\n0\n} is "seek
   * to 2" for them and "seek to the end" for GNU, then {@code L0\n0\n} means "back to the start" to
   * both. Only an answer above 2 (a file longer than 2 bytes, at its end) says GNU; an error, 0, 1
   * (not seekable, tiny) or 2 leaves Linux dump's dialect, without the {@code I-1} handshake that
   * newer GNU servers would end the session on.
   */
  private void detectDialect(ExecWire w) throws TapeException {
    Reply first = await(wire.submit(new Request.Seek(2, 0)));
    Reply second = await(wire.submit(new Request.Seek(0, 0)));
    if (first instanceof Reply.Ack a && a.value() > 2 && second instanceof Reply.Ack) {
      dialect = ServerDialect.GNU;
      dialectDetected = true;
    } else if (first instanceof Reply.Ack a && a.value() == 2) {
      dialect = ServerDialect.LINUX_DUMP;
      dialectDetected = true;
    }
    w.syntax(dialect.clientSyntax());
  }

  /** The host this tape is on. */
  public String host() {
    return host;
  }

  /** The device name on the server. */
  public String device() {
    return device;
  }

  /** The server dialect spoken: {@link ServerDialect#JRMT} on the native transport. */
  public ServerDialect dialect() {
    return dialect;
  }

  /** Whether the dialect was configured or recognised, rather than assumed. */
  public boolean dialectKnown() {
    return dialectDetected;
  }

  /** The jrmt capabilities the server granted (empty for classic servers). */
  public Set<String> capabilities() {
    return granted;
  }

  /** Whether the server accepted the version-1 handshake ({@code I-1}). */
  public boolean version1() {
    return version1;
  }

  /**
   * Whether writes can be pipelined safely: the server granted both {@code pipeline} and {@code
   * sticky-eot}.
   */
  public boolean pipelined() {
    return granted.contains("pipeline") && granted.contains("sticky-eot");
  }

  /**
   * The writer for pipelined records. With a server that granted {@code pipeline} and {@code
   * sticky-eot} it keeps up to the configured window of bytes in flight; with any other server it
   * keeps one record in flight (stop-and-wait), with the same failure reporting. It talks to the
   * connection only, through a {@link WriteChannel}.
   */
  public PipelinedWriter pipeline() throws TapeException {
    checkUsable();
    if (writer == null || writer.isFailed()) {
      writer = new PipelinedWriter(new Channel(), pipelined() ? clientWindow : 1);
    }
    return writer;
  }

  /**
   * The {@link #pipeline()} as a {@link RecordWriter} when the server made pipelining safe ({@link
   * #pipelined()}), else one write at a time, each waiting for its reply. The records not written
   * must be handed back before this tape is closed, which gives up what is left.
   */
  @Override
  public RecordWriter writer() throws TapeException {
    return pipelined() ? pipeline().records() : Tape.super.writer();
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    int count = dst.remaining();
    String max = parameters.get("max-record");
    if (max != null) {
      try {
        count = (int) Math.min(count, Long.parseLong(max));
      } catch (NumberFormatException e) {
        // ignore an unreadable parameter
      }
    }
    Reply r = call(new Request.Read(count));
    ByteBuf data = ((Reply.Data) r).payload();
    try {
      int n = data.readableBytes();
      data.readBytes(dst.duplicate().limit(dst.position() + n));
      dst.position(dst.position() + n);
      return n;
    } finally {
      data.release();
    }
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    int count = src.remaining();
    if (count == 0) {
      return 0;
    }
    long n = ack(new Request.Write(Unpooled.wrappedBuffer(src.duplicate())));
    if (n == count) {
      src.position(src.position() + count);
      return count;
    }
    if (n == 0) {
      return 0; // end of tape reported as a zero-length write
    }
    throw new TapeException(
        Errno.EIO, where() + ": the server wrote " + n + " of a " + count + "-byte record");
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    execute(TapeOp.WEOF, count);
  }

  @Override
  public void spaceFiles(int count) throws TapeException {
    if (count >= 0) {
      execute(TapeOp.FSF, count);
    } else {
      execute(TapeOp.BSF, -count);
    }
  }

  @Override
  public void spaceRecords(int count) throws TapeException {
    if (count >= 0) {
      execute(TapeOp.FSR, count);
    } else {
      execute(TapeOp.BSR, -count);
    }
  }

  @Override
  public void rewind() throws TapeException {
    execute(TapeOp.REWIND, 1);
  }

  @Override
  public void unload() throws TapeException {
    execute(TapeOp.OFFLINE, 1);
  }

  @Override
  public void seekEndOfData() throws TapeException {
    execute(TapeOp.EOM, 1);
  }

  @Override
  public void erase() throws TapeException {
    execute(TapeOp.ERASE, 1);
  }

  @Override
  public TapePosition position() throws TapeException {
    return status().position();
  }

  @Override
  public TapeStatus status() throws TapeException {
    if (granted.contains("status")) {
      return portableStatus(
          new String(bytes(call(new Request.PortableStatus())), StandardCharsets.US_ASCII));
    }
    if (version1) {
      long[] v = new long[7];
      char[] fields = {'T', 'R', 'D', 'f', 'E', 'F', 'B'};
      for (int i = 0; i < fields.length; i++) {
        v[i] = ack(new Request.StatusField(fields[i]));
      }
      return fromMtGet(new MtGet(v[0], v[1], v[2], v[3], v[4], (int) v[5], (int) v[6]));
    }
    byte[] raw = bytes(call(new Request.Status()));
    MtGetLayout layout = MtGetLayout.ofSize(raw.length);
    if (layout == null) {
      throw new TapeException(
          Errno.EIO, where() + ": status of " + raw.length + " bytes in no known layout");
    }
    return fromMtGet(layout.decode(raw));
  }

  /** Reads the text of a {@code Q} reply. */
  static TapeStatus portableStatus(String text) {
    Map<String, String> kv = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return new TapeStatus(
        "1".equals(kv.get("bot")),
        "1".equals(kv.get("filemark")),
        "1".equals(kv.get("eot")),
        "1".equals(kv.get("eod")),
        "1".equals(kv.get("write-protected")),
        "1".equals(kv.get("online")),
        (int) number(kv.get("block-size")),
        (int) number(kv.get("density")),
        number(kv.get("file")),
        number(kv.get("block")));
  }

  private static long number(String s) {
    if (s == null) {
      return -1;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The portable status of a struct mtget. */
  static TapeStatus fromMtGet(MtGet m) {
    return new TapeStatus(
        m.has(MtGet.GMT_BOT),
        m.has(MtGet.GMT_EOF),
        m.has(MtGet.GMT_EOT),
        m.has(MtGet.GMT_EOD),
        m.has(MtGet.GMT_WR_PROT),
        m.has(MtGet.GMT_ONLINE),
        m.blockSize(),
        m.density(),
        m.fileno(),
        m.blkno());
  }

  @Override
  public long seek(long offset, Whence whence) throws TapeException {
    return ack(new Request.Seek(offset, whence.number()));
  }

  @Override
  public long tell() throws TapeException {
    return ack(new Request.Seek(0, Whence.CURRENT.number()));
  }

  /**
   * Sends the operation in the server's numbering.
   *
   * @throws TapeException {@code EINVAL} for a negative count or an operation the server's
   *     numbering has no number for, else the server's error
   */
  @Override
  public void execute(TapeOp op, int count) throws TapeException {
    if (count < 0) {
      throw new TapeException(Errno.EINVAL, where() + ": negative count " + count);
    }
    ack(ioctl(op, count));
  }

  private Request.Ioctl ioctl(TapeOp op, int count) throws TapeException {
    if (version1) {
      OptionalInt v1 = OpNumbering.V1.encode(op);
      if (v1.isPresent() && v1.getAsInt() <= 7) {
        return new Request.Ioctl(v1.getAsInt(), count, false);
      }
      OptionalInt ext = OpNumbering.EXTENDED.encode(op);
      if (ext.isPresent()) {
        return new Request.Ioctl(ext.getAsInt(), count, true);
      }
      if (v1.isPresent()) {
        return new Request.Ioctl(v1.getAsInt(), count, false);
      }
    } else {
      OpNumbering n = dialect == ServerDialect.FREEBSD ? OpNumbering.FREEBSD : OpNumbering.LINUX;
      OptionalInt number = n.encode(op);
      if (number.isPresent()) {
        return new Request.Ioctl(number.getAsInt(), count, false);
      }
    }
    throw new TapeException(Errno.EINVAL, where() + ": " + op + " cannot be sent to this server");
  }

  /**
   * Closes the device ({@code C}) and ends the session. The tape is closed even when {@code C}
   * fails; the failure is then thrown.
   */
  @Override
  public void close() throws TapeException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (wire.isOpen()) {
        if (writer != null) {
          writer.drainQuietly();
        }
        Reply r = await(wire.submit(new Request.Close()));
        ackValue(r);
      }
    } finally {
      wire.close();
      if (writer != null) {
        writer.releaseUnwritten();
      }
    }
  }

  /** The connection, as a {@link PipelinedWriter} sees it. */
  private final class Channel implements WriteChannel {
    @Override
    public CompletableFuture<Reply> send(Request.Write write) {
      return wire.submit(write);
    }

    @Override
    public void abort(IOException cause) {
      wire.fail(cause);
    }

    @Override
    public boolean isOpen() {
      return wire.isOpen();
    }

    @Override
    public Duration replyTimeout() {
      return replyTimeout;
    }

    @Override
    public TapeException failure(Reply reply) {
      return RemoteTape.this.failure(reply);
    }

    @Override
    public TapeException lost(Throwable cause) {
      return RemoteTape.this.lost(cause);
    }

    @Override
    public String where() {
      return RemoteTape.this.where();
    }
  }

  /** {@code host:device}, the prefix of every message. */
  private String where() {
    return host + ":" + device;
  }

  private void checkUsable() throws TapeException {
    if (closed) {
      throw new TapeException(Errno.EBADF, where() + ": closed");
    }
    IOException f = wire.failure();
    if (f != null) {
      throw lost(f);
    }
  }

  /** Sends one request and waits for its reply; an error reply is thrown. */
  private Reply call(Request request) throws TapeException {
    checkUsable();
    Reply r = await(wire.submit(request));
    if (r instanceof Reply.Error || r instanceof Reply.Fatal) {
      throw failure(r);
    }
    return r;
  }

  private long ack(Request request) throws TapeException {
    return ackValue(call(request));
  }

  private long ackValue(Reply r) throws TapeException {
    if (r instanceof Reply.Ack a) {
      return a.value();
    }
    Wire.release(r);
    throw failure(r);
  }

  private byte[] bytes(Reply r) throws TapeException {
    if (!(r instanceof Reply.Data d)) {
      throw failure(r);
    }
    try {
      byte[] b = new byte[d.count()];
      d.payload().readBytes(b);
      return b;
    } finally {
      d.release();
    }
  }

  /** Waits for a reply within the reply timeout. */
  private Reply await(CompletableFuture<Reply> f) throws TapeException {
    try {
      return f.get(replyTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      wire.fail(new ReplyTimeout(replyTimeout));
      throw new TapeException(
          Errno.ETIMEDOUT,
          where() + ": no reply from " + host + " within " + replyTimeout.toMillis() + " ms",
          e);
    } catch (ExecutionException e) {
      throw lost(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      wire.fail(new IOException("interrupted"));
      throw new TapeException(Errno.EINTR, where() + ": interrupted", e);
    }
  }

  /** The exception for a dead connection. */
  private TapeException lost(Throwable cause) {
    if (cause instanceof ProtocolException) {
      wire.fail((ProtocolException) cause);
      return new TapeException(
          Errno.EIO, "protocol error from " + host + ": " + cause.getMessage(), cause);
    }
    if (cause instanceof ReplyTimeout timeout) {
      return new TapeException(Errno.ETIMEDOUT, where() + ": " + timeout.getMessage(), cause);
    }
    return new TapeException(
        Errno.EIO,
        where() + ": connection lost: " + (cause == null ? "?" : cause.getMessage()),
        cause);
  }

  /** The exception for an error reply ({@code F} also ends the connection). */
  private TapeException failure(Reply r) {
    int number;
    String message;
    if (r instanceof Reply.Error e) {
      number = e.errno();
      message = e.message();
    } else if (r instanceof Reply.Fatal f) {
      number = f.errno();
      message = f.message();
      wire.fail(new IOException("fatal error from the server: " + message));
    } else if (r instanceof Reply.Ack a && a.value() == 0) {
      return new TapeException(Errno.ENOSPC, where() + ": end of tape");
    } else {
      Wire.release(r);
      ProtocolException p = new ProtocolException("unexpected reply " + r);
      wire.fail(p);
      return new TapeException(Errno.EIO, "protocol error from " + host + ": " + p.getMessage());
    }
    Errno errno =
        (dialect == ServerDialect.FREEBSD ? Errno.ofFreebsd(number) : Errno.ofLinux(number))
            .orElse(Errno.EIO);
    String text =
        errno.number() == number || errno != Errno.EIO
            ? message
            : message + " (errno " + number + ")";
    return new TapeException(errno, where() + ": " + text);
  }
}
