package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jrmt.protocol.testing.Await;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The network daemon fed malformed requests: exact replies, a healthy session alongside that keeps
 * working, and device locks that go back when a session dies.
 */
class BadInputJrmtdTest {
  @TempDir Path tmp;
  private NetworkServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    server = new NetworkServer(ServerConfig.defaults(tmp.resolve("tapes")));
    address = server.listen(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The cases; a truncated payload needs the client's EOF, see {@link #halfClose}. */
  static List<BadInput> cases() {
    return BadInput.all().stream().filter(c -> !c.name().startsWith("truncated")).toList();
  }

  private void awaitSessions(int n) {
    Await.until(() -> server.sessions() == n, Duration.ofSeconds(10), n + " sessions");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersWithExactBytesOrClosesWhileAHealthySessionGoesOn(BadInput c) throws Exception {
    try (RawSession healthy = new RawSession(address)) {
      healthy.send("Oh1\n66 O_RDWR|O_CREAT\nW3\nabc");
      assertThat(healthy.read(6)).isEqualTo("A0\nA3\n");

      try (RawSession bad = new RawSession(address)) {
        bad.send(c.request());
        assertThat(bad.readLike(c.reply())).isEqualTo(c.reply());
        // Nothing more: a violation closed the session (its last request got no reply), and
        // otherwise every reply was in; the client's EOF then ends the session.
        assertThat(bad.finish()).isEmpty();
      }
      awaitSessions(1);

      healthy.send("W4\ndefgI6\n1\nR10\nR10\n");
      String expected = "A4\nA1\nA3\nabcA4\ndefg";
      assertThat(healthy.readLike(expected)).isEqualTo(expected);
      assertThat(healthy.finish()).isEqualTo("");
    }
    awaitSessions(0);
  }

  /**
   * A client that sends its requests and then half-closes (shutdown(SHUT_WR), what socat does on
   * EOF) gets every queued request executed and answered, in order, before jrmtd closes.
   */
  @Test
  void halfClose() throws Exception {
    try (RawSession s = new RawSession(address)) {
      s.send("Ot1\n66 O_RDWR|O_CREAT\nRabc\nC\n");
      assertThat(s.finish()).isEqualTo("A0\nE22\nInvalid byte count\nA0\n");
    }
    try (RawSession s = new RawSession(address)) {
      s.send("Ot1\n66 O_RDWR|O_CREAT\nW10\nabc");
      assertThat(s.finish()).isEqualTo("A0\nE5\nPremature eof\n");
    }
  }

  @Test
  void aDeviceHeldByAKilledWriterIsReleased() throws Exception {
    try (RawSession b = new RawSession(address)) {
      RawSession a = new RawSession(address);
      a.send("Ot1\n66 O_RDWR|O_CREAT\nW10\n01234");
      assertThat(a.read(3)).isEqualTo("A0\n");

      // While A holds t1, B is refused and its session goes on.
      b.send("Ot1\n66 O_RDWR|O_CREAT\n");
      assertThat(b.read(28)).isEqualTo("E16\nDevice or resource busy\n");

      // A dies in the middle of a W payload.
      a.kill();
      awaitSessions(1);

      b.send("Ot1\n66 O_RDWR|O_CREAT\nR100\n");
      // The half-sent record never reached the tape: B reads the end of data at once.
      assertThat(b.read(6)).isEqualTo("A0\nA0\n");
      assertThat(b.finish()).isEqualTo("");
    }
    awaitSessions(0);
  }
}
