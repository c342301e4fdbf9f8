package org.jrmt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.MtGet;
import org.jrmt.protocol.OpNumbering;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.TapeOp;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.TapePosition;
import org.jrmt.tape.TapeStatus;
import org.jrmt.tape.Whence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's conversation with the server: executes requests in order against the device it has
 * open and produces one reply for each. The same engine serves {@code jrmt} (stdin/stdout) and
 * {@code jrmtd} (network).
 *
 * <p>Policy is not decided here: the tape comes from {@link DeviceCatalog#open} already behind the
 * decorator of its grant, which refuses what the grant does not allow; the session only carries a
 * refusal's message to the client.
 *
 * <p>Thread confinement: {@link #execute} and {@link #close} are called from one thread at a time
 * (the session's device thread), never from an event loop, because they block on device I/O.
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** Unexpected failures logged: 10 a minute, for all sessions together. */
  private static final LogLimiter UNEXPECTED =
      new LogLimiter(10, TimeUnit.MINUTES.toNanos(1), System::nanoTime);

  /** The jrmt extension version this server speaks. */
  public static final int EXTENSION_VERSION = 1;

  /** The capabilities this server grants. */
  public static final List<String> CAPABILITIES = List.of("pipeline", "sticky-eot", "status");

  private final ServerConfig config;
  private final DeviceCatalog catalog;
  private final DeviceLocks locks;
  private final ByteBufAllocator alloc;
  private final SessionStats stats;
  private final OpNumbering nativeOps = OpNumbering.ofRunningSystem();

  private final Identity identity;
  private Tape tape;
  private DeviceCatalog.Device device;
  private boolean version1;
  private final Set<String> granted = new LinkedHashSet<>();
  private Reply stickyWriteFailure;
  private boolean ended;
  private boolean failed;
  private final ReadBuffers reads;

  /** A session for {@code identity} serving devices from {@code catalog} under {@code locks}. */
  public Session(
      ServerConfig config,
      DeviceCatalog catalog,
      DeviceLocks locks,
      ByteBufAllocator alloc,
      SessionStats stats,
      Identity identity) {
    this.identity = identity;
    this.config = config;
    this.catalog = catalog;
    this.locks = locks;
    this.alloc = alloc;
    this.stats = stats;
    this.reads = new ReadBuffers(alloc);
  }

  /** True once a request has ended the session (a protocol violation); the caller then closes. */
  public boolean ended() {
    return ended;
  }

  /** Why the session ended, for its audit line: {@code violation} or {@code error}. */
  public String endReason() {
    return failed ? "error" : "violation";
  }

  /**
   * Executes one request and returns its reply. A {@link Request.Write}'s payload is released here.
   * Never throws: every failure becomes an {@code E} reply. An {@link Error} (out of memory, say)
   * also ends the session: {@link #ended()}, with {@link #endReason()} {@code error}.
   */
  public Reply execute(Request request) {
    stats.request();
    Reply reply;
    try {
      reply = dispatch(request);
    } catch (TapeException e) {
      reply = error(e);
    } catch (RuntimeException e) {
      // A bug or a case the engine does not foresee: one line per failure, a few a minute at most
      // (a client can repeat the request), the stack trace at debug.
      long held = UNEXPECTED.acquire();
      if (held >= 0) {
        log.warn(
            "request {} failed on {}: {}{}",
            request,
            deviceName(),
            e,
            held > 0 ? " (" + held + " more like it not logged)" : "");
      }
      log.debug("request {} failed", request, e);
      reply = Reply.Error.of(Errno.EIO);
    } catch (Error e) {
      // Out of memory (direct memory for a record, say) or worse: this session cannot be trusted
      // to go on, the others can. The caller ends it: device closed, lock and slot given back.
      log.error("request {} on {}: {}; ending the session", request, deviceName(), e.toString());
      log.debug("request {} failed", request, e);
      ended = true;
      failed = true;
      Errno errno = e instanceof OutOfMemoryError ? Errno.ENOMEM : Errno.EIO;
      stats.error(errno);
      reply = Reply.Error.of(errno);
    } finally {
      if (request instanceof Request.Write w) {
        w.release();
      }
    }
    return reply;
  }

  private Reply dispatch(Request request) throws TapeException {
    if (request instanceof Request.Open o) {
      return open(o);
    } else if (request instanceof Request.Close) {
      return closeDevice();
    } else if (request instanceof Request.Write w) {
      return write(w);
    } else if (request instanceof Request.Read r) {
      return read(r);
    } else if (request instanceof Request.Seek s) {
      return seek(s);
    } else if (request instanceof Request.Ioctl i) {
      return ioctl(i);
    } else if (request instanceof Request.Status) {
      return new Reply.Data(bytes(config.statusLayout().encode(mtget(open().status()))));
    } else if (request instanceof Request.StatusField f) {
      return statusField(f.field());
    } else if (request instanceof Request.Version v) {
      return new Reply.Ack(v.lowercase() ? 1 : 2);
    } else if (request instanceof Request.Negotiate n) {
      return negotiate(n);
    } else if (request instanceof Request.PortableStatus) {
      if (!granted.contains("status")) {
        return violation(Errno.EINVAL, "Garbage command");
      }
      return new Reply.Data(bytes(portableStatus(open().status(), device.kind())));
    } else if (request instanceof Request.Invalid inv) {
      return new Reply.Error(inv.errno().number(), inv.message());
    } else if (request instanceof Request.Violation v) {
      return violation(v.errno(), v.message());
    }
    throw new IllegalArgumentException("unknown request " + request);
  }

  private Reply violation(Errno errno, String message) {
    ended = true;
    log.info("closing session on {}: {}", deviceName(), message);
    return new Reply.Error(errno.number(), message);
  }

  private Reply open(Request.Open o) throws TapeException {
    closeQuietly();
    DeviceCatalog.Device d = catalog.resolve(o.path(), identity);
    locks.acquire(d.key(), this);
    try {
      tape = catalog.open(d, o.flags());
    } catch (TapeException | RuntimeException e) {
      locks.release(d.key(), this);
      throw e;
    }
    device = d;
    stats.opened(o.path());
    return new Reply.Ack(0);
  }

  private Reply closeDevice() throws TapeException {
    if (tape == null) {
      throw new TapeException(Errno.EBADF, "nothing open");
    }
    Tape t = tape;
    DeviceCatalog.Device d = device;
    tape = null;
    device = null;
    repositioned();
    version1 = false;
    try {
      t.close();
    } finally {
      locks.release(d.key(), this);
    }
    return new Reply.Ack(0);
  }

  private Reply write(Request.Write w) throws TapeException {
    Tape t = open();
    if (stickyWriteFailure != null) {
      stats.stickyRefusal();
      return stickyWriteFailure;
    }
    int count = w.count();
    try {
      int n = t.write(w.data().nioBuffer());
      if (n == count) {
        stats.written(count);
        return new Reply.Ack(count);
      }
      // End of tape reported as a zero-length write (or a device that took part of a record,
      // which classic clients cannot handle as a short count): nothing of it counts as written.
      stats.endOfTape();
      return stick(new Reply.Ack(0));
    } catch (TapeException e) {
      if (e.isEndOfTape()) {
        stats.endOfTape();
      }
      return stick(error(e));
    }
  }

  private Reply stick(Reply failure) {
    if (granted.contains("sticky-eot")) {
      stickyWriteFailure = failure;
    }
    return failure;
  }

  /** The tape moved: a sticky write failure ends (policy is the tape decorator's, not ours). */
  private void repositioned() {
    stickyWriteFailure = null;
  }

  private Reply read(Request.Read r) throws TapeException {
    Tape t = open();
    if (r.count() == 0) {
      return new Reply.Data(alloc.buffer(0, 0));
    }
    ByteBuf buf = reads.read(t, r.count());
    stats.read(buf.readableBytes());
    return new Reply.Data(buf);
  }

  private Reply seek(Request.Seek s) throws TapeException {
    Tape t = open();
    Optional<Whence> whence = Whence.of(s.whence());
    if (whence.isEmpty()) {
      throw new TapeException(Errno.EINVAL, "unsupported whence " + s.whence());
    }
    repositioned();
    return new Reply.Ack(t.seek(s.offset(), whence.get()));
  }

  private Reply ioctl(Request.Ioctl i) throws TapeException {
    Tape t = open();
    if (!i.extended() && i.op() == -1) {
      version1 = true;
      return new Reply.Ack(1);
    }
    OpNumbering numbering =
        i.extended() ? OpNumbering.EXTENDED : version1 ? OpNumbering.V1 : nativeOps;
    TapeOp op =
        numbering
            .decode(i.op())
            .orElseThrow(() -> new TapeException(Errno.EINVAL, "unknown op " + i.op()));
    if (i.count() < 0) {
      throw new TapeException(Errno.EINVAL, "negative count");
    }
    t.execute(op, i.count());
    if (moves(op)) {
      repositioned();
    }
    return new Reply.Ack(config.ioctlRepliesCount() ? i.count() : 0);
  }

  /** True for operations that move the tape, which end a sticky write failure. */
  private static boolean moves(TapeOp op) {
    return switch (op) {
      case WEOF, WEOFI, NOP, CACHE, NOCACHE, LOCK, UNLOCK, SETBLK, SETDENSITY, COMPRESSION -> false;
      default -> true;
    };
  }

  private Reply statusField(char field) throws TapeException {
    MtGet s = mtget(open().status());
    long value =
        switch (field) {
          case 'T' -> s.type();
          case 'D' -> s.dsreg();
          case 'E' -> s.erreg();
          case 'R' -> s.resid();
          case 'F' -> s.fileno();
          case 'B' -> s.blkno();
          case 'f' -> s.gstat();
          case 'b' -> 0;
          default -> throw new TapeException(Errno.EINVAL, "unknown status field");
        };
    return new Reply.Ack(value);
  }

  private Reply negotiate(Request.Negotiate n) {
    granted.clear();
    for (String cap : n.capabilities()) {
      if (CAPABILITIES.contains(cap)) {
        granted.add(cap);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(Math.min(n.version(), EXTENSION_VERSION));
    for (String cap : granted) {
      sb.append(' ').append(cap);
    }
    sb.append(" window=").append(config.window());
    sb.append(" max-record=").append(config.syntax().limits().maxRecordSize());
    stats.negotiated(granted);
    return new Reply.Data(bytes(sb.toString().getBytes(StandardCharsets.US_ASCII)));
  }

  /** The struct mtget fields for a status. */
  static MtGet mtget(TapeStatus s) {
    long gstat = 0;
    gstat |= s.afterFilemark() ? MtGet.GMT_EOF : 0;
    gstat |= s.beginningOfTape() ? MtGet.GMT_BOT : 0;
    gstat |= s.endOfTape() ? MtGet.GMT_EOT : 0;
    gstat |= s.endOfData() ? MtGet.GMT_EOD : 0;
    gstat |= s.writeProtected() ? MtGet.GMT_WR_PROT : 0;
    gstat |= s.online() ? MtGet.GMT_ONLINE : 0;
    long dsreg = (Math.max(s.density(), 0) & 0xFFL) << 24 | (Math.max(s.blockSize(), 0) & 0xFFFFFF);
    return new MtGet(
        MtGet.MT_ISSCSI2, 0, dsreg, gstat, 0, clampInt(s.fileNumber()), clampInt(s.blockNumber()));
  }

  /** The text of the portable status reply (PROTOCOL.md §6.4). */
  static byte[] portableStatus(TapeStatus s, Policy.Kind kind) {
    StringBuilder sb = new StringBuilder();
    line(sb, "bot", s.beginningOfTape());
    line(sb, "eot", s.endOfTape());
    line(sb, "eod", s.endOfData());
    line(sb, "filemark", s.afterFilemark());
    line(sb, "write-protected", s.writeProtected());
    line(sb, "online", s.online());
    if (s.fileNumber() != TapePosition.UNKNOWN) {
      sb.append("file=").append(s.fileNumber()).append('\n');
    }
    if (s.blockNumber() != TapePosition.UNKNOWN) {
      sb.append("block=").append(s.blockNumber()).append('\n');
    }
    if (s.blockSize() >= 0) {
      sb.append("block-size=").append(s.blockSize()).append('\n');
    }
    if (s.density() >= 0) {
      sb.append("density=").append(s.density()).append('\n');
    }
    sb.append("kind=").append(kind.name().toLowerCase(Locale.ROOT)).append('\n');
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void line(StringBuilder sb, String key, boolean value) {
    sb.append(key).append('=').append(value ? 1 : 0).append('\n');
  }

  private static int clampInt(long v) {
    return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  private ByteBuf bytes(byte[] b) {
    return alloc.buffer(b.length, b.length).writeBytes(b);
  }

  private Tape open() throws TapeException {
    if (tape == null) {
      throw new TapeException(Errno.EBADF, "nothing open");
    }
    return tape;
  }

  /**
   * The {@code E} reply for a failure: a policy's refusal says why in its message line; any other
   * failure gets its errno's standard text, since its message may name the server's files.
   */
  private Reply error(TapeException e) {
    log.debug("{} on {}: {}", e.errno(), deviceName(), e.getMessage());
    stats.error(e.errno());
    // A refusal says why in words for the client; other messages are for the log.
    return new Reply.Error(e.errno().number(), e.reason().orElse(e.errno().message()));
  }

  private String deviceName() {
    return device == null ? "(nothing open)" : device.path().toString();
  }

  /** Ends the session: closes the device and gives its lock back. Safe to call more than once. */
  public void close() {
    try {
      closeQuietly();
    } finally {
      reads.release();
    }
  }

  private void closeQuietly() {
    if (tape != null) {
      try {
        closeDevice();
      } catch (TapeException e) {
        log.warn("closing {} failed: {}", deviceName(), e.getMessage());
      }
    }
  }
}
