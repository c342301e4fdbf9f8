package org.jrmt.protocol.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.RequestParser;
import org.jrmt.protocol.RequestWriter;
import org.jrmt.protocol.ServerDialect;
import org.jrmt.protocol.ServerSyntax;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The wire codec on its own, without sockets: how many small commands per second the server's
 * {@link RequestParser} decodes, and how many {@code W} records per second it frames (the bytes per
 * second are records per second times {@code record}, as {@code bench/run} reports them).
 *
 * <ul>
 *   <li>{@code smallCommands}: a mix of the short requests classic clients send between records
 *       ({@code O}, {@code I-1}, {@code S}, {@code s}, {@code L}, {@code R}, {@code i}, {@code V},
 *       {@code C}); one operation is one decoded request.
 *   <li>{@code writeFraming}: {@code W<record>\n} plus payload, fed to the parser in 512 KiB reads
 *       as jrmtd's event loop gets them, so records straddling two reads are gathered as in the
 *       server; one operation is one decoded record, its payload released as the device thread
 *       would.
 *   <li>{@code writeEncoding}: the client side, {@link RequestWriter#encode} of one {@code W}
 *       request (header plus payload by reference).
 * </ul>
 *
 * Run by {@code bench/run} (case {@code jmh}); see docs/benchmarks.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
  /** The small commands of one {@code smallCommands} batch. */
  private static final String[] SMALL = {
    "O/dev/nst0\n577 O_WRONLY|O_CREAT|O_TRUNC\n",
    "I-1\n0\n",
    "S",
    "sT",
    "L0\n0\n",
    "R10240\n",
    "i4\n1\n",
    "V2\n",
    "C\n",
  };

  private static final int SMALL_ROUNDS = 100;
  // A constant for @OperationsPerInvocation: SMALL.length * SMALL_ROUNDS, checked on every batch.
  private static final int SMALL_PER_BATCH = 900;
  private static final int READ_SIZE = 512 * 1024;
  private static final int RECORDS_PER_BATCH = 64;
  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  /** Counts decoded requests and releases payloads, as the server's device thread would. */
  static final class Sink implements Consumer<Request> {
    long decoded;

    @Override
    public void accept(Request r) {
      decoded++;
      if (r instanceof Request.Write w) {
        w.release();
      }
    }
  }

  /** The parser and the batch of small commands. */
  @State(Scope.Thread)
  public static class Small {
    ByteBuf input;
    RequestParser parser;
    final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void setUp() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < SMALL_ROUNDS; i++) {
        for (String s : SMALL) {
          sb.append(s);
        }
      }
      input = Unpooled.directBuffer().writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
      parser = new RequestParser(ServerSyntax.DEFAULT, ALLOC);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      parser.close();
      input.release();
    }
  }

  /** The parser, the writer and a batch of {@code W} frames of {@code record} bytes. */
  @State(Scope.Thread)
  public static class Frames {
    @Param({"10240", "65536", "1048576"})
    public int record;

    ByteBuf frames;
    ByteBuf payload;
    RequestParser parser;
    final RequestWriter writer = new RequestWriter(ServerDialect.GNU.clientSyntax());
    final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void setUp() {
      byte[] data = new byte[record];
      new Random(4768).nextBytes(data);
      payload = Unpooled.wrappedBuffer(data);
      byte[] header = ("W" + record + "\n").getBytes(StandardCharsets.US_ASCII);
      frames = Unpooled.directBuffer((header.length + record) * RECORDS_PER_BATCH);
      for (int i = 0; i < RECORDS_PER_BATCH; i++) {
        frames.writeBytes(header).writeBytes(data);
      }
      parser = new RequestParser(ServerSyntax.DEFAULT, ALLOC);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      parser.close();
      frames.release();
      payload.release();
    }
  }

  /** One operation: one small command decoded. */
  @Benchmark
  @OperationsPerInvocation(SMALL_PER_BATCH)
  public long smallCommands(Small s) {
    long before = s.sink.decoded;
    s.parser.feed(s.input.duplicate(), s.sink);
    long n = s.sink.decoded - before;
    if (n != SMALL_PER_BATCH) {
      throw new IllegalStateException("decoded " + n + " of " + SMALL_PER_BATCH);
    }
    return n;
  }

  /** One operation: one {@code W} record decoded from 512 KiB reads. */
  @Benchmark
  @OperationsPerInvocation(RECORDS_PER_BATCH)
  public long writeFraming(Frames f) {
    long before = f.sink.decoded;
    ByteBuf all = f.frames.duplicate();
    while (all.isReadable()) {
      // A retained slice per read, as Netty hands the parser one read after another.
      ByteBuf read = all.readRetainedSlice(Math.min(READ_SIZE, all.readableBytes()));
      try {
        f.parser.feed(read, f.sink);
      } finally {
        read.release();
      }
    }
    long n = f.sink.decoded - before;
    if (n != RECORDS_PER_BATCH) {
      throw new IllegalStateException("decoded " + n + " of " + RECORDS_PER_BATCH);
    }
    return n;
  }

  /** One operation: one {@code W} request encoded by the client's writer. */
  @Benchmark
  public void writeEncoding(Frames f, Blackhole bh) {
    Request.Write w = new Request.Write(f.payload.retainedDuplicate());
    ByteBuf out = f.writer.encode(w, ALLOC);
    w.release();
    bh.consume(out.readableBytes());
    out.release();
  }
}
