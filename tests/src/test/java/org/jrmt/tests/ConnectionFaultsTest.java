package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.RemoteTapes;
import org.jrmt.protocol.testing.Await;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backup whose connection breaks mid-volume between {@link org.jrmt.client.RemoteTape} and jrmtd:
 * reset by a proxy, black-holed one way or the other, or stalled altogether. Both sides must give
 * up within their timeouts with a clear error, the server must release the tape, and the next
 * session must find every acknowledged record intact.
 */
class ConnectionFaultsTest {
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final Duration REPLY = Duration.ofSeconds(2);
  private static final int RECORD = 10_240;

  enum Fault {
    RESET,
    BLACK_HOLE_TO_SERVER,
    BLACK_HOLE_TO_CLIENT,
    STALL
  }

  @org.junit.jupiter.api.io.TempDir Path tmp;
  private NetworkServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    server =
        new NetworkServer(new ServerConfig.Builder(tmp.resolve("tapes")).idleTimeout(IDLE).build());
    address = server.listen(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] record(long i) {
    byte[] b = new byte[RECORD];
    Arrays.fill(b, (byte) i);
    ByteBuffer.wrap(b).putLong(i);
    return b;
  }

  private static String url(InetSocketAddress a) {
    return "rmt://127.0.0.1:" + a.getPort() + "/v1";
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void bothSidesGiveUpAndNothingAcknowledgedIsLost(Fault fault) throws Exception {
    ClientConfig config = ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), REPLY);
    AtomicLong acked = new AtomicLong();
    try (FaultyRelay relay = FaultyRelay.start(address)) {
      CompletableFuture<Void> backup =
          CompletableFuture.runAsync(
              () -> {
                try (Tape t =
                    RemoteTapes.open(
                        url(relay.address()),
                        OpenMode.writeOnly().with(OpenMode.Flag.CREATE),
                        config,
                        Map.of())) {
                  for (long i = 0; ; i++) {
                    t.write(ByteBuffer.wrap(record(i)));
                    acked.incrementAndGet();
                  }
                } catch (TapeException e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      Await.until(() -> acked.get() >= 50, Duration.ofSeconds(30), "the backup under way");
      switch (fault) {
        case RESET -> relay.reset();
        case BLACK_HOLE_TO_SERVER -> relay.blackHole(FaultyRelay.Direction.TO_SERVER);
        case BLACK_HOLE_TO_CLIENT -> relay.blackHole(FaultyRelay.Direction.TO_CLIENT);
        case STALL -> relay.stall();
      }
      long start = System.nanoTime();
      ExecutionException failed =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> backup.get(30, TimeUnit.SECONDS));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(failed.getCause()).isInstanceOf(TapeException.class);
      // One line naming the server and what went wrong.
      assertThat(failed.getCause().getMessage()).contains("127.0.0.1").doesNotContain("\n");
      assertThat(took)
          .as("given up within the timeouts")
          .isLessThan(REPLY.plus(IDLE).multipliedBy(3));
      // The server gave up too (its idle timeout for the black holes) and released the tape.
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(15), "the session to end");
    }
    // The next session opens the tape at once and finds each acknowledged record, intact; at most
    // one more (written, its acknowledgement lost) and never a torn one.
    long read = 0;
    try (Tape t =
        RemoteTapes.open(url(address), OpenMode.readOnly(), ClientConfig.defaults(), Map.of())) {
      ByteBuffer buf = ByteBuffer.allocate(2 * RECORD);
      for (int n; (n = t.read(buf.clear())) > 0; read++) {
        assertThat(n).isEqualTo(RECORD);
        assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(record(read));
      }
    }
    assertThat(read).isBetween(acked.get(), acked.get() + 1);
  }
}
