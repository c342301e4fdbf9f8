package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.jrmt.protocol.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that are not anyone yet (TLS handshake not done; on plain TCP, no request yet) hold
 * no session slot: they get a grace time, are capped globally and per address, and over a cap the
 * oldest of them is dropped, so a client that authenticates is served. Other addresses are
 * 127.0.0.2 and up, which Linux routes to loopback.
 */
class UnauthenticatedConnectionsTest {
  @TempDir static Path dir;
  static SiteCertificates site;

  private final List<Socket> sockets = new ArrayList<>();
  private NetworkServer server;

  @BeforeAll
  static void certificates() throws IOException {
    site = TlsClient.site(dir.resolve("tls"));
  }

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static ServerConfig.Builder limits() {
    return new ServerConfig.Builder(dir.resolve("tapes"))
        .maxSessions(4)
        .maxSessionsPerIdentity(4)
        .maxUnauthenticated(8)
        .maxUnauthenticatedPerAddress(3);
  }

  private InetSocketAddress plain(ServerConfig config) throws Exception {
    server = new NetworkServer(config);
    return server.listen(new InetSocketAddress("127.0.0.1", 0));
  }

  private InetSocketAddress tls() throws Exception {
    return server.listenTls(
        new InetSocketAddress("127.0.0.1", 0),
        TlsSettings.fromSite(dir.resolve("tls")).serverContext());
  }

  /** A connection from {@code from}, which says nothing. */
  private Socket silent(String from, InetSocketAddress to) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(from, 0));
    s.connect(to, 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** {@link #silent}, once the server has counted it (so that the order of arrival is known). */
  private Socket counted(String from, InetSocketAddress to, int expected) throws IOException {
    Socket s = silent(from, to);
    Await.until(
        () -> server.backlog().unauthenticated() == expected,
        Duration.ofSeconds(10),
        expected + " unauthenticated connections");
    return s;
  }

  private static String exchange(Socket s, String request, int replyLength) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readNBytes(replyLength), StandardCharsets.ISO_8859_1);
  }

  /** What the server sent until it closed the connection (a reset counts as closed). */
  /** How many of {@code sockets} the server has closed by now ({@code closed} remembers them). */
  private static int closedNow(List<Socket> sockets, Set<Socket> closed) {
    for (Socket s : sockets) {
      if (closed.contains(s)) {
        continue;
      }
      try {
        s.setSoTimeout(1);
        if (s.getInputStream().read() < 0) {
          closed.add(s);
        }
      } catch (java.net.SocketTimeoutException e) {
        // open
      } catch (IOException e) {
        closed.add(s); // reset: closed too
      }
    }
    return closed.size();
  }

  private static String closedAfter(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    try {
      for (int b; (b = in.read()) >= 0; ) {
        out.write(b);
      }
    } catch (SocketException e) {
      // reset: closed too
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void silentConnectionsToTheTlsPortTakeNoSessionSlot() throws Exception {
    InetSocketAddress plain = plain(limits().build());
    InetSocketAddress tls = tls();
    for (int i = 0; i < 32; i++) {
      silent("127.0.0." + (2 + i % 8), tls);
    }
    // Every slot is still free: two TLS clients and two plain ones are served at once.
    try (SSLSocket a = TlsClient.connect(tls, site, site, "alice");
        SSLSocket b = TlsClient.connect(tls, site, site, "alice")) {
      assertThat(exchange(a, "V0\n", 3)).isEqualTo("A2\n");
      assertThat(exchange(b, "V0\n", 3)).isEqualTo("A2\n");
      assertThat(exchange(silent("127.0.0.1", plain), "V0\n", 3)).isEqualTo("A2\n");
      assertThat(exchange(silent("127.0.0.1", plain), "V0\n", 3)).isEqualTo("A2\n");
      assertThat(server.sessions()).isEqualTo(4);
      assertThat(server.backlog().unauthenticated()).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void aConnectionThatSaysNothingIsClosedAtTheGraceTime() throws Exception {
    Duration grace = Duration.ofMillis(300);
    InetSocketAddress plain =
        plain(limits().loginGraceTime(grace).idleTimeout(Duration.ofHours(1)).build());
    InetSocketAddress tls = tls();
    long start = System.nanoTime();
    Socket quiet = silent("127.0.0.1", plain);
    // A request begun and never finished is not a request: no slower loris either.
    Socket dribbling = silent("127.0.0.1", plain);
    dribbling.getOutputStream().write("Ot".getBytes(StandardCharsets.US_ASCII));
    Socket noHello = silent("127.0.0.1", tls);
    noHello.setSoTimeout(5_000);
    assertThat(closedAfter(quiet)).isEqualTo("E110\nLogin grace time expired\n");
    assertThat(closedAfter(dribbling)).isEqualTo("E110\nLogin grace time expired\n");
    assertThat(closedAfter(noHello)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(grace);
    Await.until(() -> server.backlog().unauthenticated() == 0, Duration.ofSeconds(10), "none left");
    assertThat(server.sessions()).isZero();
  }

  @Test
  void overTheCapOfAnAddressItsOldestIsDropped() throws Exception {
    InetSocketAddress plain = plain(limits().maxSessions(16).maxSessionsPerIdentity(16).build());
    Socket a1 = counted("127.0.0.2", plain, 1);
    Socket a2 = counted("127.0.0.2", plain, 2);
    Socket a3 = counted("127.0.0.2", plain, 3);
    Socket b1 = counted("127.0.0.3", plain, 4);
    Socket a4 = silent("127.0.0.2", plain);
    assertThat(closedAfter(a1)).isEmpty();
    // The others are still there, and are served when they speak.
    for (Socket s : List.of(a2, a3, a4, b1)) {
      assertThat(exchange(s, "V0\n", 3)).isEqualTo("A2\n");
    }
    assertThat(server.sessions()).isEqualTo(4);
  }

  @Test
  void overTheGlobalCapTheOldestIsDroppedAndAnHonestClientServed() throws Exception {
    InetSocketAddress plain = plain(limits().build());
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      held.add(counted("127.0.0." + (2 + i / 2), plain, i + 1));
    }
    silent("127.0.0.9", plain);
    assertThat(closedAfter(held.get(0))).isEmpty();
    // A newcomer that speaks at once is served; it pushes the next oldest out to get in.
    assertThat(exchange(silent("127.0.0.1", plain), "V0\n", 3)).isEqualTo("A2\n");
    assertThat(closedAfter(held.get(1))).isEmpty();
    assertThat(exchange(held.get(2), "V0\n", 3)).isEqualTo("A2\n");
  }

  @Test
  void threeHundredIdleConnectionsFromAHundredAddressesLockNoOneOut() throws Exception {
    InetSocketAddress plain = plain(limits().build());
    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      flood.add(silent("127.0.1." + (1 + i % 100), plain));
    }
    // Every one accepted (the server has closed all but the 8 it holds): none still waits in the
    // kernel's accept queue to push an honest client out after it connects.
    Set<Socket> closed = new HashSet<>();
    Await.until(() -> closedNow(flood, closed) == 300 - 8, Duration.ofSeconds(20), "292 dropped");
    assertThat(server.backlog().unauthenticated()).isEqualTo(8);
    for (int i = 0; i < 4; i++) {
      assertThat(exchange(silent("127.0.0.1", plain), "V0\n", 3)).isEqualTo("A2\n");
    }
    assertThat(server.sessions()).isEqualTo(4);
    // The fifth is over the session limit, which counts only those four.
    assertThat(exchange(silent("127.0.0.1", plain), "V0\n", 100))
        .isEqualTo("E16\nToo many sessions\n");
  }

  @Test
  void aTlsClientIsASessionOnceItsHandshakeIsDone() throws Exception {
    plain(limits().build());
    InetSocketAddress tls = tls();
    try (SSLSocket a = TlsClient.connect(tls, site, site, "alice")) {
      Await.until(() -> server.sessions() == 1, Duration.ofSeconds(10), "alice's session");
      assertThat(server.backlog().unauthenticated()).isZero();
    }
    Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "its end");
  }
}
