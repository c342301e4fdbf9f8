package org.jrmt.tests.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.PipelinedWriter;
import org.jrmt.client.RemoteTape;
import org.jrmt.tape.OpenMode;

/**
 * Write throughput of {@link RemoteTape} to jrmtd, used by {@code bench/run} (which puts a {@code
 * LatencyRelay} between the two). Not a test.
 *
 * <p>One session per run: opens {@code --path} ({@code /dev/null}) write-only on {@code
 * 127.0.0.1:--port} (with {@code --create}: created and truncated, as for a virtual tape name; with
 * {@code --tls-dir DIR}: over TLS with the client certificate {@code DIR/client.crt}, {@code
 * client.key} and the CA {@code ca.crt}, as {@code jrmtd cert} writes them), writes {@code
 * --record}-byte records for {@code --seconds}, waits for every reply, closes. {@code --mode pipe}
 * writes through {@link RemoteTape#pipeline()} with the {@code --window} of {@link
 * ClientConfig#withWindow}; {@code --mode saw} uses stop-and-wait {@link RemoteTape#write}. Time
 * runs from the open's reply to the last record's reply (the flush). A warm-up session of {@code
 * --warmup-seconds} comes first.
 *
 * <p>Output: one line per measured run, then {@code RESULT <MB/s> <MB/s> ...} (MB = 10^6 bytes).
 *
 * <pre>
 * java -cp 'tests/target/test-classes:dist/target/lib/*' org.jrmt.tests.bench.LatencyBenchmark \
 *   --port 4768 [--mode pipe|saw] [--record 10240] [--seconds 3] [--warmup-seconds 2] [--runs 5] \
 *   [--window 20M] [--path /dev/null] [--create] [--tls-dir DIR]
 * </pre>
 */
public final class LatencyBenchmark {
  private LatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int port = 4768;
    String mode = "pipe";
    int record = 10 * 1024;
    double seconds = 3;
    double warmup = 2;
    int runs = 5;
    long window = ClientConfig.DEFAULT_WINDOW;
    String path = "/dev/null";
    String tlsDir = null;
    boolean create = false;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (args[i].equals("--create")) {
        create = true;
        continue;
      }
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(v);
        case "--mode" -> mode = v;
        case "--record" -> record = (int) size(v);
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--warmup-seconds" -> warmup = Double.parseDouble(v);
        case "--runs" -> runs = Integer.parseInt(v);
        case "--window" -> window = size(v);
        case "--path" -> path = v;
        case "--tls-dir" -> tlsDir = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (!mode.equals("pipe") && !mode.equals("saw")) {
      throw new IllegalArgumentException("--mode is pipe or saw");
    }
    ClientConfig config = ClientConfig.defaults().withWindow(window);
    if (tlsDir != null) {
      Path dir = Path.of(tlsDir);
      config =
          config.withTlsFiles(
              dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key"));
    }
    OpenMode open =
        create
            ? OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE)
            : OpenMode.writeOnly();
    Target target = new Target(port, tlsDir != null, path, open);
    byte[] data = new byte[record];
    new Random(1).nextBytes(data);
    ByteBuffer buf = ByteBuffer.wrap(data);
    if (warmup > 0) {
      double r = run(target, mode, config, buf, warmup);
      System.out.printf("warm-up %.3f MB/s%n", r);
    }
    List<Double> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      double r = run(target, mode, config, buf, seconds);
      System.out.printf("run %d %.3f MB/s%n", i + 1, r);
      results.add(r);
    }
    StringBuilder sb = new StringBuilder("RESULT");
    for (double r : results) {
      sb.append(String.format(" %.4f", r));
    }
    System.out.println(sb);
  }

  private record Target(int port, boolean tls, String path, OpenMode mode) {}

  private static double run(
      Target target, String mode, ClientConfig config, ByteBuffer record, double seconds)
      throws Exception {
    long budget = (long) (seconds * 1e9);
    try (RemoteTape tape =
        RemoteTape.openNative(
            "127.0.0.1", target.port(), target.tls(), target.path(), target.mode(), config)) {
      long bytes = 0;
      long t0 = System.nanoTime();
      if (mode.equals("pipe")) {
        if (!tape.pipelined()) {
          throw new IllegalStateException("the server did not grant pipeline and sticky-eot");
        }
        PipelinedWriter w = tape.pipeline();
        while (System.nanoTime() - t0 < budget) {
          for (int i = 0; i < 64; i++) {
            w.write(record.duplicate());
          }
        }
        w.flush();
        bytes = w.writtenBytes();
      } else {
        while (System.nanoTime() - t0 < budget) {
          bytes += tape.write(record.duplicate());
        }
      }
      long t1 = System.nanoTime();
      return bytes / ((t1 - t0) / 1e9) / 1e6;
    }
  }

  private static long size(String s) {
    s = s.strip().toUpperCase();
    long mult = 1;
    switch (s.charAt(s.length() - 1)) {
      case 'K' -> mult = 1L << 10;
      case 'M' -> mult = 1L << 20;
      case 'G' -> mult = 1L << 30;
      default -> {
        return Long.parseLong(s);
      }
    }
    return Long.parseLong(s.substring(0, s.length() - 1)) * mult;
  }
}
