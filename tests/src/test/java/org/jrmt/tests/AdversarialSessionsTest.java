package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.testing.Await;
import org.jrmt.server.Grant;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.Policy;
import org.jrmt.server.ServerConfig;
import org.jrmt.server.SiteCertificates;
import org.jrmt.server.TlsSettings;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients against jrmtd while an honest backup runs beside them: policy escapes, Hostile
 * clients against jrmtd while an honest backup runs beside them: policy escapes, append-only
 * violations, a busy drive, a flood of connections, slow senders, bad TLS, floods of requests never
 * read, huge read counts, silent connections, and a local user who plants FIFOs in a file directory
 * or swaps its directories for links. Each gets its {@code E} reply, a closed session or a bounded
 * share of the server; the honest tape must come out byte for byte as sent. (Malformed requests are
 * {@link BadInputJrmtdTest}'s; a Throwable on a device thread is rmt-server's {@code
 * DeviceThreadFailureTest}.)
 */
class AdversarialSessionsTest {
  /**
   * Short, so that idle sessions go within the test; long enough that 1,000 connections are made
   * before the first sessions among them time out (and give their slots to later ones).
   */
  private static final Duration IDLE = Duration.ofSeconds(3);

  private static final Duration GRACE = Duration.ofMillis(1500);
  private static final int MAX_SESSIONS = 64;
  private static final int MAX_UNAUTHENTICATED = 128;
  private static final int MAX_RECORD = 16 << 20;

  @TempDir Path tmp;
  private NetworkServer server;
  private InetSocketAddress plain;
  private InetSocketAddress tls;
  private SiteCertificates site;
  private HonestWriter honest;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    Path files = Files.createDirectories(tmp.resolve("files"));
    Files.writeString(files.resolve("ok"), "fine");
    Files.createSymbolicLink(files.resolve("escape"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(files.resolve("up"), Path.of("/etc"));
    // The server opens files through org.jrmt.fs, which binds the C library on first use: about a
    // second on a loaded machine, more than this test's idle timeout. Bound here, before any
    // session, it is not charged to the first client's open.
    Directory.open(files).close();
    Policy policy =
        new Policy(
            List.of(),
            List.of(
                new Policy.Rule("*", List.of("tape:vault*"), Grant.APPEND_ONLY),
                new Policy.Rule("*", List.of("tape:t*", "tape:honest"), Grant.FULL),
                new Policy.Rule("*", List.of(files + "/*"), Grant.READ_ONLY)));
    ServerConfig config =
        new ServerConfig.Builder(tmp.resolve("tapes"))
            .fileDirs(List.of(files))
            // The flood's served sessions sit idle while the other connections are made, which
            // on a loaded machine takes longer than IDLE: they must not time out and free slots.
            .idleTimeout(test.getTags().contains("long-idle") ? Duration.ofMinutes(2) : IDLE)
            .maxSessions(MAX_SESSIONS)
            .maxSessionsPerIdentity(MAX_SESSIONS)
            .loginGraceTime(GRACE)
            .maxUnauthenticated(MAX_UNAUTHENTICATED)
            .maxUnauthenticatedPerAddress(32)
            .policy(policy)
            .build();
    site = new SiteCertificates(tmp.resolve("tls"));
    site.init("test", Duration.ofDays(1));
    site.issue("server", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    site.issue("alice", List.of(), List.of(), Duration.ofDays(1));
    // Valid from five minutes ago to one minute ago.
    site.issue("expired", List.of(), List.of(), Duration.ofMinutes(-1));
    server = new NetworkServer(config);
    plain = server.listen(new InetSocketAddress("127.0.0.1", 0));
    tls =
        server.listenTls(
            new InetSocketAddress("127.0.0.1", 0),
            TlsSettings.fromSite(tmp.resolve("tls")).serverContext());
    honest = HonestWriter.start(plain, "honest").awaitRecords(20);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      honest.finishAndVerify(tmp.resolve("tapes/honest.tap"));
    } finally {
      server.close();
    }
  }

  /**
   * Sends {@code request} on a fresh session and returns all it got before the server closed, once
   * that session has ended.
   */
  private String exchange(String request, String expected) throws IOException {
    try (RawSession s = new RawSession(plain)) {
      s.send(request);
      String got = s.readLike(expected);
      assertThat(got).isEqualTo(expected);
      String all = got + s.finish();
      // Its device goes back when the session has ended, just after the connection closed.
      awaitOnlyTheHonestSession();
      return all;
    }
  }

  private void awaitOnlyTheHonestSession() {
    Await.until(() -> server.sessions() == 1, Duration.ofSeconds(15), "only the honest session");
  }

  private static final String NOT_SERVED = "not a tape, device or file this server serves";

  /** An E13 refusal with its reason, as it goes on the wire (one line of at most 60 bytes). */
  private static String e13(String reason) {
    return "E13\n" + new Reply.Error(13, reason).message() + "\n";
  }

  @Test
  void policyEscapesAreRefused() throws Exception {
    String link = "E13\nSymbolic link, not followed\n";
    Path files = tmp.resolve("files");
    assertThat(
            exchange(
                "O"
                    + files
                    + "/escape\n0 O_RDONLY\nO"
                    + files
                    + "/up/passwd\n0 O_RDONLY\nO"
                    + files
                    + "/../files/ok\n0 O_RDONLY\nOsecret\n0 O_RDONLY\nO"
                    + files
                    + "/ok\n1 O_WRONLY\nO/etc/passwd\n0 O_RDONLY\nO"
                    + files
                    + "/ok\n0 O_RDONLY\nR10\n",
                link
                    + link
                    + e13(NOT_SERVED)
                    + e13("no rule grants tape:secret to addr:127.0.0.1")
                    + e13("no write open: " + files + "/ok read-only (rule 3, addr:127.0.0.1)")
                    + e13(NOT_SERVED)
                    + "A0\nA4\nfine"))
        .endsWith("fine");
    awaitOnlyTheHonestSession();
  }

  @Test
  void aFifoOrSocketInAFileDirIsRefusedWithoutBlockingTheSession() throws Exception {
    Path files = tmp.resolve("files");
    try (Directory d = Directory.open(files)) {
      d.mknod(FileName.of("fifo"), FileStatus.S_IFIFO | 0666, 0);
      d.mknod(FileName.of("socket"), FileStatus.S_IFSOCK | 0666, 0);
    }
    // Opened the old way, the FIFO blocked the session's thread for ever (no writer comes).
    exchange(
        "O"
            + files
            + "/fifo\n0 O_RDONLY\nO"
            + files
            + "/socket\n0 O_RDONLY\nO"
            + files
            + "/ok\n0 O_RDONLY\nR10\n",
        "E13\nNot a regular file (a FIFO)\nE13\nNot a regular file (a socket)\nA0\nA4\nfine");
    awaitOnlyTheHonestSession();
  }

  @Test
  void aDirectorySwappedForALinkWhileClientsOpenNeverLeadsToTheCaKey() throws Exception {
    // The decoy sub/ca.key inside; a link to the site's TLS directory, whose ca.key is the prize,
    // swapped with sub (RENAME_EXCHANGE) as fast as the local user's thread can.
    Path files = tmp.resolve("files");
    Files.createDirectories(files.resolve("sub"));
    Files.writeString(files.resolve("sub/ca.key"), "decoy");
    Files.createSymbolicLink(files.resolve("swap"), tmp.resolve("tls"));
    // Unmoved, the decoy is served.
    exchange("O" + files + "/sub/ca.key\n0 O_RDONLY\nR100\n", "A0\nA5\ndecoy");
    // Opened the old way (links checked, then the path opened), the swap won a round in a few
    // hundred on a loaded two-core machine.
    int rounds = 500;
    AtomicBoolean stop = new AtomicBoolean();
    long[] swaps = new long[1];
    Thread swapper =
        new Thread(
            () -> {
              try (Directory d = Directory.open(files)) {
                while (!stop.get()) {
                  d.exchange(FileName.of("sub"), d, FileName.of("swap"));
                  swaps[0]++;
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            "swapper");
    swapper.start();
    int decoys = 0;
    int refused = 0;
    try (RawSession s = new RawSession(plain)) {
      for (int i = 0; i < rounds; i++) {
        s.send("O" + files + "/sub/ca.key\n0 O_RDONLY\n");
        String open = s.readLine();
        if (open.equals("E13")) {
          assertThat(s.readLine()).isEqualTo("Symbolic link, not followed");
          refused++;
          continue;
        }
        assertThat(open).isEqualTo("A0");
        s.send("R100\nC\n");
        String count = s.readLine();
        String data = s.read(Integer.parseInt(count.substring(1)));
        assertThat(data).as("round %d", i).isEqualTo("decoy");
        assertThat(s.readLine()).isEqualTo("A0");
        decoys++;
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertThat(decoys + refused).isEqualTo(rounds);
    assertThat(swaps[0]).isPositive();
    awaitOnlyTheHonestSession();
  }

  @Test
  void appendOnlyViolationsAreRefusedAndTheOldDataSurvives() throws Exception {
    String policy = ": tape:vault1 append-only (rule 1, addr:127.0.0.1)";
    String records = e13("records only at end of data" + policy);
    // Every backup opens as tar and dump do (O_TRUNC is ignored) and becomes the next file.
    exchange("Ovault1\n577 O_WRONLY|O_CREAT|O_TRUNC\nW6\nmonday", "A0\nA6\n");
    exchange("Ovault1\n577 O_WRONLY|O_CREAT|O_TRUNC\nW7\ntuesday", "A0\nA7\n");
    // Nothing before the end of data changes: no erase, no write or filemark after a rewind, and
    // none after a backward space that fails half way (issue 14: it stops at the beginning).
    exchange(
        "Ovault1\n66 O_RDWR|O_CREAT\nI13\n1\nI6\n1\nW5\nagainI5\n1\nI12\n1\nW9\nwednesday"
            + "I2\n2147483647\nW3\ncut",
        "A0\n"
            + e13("no erase" + policy)
            + "A1\n"
            + records
            + e13("filemarks only at end of data" + policy)
            + "A1\nA9\nE5\nInput/output error\n"
            + records);
    TapeContents vault = TapeContents.read(tmp.resolve("tapes/vault1.tap"));
    assertThat(vault.data())
        .asString(StandardCharsets.ISO_8859_1)
        .isEqualTo("mondaytuesdaywednesday");
    int fm = TapeContents.FILEMARK;
    assertThat(vault.layout()).as("three files").containsExactly(6, fm, 7, fm, 9, fm);
    awaitOnlyTheHonestSession();
  }

  @Test
  void aSecondOpenerOfABusyTapeIsToldSo() throws Exception {
    exchange("Ohonest\n66 O_RDWR|O_CREAT\nV0\n", "E16\nDevice or resource busy\nA2\n");
    awaitOnlyTheHonestSession();
  }

  @Test
  @Tag("long-idle")
  void aThousandConnectionsMeetTheSessionLimit() throws Exception {
    List<Socket> flood = new ArrayList<>();
    int served = 0;
    int refused = 0;
    int dropped = 0;
    try {
      for (int i = 0; i < 1000; i++) {
        Socket s = new Socket();
        s.connect(plain, 5_000);
        s.setSoTimeout(10_000);
        flood.add(s);
        s.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
      }
      for (Socket s : flood) {
        String reply = readUpTo(s.getInputStream(), 3);
        if (reply.equals("A2\n")) {
          served++;
        } else if (reply.isEmpty()) {
          // Dropped before its request was read: it was the oldest of more than the server
          // keeps unauthenticated from one address. It never held a slot.
          dropped++;
        } else {
          assertThat(reply + readUpTo(s.getInputStream(), 100))
              .isEqualTo("E16\nToo many sessions\n");
          assertThat(s.getInputStream().read()).as("closed after the refusal").isEqualTo(-1);
          refused++;
        }
      }
      assertThat(served).isEqualTo(MAX_SESSIONS - 1);
      assertThat(refused + dropped).isEqualTo(1000 - served);
    } finally {
      for (Socket s : flood) {
        s.close();
      }
    }
    awaitOnlyTheHonestSession();
    // The slots came back: a new session is served.
    exchange("V0\n", "A2\n");
  }

  /**
   * Floods of small requests whose replies are never read (status, version, reads of a count far
   * above the records): each flooder is stopped being read once its queues are full, holding at
   * most its bounds, and is closed at the idle timeout since nothing it asks completes; a backup
   * started beside them comes out intact.
   */
  @Test
  void floodsOfRequestsThatAreNeverReadAreStoppedAndBounded() throws Exception {
    writeSmallRecords(tmp.resolve("tapes/tsmall.tap"), 100);
    ServerConfig defaults = ServerConfig.defaults(tmp);
    HonestWriter during = HonestWriter.start(plain, "tduring").awaitRecords(5);
    for (String request : new String[] {"S\n", "V0\n", "R" + MAX_RECORD + "\n"}) {
      Thread t;
      try (Socket s = new Socket()) {
        s.setReceiveBufferSize(16 << 10);
        s.connect(plain, 5_000);
        t = flood(s, request.startsWith("R") ? "Otsmall\n0 O_RDONLY\n" : "", request);
        Await.until(
            () -> server.backlog().notReading() == 1,
            Duration.ofSeconds(60),
            "jrmtd to stop reading from the flood of " + request.strip());
        NetworkServer.Backlog held = server.backlog();
        // The two honest sessions queue little (their windows are far below the bounds).
        assertThat(held.queuedRequests()).isLessThanOrEqualTo(3L * defaults.maxQueuedRequests());
        assertThat(held.queuedReplyBytes())
            .isLessThanOrEqualTo(defaults.maxQueuedReplyBytes() + MAX_RECORD + (1L << 20));
        // Nothing it asked completes: the idle timeout ends it, the client need not go away.
        Await.until(() -> server.sessions() == 2, IDLE.plusSeconds(15), "the flooder to be closed");
      }
      t.join(30_000);
    }
    during.finishAndVerify(tmp.resolve("tapes/tduring.tap"));
    awaitOnlyTheHonestSession();
  }

  /**
   * Reads with the largest count there is, on tapes of 100-byte records, sent all at once before
   * any reply is read (so replies pile up once the socket buffers are full): each reply costs its
   * record, not 16 MiB, so no device thread runs out of memory and every slot comes back.
   */
  @Test
  void hugeReadCountsOnSmallRecordsCostTheRecord() throws Exception {
    int sessions = 4;
    int records = 60_000;
    List<RawSession> readers = new ArrayList<>();
    try {
      for (int i = 0; i < sessions; i++) {
        writeSmallRecords(tmp.resolve("tapes/tread" + i + ".tap"), records);
        RawSession r = new RawSession(plain);
        readers.add(r);
        r.send("Otread" + i + "\n0 O_RDONLY\n" + ("R" + MAX_RECORD + "\n").repeat(records));
      }
      // Each read at its own pace (one client not reading for the idle timeout is closed).
      String record = "A100\n" + "r".repeat(100);
      List<CompletableFuture<Void>> reading = new ArrayList<>();
      for (RawSession r : readers) {
        reading.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    assertThat(r.readLike("A0\n")).isEqualTo("A0\n");
                    for (int i = 0; i < records; i++) {
                      assertThat(r.readLike(record)).isEqualTo(record);
                    }
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }));
      }
      CompletableFuture.allOf(reading.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    } finally {
      for (RawSession r : readers) {
        r.close();
      }
    }
    awaitOnlyTheHonestSession();
    exchange("V0\n", "A2\n");
  }

  /**
   * Silent connections (no ClientHello on the TLS port, no request on the plain one) from many
   * addresses hold no session slot: TLS and plain clients are served beside them, and the silent
   * ones are gone at the grace time.
   */
  @Test
  void silentConnectionsHoldNoSlotAndGoAtTheGraceTime() throws Exception {
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket();
        silent.add(s);
        s.bind(new InetSocketAddress("127.0.1." + (1 + i % 100), 0));
        s.connect(i % 2 == 0 ? tls : plain, 5_000);
      }
      Await.until(
          () -> server.backlog().unauthenticated() <= MAX_UNAUTHENTICATED,
          Duration.ofSeconds(10),
          "the cap on unauthenticated connections");
      try (SSLSocket s = tlsConnect(site, "alice")) {
        s.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(readUpTo(s.getInputStream(), 3)).isEqualTo("A2\n");
      }
      exchange("V0\n", "A2\n");
      Await.until(
          () -> server.backlog().unauthenticated() == 0,
          GRACE.plusSeconds(10),
          "the silent connections to go at the grace time");
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
    awaitOnlyTheHonestSession();
  }

  /** Sends {@code prefix}, then {@code request} over and over, never reading, until closed. */
  private static Thread flood(Socket s, String prefix, String request) {
    Thread t =
        new Thread(
            () -> {
              byte[] chunk =
                  request.repeat((64 << 10) / request.length()).getBytes(StandardCharsets.US_ASCII);
              try {
                OutputStream out = s.getOutputStream();
                out.write(prefix.getBytes(StandardCharsets.US_ASCII));
                for (long sent = 0; sent < (256L << 20); sent += chunk.length) {
                  out.write(chunk);
                }
              } catch (IOException e) {
                // closed by the test
              }
            },
            "flood " + request.strip());
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void writeSmallRecords(Path tape, int n) throws Exception {
    Files.createDirectories(tape.getParent());
    try (SimhTape t = SimhTape.open(tape, OpenMode.writeOnly().with(OpenMode.Flag.CREATE))) {
      byte[] record = "r".repeat(100).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < n; i++) {
        t.write(ByteBuffer.wrap(record));
      }
    }
  }

  @Test
  void slowSendersAreClosedAtTheGraceOrIdleTimeout() throws Exception {
    // A slow loris: one byte of a request every tenth of the idle timeout, forever. No request
    // ever completes, so the connection counts as idle however busy the socket is; before its
    // first request it is no one yet, and goes at the (shorter) login grace time.
    assertThat(slowLoris("")).isEqualTo("E110\nLogin grace time expired\n");
    // After a first request it is a session, and goes at the idle timeout.
    assertThat(slowLoris("V0\n")).isEqualTo("A2\nE5\nIdle timeout\n");
    // A sender that stops in the middle of a payload is closed too, and its lock goes back.
    try (RawSession s = new RawSession(plain)) {
      s.send("Ot2\n66 O_RDWR|O_CREAT\nW10\nabc");
      assertThat(s.readLike("A0\n")).isEqualTo("A0\n");
      assertThat(s.readToEnd()).isEqualTo("E5\nIdle timeout\n");
    }
    awaitOnlyTheHonestSession();
    exchange("Ot2\n66 O_RDWR|O_CREAT\nR10\n", "A0\nA0\n");
  }

  /** Sends {@code first} at once, then dribbles a request; returns what the server said. */
  private String slowLoris(String first) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(plain, 5_000);
      s.setSoTimeout(30_000);
      Thread dribbler =
          new Thread(
              () -> {
                byte[] request =
                    (first + "Ot2\n66 O_RDWR|O_CREAT\nW100000\n" + "x".repeat(100_000))
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                  OutputStream out = s.getOutputStream();
                  out.write(request, 0, first.length());
                  for (int i = first.length(); i < request.length; i++) {
                    out.write(request[i]);
                    out.flush();
                    // The attack's pace, not a synchronisation.
                    LockSupport.parkNanos(IDLE.toNanos() / 10);
                  }
                } catch (IOException e) {
                  // closed by the server: what the test wants
                }
              },
              "slow-loris");
      dribbler.setDaemon(true);
      dribbler.start();
      long start = System.nanoTime();
      String got = readUpTo(s.getInputStream(), 100);
      // Well before the 100 kB could have trickled in (several hours).
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      return got;
    }
  }

  @Test
  void theTlsPortTurnsAwayPlaintextAndBadCertificates() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(tls, 5_000);
      s.setSoTimeout(15_000);
      s.getOutputStream()
          .write("Ot1\n66 O_RDWR|O_CREAT\nW3\nabc".getBytes(StandardCharsets.US_ASCII));
      String got = readUpTo(s.getInputStream(), 1000);
      assertThat(got).as("no rmt reply to plaintext").doesNotContain("A0\n");
    } catch (java.net.SocketException e) {
      // A reset is a closed session too.
    }
    SiteCertificates other = new SiteCertificates(tmp.resolve("other"));
    other.init("other", Duration.ofDays(1));
    other.issue("mallory", List.of(), List.of(), Duration.ofDays(1));
    assertRefused(site, null);
    assertRefused(other, "mallory");
    assertRefused(site, "expired");
    // The site's own client is served.
    try (SSLSocket s = tlsConnect(site, "alice")) {
      s.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(readUpTo(s.getInputStream(), 3)).isEqualTo("A2\n");
    }
    awaitOnlyTheHonestSession();
  }

  /**
   * The server must refuse in TLS itself: a handshake alert, or the connection closed (or reset)
   * right after the handshake with no rmt reply. Anything else (a refused connection, a timeout, an
   * error of our own) is not a refusal and fails the test.
   */
  private void assertRefused(SiteCertificates who, String name) {
    Throwable thrown =
        catchThrowable(
            () -> {
              try (SSLSocket s = tlsConnect(who, name)) {
                s.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                int first = s.getInputStream().read();
                if (first >= 0) {
                  throw new AssertionError("served: the first reply byte was " + (char) first);
                }
              }
            });
    String what = name == null ? "no certificate" : name;
    if (thrown == null) {
      return; // closed by the server before any reply
    }
    assertThat(thrown)
        .as(what)
        .satisfiesAnyOf(
            t -> assertThat(t).isInstanceOf(javax.net.ssl.SSLException.class),
            t ->
                assertThat(t)
                    .isExactlyInstanceOf(java.net.SocketException.class)
                    .hasMessageContaining("reset"));
  }

  private SSLSocket tlsConnect(SiteCertificates who, String name) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", readCertificate(site.caCertificate()));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (name != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      X509Certificate cert = readCertificate(who.certificate(name));
      keys.setKeyEntry("me", readKey(who.key(name)), new char[0], new Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(tls.getAddress(), tls.getPort());
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  private static X509Certificate readCertificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** A PKCS#8 PEM private key (the site CA's keys are EC). */
  private static java.security.PrivateKey readKey(Path pem) throws Exception {
    String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return java.security.KeyFactory.getInstance("EC")
        .generatePrivate(
            new java.security.spec.PKCS8EncodedKeySpec(
                java.util.Base64.getDecoder().decode(base64)));
  }

  /** Reads up to {@code n} bytes, stopping early at end of stream. */
  private static String readUpTo(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
