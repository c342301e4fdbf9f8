package org.jrmt.tape.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.TapeException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sequential 64 KiB record writes to a SIMH tape against plain {@link FileChannel} writes, all into
 * the page cache: of the bare 64 KiB records ({@code fileChannel}) and of the very bytes the SIMH
 * file holds, 8 framing bytes per record included ({@code fileChannelSameBytes}). Each side starts
 * over (truncating) every 256 records, so files stay near 16 MiB and in memory. Run as described in
 * docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SimhWriteBenchmark {
  private static final int RECORD = 64 * 1024;
  private static final int RECORDS_PER_PASS = 256;

  private final ByteBuffer record = ByteBuffer.allocate(RECORD);
  private final ByteBuffer framed = ByteBuffer.allocate(RECORD + 8).order(ByteOrder.LITTLE_ENDIAN);
  private Path dir;
  private SimhTape tape;
  private FileChannel plain;
  private int written;

  @Setup(Level.Trial)
  public void open() throws IOException, TapeException {
    ThreadLocalRandom.current().nextBytes(record.array());
    framed.putInt(RECORD).put(record.array()).putInt(RECORD);
    dir = Files.createTempDirectory("simh-bench");
    tape =
        SimhTape.open(
            dir.resolve("bench.tap"),
            OpenMode.readWrite().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE),
            SimhTape.Options.defaults().withFilemarkOnClose(false));
    plain =
        FileChannel.open(
            dir.resolve("bench.bin"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException, TapeException {
    tape.close();
    plain.close();
    Files.delete(dir.resolve("bench.tap"));
    Files.delete(dir.resolve("bench.bin"));
    Files.delete(dir);
  }

  @Benchmark
  public int simhTape() throws TapeException {
    if (++written % RECORDS_PER_PASS == 0) {
      tape.rewind();
    }
    record.clear();
    return tape.write(record);
  }

  @Benchmark
  public int fileChannel() throws IOException {
    if (++written % RECORDS_PER_PASS == 0) {
      plain.truncate(0);
      plain.position(0);
    }
    record.clear();
    int n = 0;
    while (record.hasRemaining()) {
      n += plain.write(record);
    }
    return n;
  }

  @Benchmark
  public int fileChannelSameBytes() throws IOException {
    if (++written % RECORDS_PER_PASS == 0) {
      plain.truncate(0);
      plain.position(0);
    }
    framed.clear();
    int n = 0;
    while (framed.hasRemaining()) {
      n += plain.write(framed);
    }
    return n;
  }
}
