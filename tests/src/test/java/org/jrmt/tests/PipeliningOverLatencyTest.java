package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.PipelinedWriter;
import org.jrmt.client.RemoteTape;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.OpenMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PipelinedWriter} keeps many records in flight over a 20 ms round trip (a {@link
 * LatencyRelay} in front of an in-process jrmtd writing {@code /dev/null}), where stop-and-wait
 * {@link RemoteTape#write} pays one round trip per record. The time bounds follow from the injected
 * delay (with a factor 4 margin for the pipelined run); they are not performance targets.
 */
class PipeliningOverLatencyTest {
  private static final Duration ONE_WAY = Duration.ofMillis(10);
  private static final Duration RTT = ONE_WAY.multipliedBy(2);
  private static final int RECORD = 10 * 1024;

  @TempDir Path tmp;

  @Test
  void pipelinedWritesOverlapRoundTripsAndStopAndWaitDoesNot() throws Exception {
    ServerConfig sc = ServerConfig.defaults(tmp).withFileDirs(List.of(Path.of("/dev/null")));
    ByteBuffer record = ByteBuffer.allocate(RECORD);
    for (int i = 0; i < RECORD; i++) {
      record.put(i, (byte) (i * 31));
    }
    try (NetworkServer server = new NetworkServer(sc)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      try (LatencyRelay relay = LatencyRelay.start(a, ONE_WAY)) {
        ClientConfig config = ClientConfig.defaults();

        int n = 200;
        try (RemoteTape tape =
            RemoteTape.openNative(
                "127.0.0.1", relay.port(), false, "/dev/null", OpenMode.writeOnly(), config)) {
          assertThat(tape.pipelined()).isTrue();
          PipelinedWriter w = tape.pipeline();
          assertThat(w.window()).isGreaterThanOrEqualTo((long) n * RECORD);
          List<CompletableFuture<Void>> acks = new ArrayList<>();
          int maxInFlight = 0;
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            acks.add(w.write(record.duplicate()));
            int inFlight = 0;
            for (CompletableFuture<Void> f : acks) {
              if (!f.isDone()) {
                inFlight++;
              }
            }
            maxInFlight = Math.max(maxInFlight, inFlight);
          }
          w.flush();
          Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
          assertThat(w.written()).isEqualTo(n);
          assertThat(w.writtenBytes()).isEqualTo((long) n * RECORD);
          assertThat(acks).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
          assertThat(maxInFlight).as("records awaiting their reply at once").isGreaterThan(50);
          assertThat(elapsed).isGreaterThanOrEqualTo(RTT);
          assertThat(elapsed).isLessThan(RTT.multipliedBy(n).dividedBy(4));
        }

        int m = 100;
        try (RemoteTape tape =
            RemoteTape.openNative(
                "127.0.0.1", relay.port(), false, "/dev/null", OpenMode.writeOnly(), config)) {
          long t0 = System.nanoTime();
          for (int i = 0; i < m; i++) {
            assertThat(tape.write(record.duplicate())).isEqualTo(RECORD);
          }
          Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
          assertThat(elapsed).isGreaterThanOrEqualTo(RTT.multipliedBy(m));
        }
      }
    }
  }
}
