package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.RemoteTapes;
import org.jrmt.protocol.testing.Await;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;

/**
 * A well-behaved backup running beside hostile or faulty ones: writes pseudo-random records of
 * varying size to one virtual tape through {@link RemoteTapes} until stopped, keeps every byte it
 * sent, and then checks that the tape holds exactly that.
 */
final class HonestWriter implements AutoCloseable {
  /** Past this many bytes the writer only keeps its session busy with status requests. */
  private static final long BUDGET = 48 << 20;

  private final MessageDigest sent = sha256();
  private long sentBytes;
  private final AtomicLong records = new AtomicLong();
  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  private final CompletableFuture<Void> done;

  private HonestWriter(InetSocketAddress server, String tape) {
    done =
        CompletableFuture.runAsync(
            () -> {
              ClientConfig config =
                  ClientConfig.defaults()
                      .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
              Random random = new Random(tape.hashCode());
              try (Tape t =
                  RemoteTapes.open(
                      "rmt://" + server.getHostString() + ":" + server.getPort() + "/" + tape,
                      OpenMode.writeOnly().with(OpenMode.Flag.CREATE).with(OpenMode.Flag.TRUNCATE),
                      config,
                      Map.of())) {
                while (!stop.isDone()) {
                  if (sentBytes > BUDGET) {
                    // Keeps the session open at a modest pace (pacing, not synchronisation).
                    t.status();
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                    continue;
                  }
                  byte[] record = new byte[1 + random.nextInt(64 * 1024)];
                  random.nextBytes(record);
                  assertThat(t.write(ByteBuffer.wrap(record))).isEqualTo(record.length);
                  synchronized (sent) {
                    sent.update(record);
                    sentBytes += record.length;
                  }
                  records.incrementAndGet();
                }
                t.writeFilemarks(1);
              } catch (Exception e) {
                throw new IllegalStateException("the honest writer failed: " + e.getMessage(), e);
              }
            });
  }

  /** Starts writing {@code tape} on {@code server}. */
  static HonestWriter start(InetSocketAddress server, String tape) {
    return new HonestWriter(server, tape);
  }

  /** Waits until at least {@code n} records are acknowledged (so the session is under way). */
  HonestWriter awaitRecords(long n) {
    Await.until(
        () -> records.get() >= n || done.isDone(), Duration.ofSeconds(30), n + " honest records");
    return this;
  }

  /** Stops writing, waits for the session to end, and checks the tape at {@code path}. */
  void finishAndVerify(Path path) throws Exception {
    stop.complete(null);
    done.get(60, TimeUnit.SECONDS);
    TapeContents contents = TapeContents.read(path);
    assertThat(contents.records()).isEqualTo(records.get());
    assertThat(contents.layout()).endsWith(TapeContents.FILEMARK);
    synchronized (sent) {
      assertThat(sha256().digest(contents.data()))
          .as("the honest tape's bytes")
          .isEqualTo(sent.digest());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The records acknowledged so far. */
  long records() {
    return records.get();
  }

  @Override
  public void close() {
    stop.complete(null);
  }
}
