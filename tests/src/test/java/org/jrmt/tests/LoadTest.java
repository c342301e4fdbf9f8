package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.PipelinedWriter;
import org.jrmt.client.RemoteTape;
import org.jrmt.client.RemoteTapes;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many concurrent backups against one jrmtd child process: each session pipelines records to its
 * own virtual tape, closing and checking a volume every {@link #VOLUME} bytes (so a long run does
 * not fill the disk) and starting the next on a blank tape. No write may fail, every volume's
 * SHA-256 must equal what was sent, and the server's peak RSS must stay below its heap plus direct
 * memory limits plus {@link #JVM_OVERHEAD_MIB}. The per-session throughput spread is printed (never
 * asserted: speed is for benchmarks).
 *
 * <p>CI runs 64 sessions for 5 s; the documented long run: {@code mvn -o -pl tests -am verify
 * -Dtest=LoadTest -Dsurefire.failIfNoSpecifiedTests=false -Djrmt.load.seconds=60}.
 */
class LoadTest {
  private static final int SESSIONS = Integer.getInteger("jrmt.load.sessions", 64);
  private static final int SECONDS = Integer.getInteger("jrmt.load.seconds", 5);
  private static final int RECORD = 64 * 1024;
  private static final long VOLUME = 32L << 20;
  private static final int HEAP_MIB = 256;
  private static final int DIRECT_MIB = 512;

  /** Metaspace, code cache, thread stacks, GC structures, the C heap (glibc arenas). */
  static final int JVM_OVERHEAD_MIB = 256;

  @TempDir Path tmp;

  /** What one session did. */
  record Outcome(long bytes, int volumes, long nanos) {}

  @Test
  void sixtyFourConcurrentBackupsLoseNothingAndStayWithinMemory() throws Exception {
    Path tapes = tmp.resolve("tapes");
    // Every session's queued payload fits in the direct memory limit: slots x window. A few slots
    // more than sessions: a client that reconnects for its next volume may arrive before the
    // server has counted its previous session out.
    int slots = SESSIONS + 8;
    Path config = tmp.resolve("jrmtd.toml");
    Files.writeString(
        config,
        "[limits]\nmax-record = \"1M\"\nmax-sessions = "
            + slots
            + "\nmax-sessions-per-identity = "
            + slots
            + "\nwindow = \""
            + DIRECT_MIB / slots
            + "M\"\n");
    List<CompletableFuture<Outcome>> sessions = new ArrayList<>();
    long peakKib;
    try (JrmtdProcess jrmtd =
        JrmtdProcess.start(
            tapes,
            List.of(
                "-Xmx" + HEAP_MIB + "m",
                "-XX:MaxDirectMemorySize=" + DIRECT_MIB + "m",
                // one arena per core, not eight: glibc's per-thread arenas are not memory we use
                "-XX:+UseSerialGC"),
            "--config",
            config.toString())) {
      String base = "rmt://127.0.0.1:" + jrmtd.address().getPort() + "/load";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      for (int i = 0; i < SESSIONS; i++) {
        int n = i;
        sessions.add(
            CompletableFuture.supplyAsync(
                () -> session(base + n, tapes.resolve("load" + n + ".tap"), n, deadline),
                runnable -> {
                  Thread t = new Thread(runnable, "load-" + n);
                  t.setDaemon(true);
                  t.start();
                }));
      }
      CompletableFuture.allOf(sessions.toArray(CompletableFuture[]::new))
          .get(SECONDS + 300, TimeUnit.SECONDS);
      peakKib = jrmtd.peakRssKib();
    }
    List<Outcome> outcomes = sessions.stream().map(CompletableFuture::join).toList();
    report(outcomes, peakKib);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.bytes()).isPositive());
    assertThat(peakKib / 1024)
        .as("jrmtd peak RSS in MiB")
        .isLessThan(HEAP_MIB + DIRECT_MIB + JVM_OVERHEAD_MIB);
  }

  /** One backup: volumes of {@link #VOLUME} bytes until the deadline, each checked by hash. */
  private static Outcome session(String url, Path file, int n, long deadline) {
    Random random = new Random(n);
    byte[] pattern = new byte[1 << 20];
    random.nextBytes(pattern);
    ClientConfig config =
        ClientConfig.defaults()
            .withWindow(4L << 20)
            .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(120));
    long start = System.nanoTime();
    long total = 0;
    int volumes = 0;
    try {
      // At least one record per session, however late its thread got going on a busy machine.
      do {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        try (RemoteTape t =
            (RemoteTape)
                RemoteTapes.open(
                    url,
                    OpenMode.writeOnly().with(OpenMode.Flag.CREATE).with(OpenMode.Flag.TRUNCATE),
                    config,
                    Map.of())) {
          PipelinedWriter w = t.pipeline();
          while (bytes == 0 || (bytes < VOLUME && System.nanoTime() - deadline < 0)) {
            int offset = random.nextInt(pattern.length - RECORD);
            ByteBuffer record = ByteBuffer.wrap(pattern, offset, RECORD);
            sent.update(record.duplicate());
            w.write(record);
            bytes += RECORD;
          }
          w.flush();
          t.writeFilemarks(1);
        }
        total += bytes;
        volumes++;
        assertThat(hash(file)).as(url + " volume " + volumes).isEqualTo(sent.digest());
      } while (System.nanoTime() - deadline < 0);
    } catch (Exception e) {
      throw new AssertionError(url + ": " + e.getMessage(), e);
    }
    return new Outcome(total, volumes, System.nanoTime() - start);
  }

  private static byte[] hash(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (SimhTape t = SimhTape.open(file, OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(2 * RECORD);
      while (t.read(buf.clear()) > 0) {
        d.update(buf.flip());
      }
    }
    return d.digest();
  }

  private void report(List<Outcome> outcomes, long peakKib) throws Exception {
    double[] mibs =
        outcomes.stream().mapToDouble(o -> o.bytes() / 1048576.0 / (o.nanos() / 1e9)).toArray();
    double sum = 0;
    double squares = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double x : mibs) {
      sum += x;
      squares += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double mean = sum / mibs.length;
    double stddev = Math.sqrt(squares / mibs.length - mean * mean);
    double jain = sum * sum / (mibs.length * squares);
    long bytes = outcomes.stream().mapToLong(Outcome::bytes).sum();
    int volumes = outcomes.stream().mapToInt(Outcome::volumes).sum();
    String line =
        String.format(
            Locale.ROOT,
            "load: %d sessions x %d s: %.0f MiB in %d volumes, all hashes equal; aggregate %.1f MiB/s;"
                + " per session min %.2f mean %.2f max %.2f MiB/s (stddev %.1f%%, Jain %.3f);"
                + " jrmtd peak RSS %d MiB (bound %d)",
            outcomes.size(),
            SECONDS,
            bytes / 1048576.0,
            volumes,
            sum,
            min,
            mean,
            max,
            100 * stddev / mean,
            jain,
            peakKib / 1024,
            HEAP_MIB + DIRECT_MIB + JVM_OVERHEAD_MIB);
    System.out.println(line);
    Files.writeString(Path.of("target", "load-report.txt"), line + "\n");
  }
}
