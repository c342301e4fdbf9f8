package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jrmt.protocol.Errno;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.server.SiteCertificates;
import org.jrmt.server.TlsSettings;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.TapeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RemoteTape's native transport against an in-process jrmtd. */
class RemoteTapeNativeTest {
  static final OpenMode CREATE =
      OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE);
  static final int RECORD = 10 * 1024;

  @TempDir Path tmp;

  final ClientConfig config =
      ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));

  static ByteBuffer record(int i, int size) {
    byte[] b = new byte[size];
    for (int j = 0; j < size; j++) {
      b[j] = (byte) (i * 31 + j);
    }
    return ByteBuffer.wrap(b);
  }

  static Tape open(String name, OpenMode mode, ClientConfig config) throws TapeException {
    return RemoteTapes.open(name, mode, config, Map.of());
  }

  @Test
  void writesReadsAndMovesAVirtualTape() throws Exception {
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tmp))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String name = "rmt://127.0.0.1:" + a.getPort() + "/t1";
      try (Tape t = open(name, OpenMode.readWrite().with(OpenMode.Flag.CREATE), config)) {
        RemoteTape rt = (RemoteTape) t;
        assertThat(rt.capabilities()).containsExactlyInAnyOrder("pipeline", "sticky-eot", "status");
        assertThat(rt.version1()).isTrue();
        assertThat(t.status().beginningOfTape()).isTrue();
        for (int i = 0; i < 3; i++) {
          assertThat(t.write(record(i, RECORD))).isEqualTo(RECORD);
        }
        t.writeFilemarks(1);
        t.write(record(7, 100));
        t.writeFilemarks(1);
        TapeStatus s = t.status();
        assertThat(s.fileNumber()).isEqualTo(2);
        assertThat(s.beginningOfTape()).isFalse();

        t.rewind();
        assertThat(t.position().fileNumber()).isZero();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        assertThat(t.read(buf)).isEqualTo(RECORD);
        assertThat(buf.flip()).isEqualTo(record(0, RECORD));
        t.spaceRecords(1);
        buf.clear();
        assertThat(t.read(buf)).isEqualTo(RECORD);
        assertThat(buf.flip()).isEqualTo(record(2, RECORD));
        buf.clear();
        assertThat(t.read(buf)).as("filemark").isZero();
        t.spaceFiles(-1);
        t.spaceFiles(1);
        buf.clear();
        assertThat(t.read(buf)).isEqualTo(100);
        assertThat(buf.flip()).isEqualTo(record(7, 100));
        t.seekEndOfData();
        assertThat(t.status().endOfData()).isTrue();
        t.rewind();
        ByteBuffer small = ByteBuffer.allocate(10);
        TapeException tooSmall = catchThrowableOfType(TapeException.class, () -> t.read(small));
        assertThat(tooSmall.errno()).isEqualTo(Errno.ENOMEM);
        assertThat(tooSmall.getMessage()).startsWith("127.0.0.1:t1: ");
        TapeException seek = catchThrowableOfType(TapeException.class, () -> t.tell());
        assertThat(seek.errno()).isEqualTo(Errno.ESPIPE);
      }
      assertThat(server.sessions()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void serverErrorsCarryTheirErrnoAndName() throws Exception {
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tmp))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      TapeException missing =
          catchThrowableOfType(
              TapeException.class,
              () ->
                  open("rmt://127.0.0.1:" + a.getPort() + "/nothing", OpenMode.readOnly(), config));
      assertThat(missing.errno()).isEqualTo(Errno.ENOENT);
      assertThat(missing.getMessage()).startsWith("127.0.0.1:nothing: ");
      TapeException outside =
          catchThrowableOfType(
              TapeException.class,
              () ->
                  open(
                      "rmt://127.0.0.1:" + a.getPort() + "/etc/passwd",
                      OpenMode.readOnly(),
                      config));
      assertThat(outside.errno()).isEqualTo(Errno.EACCES);

      try (Tape t = open("rmt://127.0.0.1:" + a.getPort() + "/ro", CREATE, config)) {
        t.write(record(1, 10));
      }
      try (Tape t = open("rmt://127.0.0.1:" + a.getPort() + "/ro", OpenMode.readOnly(), config)) {
        TapeException e = catchThrowableOfType(TapeException.class, () -> t.write(record(1, 10)));
        assertThat(e.errno()).isEqualTo(Errno.EBADF);
        assertThat(e.getMessage()).startsWith("127.0.0.1:ro: ");
      }
    }
  }

  @Test
  void refusedConnectionIsEio() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TapeException e =
        catchThrowableOfType(
            TapeException.class,
            () -> open("rmt://127.0.0.1:" + port + "/t", OpenMode.readOnly(), config));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage()).startsWith("127.0.0.1:t: cannot connect to 127.0.0.1:" + port);
  }

  @ParameterizedTest
  @EnumSource(EndOfTapeMode.class)
  void stopAndWaitWriteReportsTheEndOfTape(EndOfTapeMode mode) throws Exception {
    ServerConfig sc =
        ServerConfig.defaults(tmp)
            .withTapeOptions(
                SimhTape.Options.defaults().withCapacity(3 * 10248 + 5000).withEndOfTapeMode(mode));
    try (NetworkServer server = new NetworkServer(sc)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      try (Tape t = open("rmt://127.0.0.1:" + a.getPort() + "/small", CREATE, config)) {
        for (int i = 0; i < 3; i++) {
          assertThat(t.write(record(i, RECORD))).isEqualTo(RECORD);
        }
        if (mode == EndOfTapeMode.ZERO) {
          assertThat(t.write(record(3, RECORD))).isZero();
        } else {
          TapeException e =
              catchThrowableOfType(TapeException.class, () -> t.write(record(3, RECORD)));
          assertThat(e.isEndOfTape()).isTrue();
          assertThat(e.getMessage()).isEqualTo("127.0.0.1:small: No space left on device");
        }
      }
    }
  }

  /**
   * 50 records of 10 KiB pipelined into a tape that holds 20: exactly the first 20 are acknowledged
   * and on the tape; the other 30 come back, in order and byte for byte.
   */
  @ParameterizedTest
  @EnumSource(EndOfTapeMode.class)
  void pipelinedWritesHandBackEverythingAfterTheEndOfTape(EndOfTapeMode mode) throws Exception {
    ServerConfig sc =
        ServerConfig.defaults(tmp)
            .withTapeOptions(
                SimhTape.Options.defaults()
                    .withCapacity(20 * 10248 + 5000)
                    .withEndOfTapeMode(mode));
    List<ByteBuffer> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      records.add(record(i, RECORD));
    }
    WriteFailure failure;
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    try (NetworkServer server = new NetworkServer(sc)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      try (RemoteTape t =
          (RemoteTape) open("rmt://127.0.0.1:" + a.getPort() + "/eot", CREATE, config)) {
        assertThat(t.pipelined()).isTrue();
        PipelinedWriter w = t.pipeline();
        assertThat(w.window()).isEqualTo(ClientConfig.DEFAULT_WINDOW);
        for (ByteBuffer r : records) {
          acks.add(w.write(r.duplicate()));
        }
        failure = catchThrowableOfType(WriteFailure.class, w::flush);
        assertThat(w.isFailed()).isTrue();
        assertThat(w.written()).isEqualTo(20);
        // Filemarks are not blocked by the sticky failure: the volume can be finished.
        t.writeFilemarks(1);
      }
    }
    assertThat(failure).isNotNull();
    assertThat(failure.isEndOfTape()).isTrue();
    assertThat(failure.errno()).isEqualTo(Errno.ENOSPC);
    assertThat(failure.written()).isEqualTo(20);
    assertThat(failure.unwritten()).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(failure.unwritten().get(i)).isEqualTo(records.get(20 + i));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(acks.get(i).isCompletedExceptionally()).as("record " + i).isEqualTo(i >= 20);
    }
    List<ByteBuffer> onTape = new ArrayList<>();
    try (SimhTape tape = SimhTape.open(tmp.resolve("eot.tap"), OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      for (int n; (n = tape.read(buf.clear())) > 0; ) {
        onTape.add(ByteBuffer.wrap(java.util.Arrays.copyOf(buf.array(), n)));
      }
    }
    assertThat(onTape).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(onTape.get(i)).isEqualTo(records.get(i));
    }
  }

  @Test
  void pipelinedWritesOnAHealthyTape() throws Exception {
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tmp))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      ClientConfig small = config.withWindow(3 * RECORD);
      try (RemoteTape t =
          (RemoteTape) open("rmt://127.0.0.1:" + a.getPort() + "/big", CREATE, small)) {
        PipelinedWriter w = t.pipeline();
        for (int i = 0; i < 200; i++) {
          w.write(record(i, RECORD));
        }
        w.flush();
        assertThat(w.written()).isEqualTo(200);
        assertThat(w.writtenBytes()).isEqualTo(200L * RECORD);
      }
      try (SimhTape tape = SimhTape.open(tmp.resolve("big.tap"), OpenMode.readOnly())) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < 200; i++) {
          assertThat(tape.read(buf.clear())).isEqualTo(RECORD);
          assertThat(buf.flip()).isEqualTo(record(i, RECORD));
        }
      }
    }
  }

  @Test
  void tlsWithAClientCertificateAndHostnameVerification() throws Exception {
    Path certs = tmp.resolve("tls");
    SiteCertificates site = new SiteCertificates(certs);
    site.init("t", Duration.ofDays(1));
    site.issue("server", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    site.issue("client", List.of(), List.of(), Duration.ofDays(1));
    ClientConfig tls =
        config.withTlsFiles(site.caCertificate(), site.certificate("client"), site.key("client"));
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tmp.resolve("tapes")))) {
      InetSocketAddress a =
          server.listenTls(
              new InetSocketAddress("127.0.0.1", 0), TlsSettings.fromSite(certs).serverContext());
      try (Tape t = open("rmts://localhost:" + a.getPort() + "/secure", CREATE, tls)) {
        t.write(record(1, 1000));
      }
      // host:path with tls = true goes to the TLS port.
      ClientConfig viaConfig = tls.withTls(true);
      viaConfig =
          new ClientConfig(
              viaConfig.port(),
              a.getPort(),
              true,
              viaConfig.ca(),
              viaConfig.certificate(),
              viaConfig.key(),
              null,
              viaConfig.window(),
              viaConfig.connectTimeout(),
              viaConfig.replyTimeout());
      try (Tape t = open("localhost:secure", OpenMode.readOnly(), viaConfig)) {
        ByteBuffer buf = ByteBuffer.allocate(2000);
        assertThat(t.read(buf)).isEqualTo(1000);
        assertThat(buf.flip()).isEqualTo(record(1, 1000));
      }
      // Without a client certificate the server refuses the session.
      ClientConfig anonymous = config.withTlsFiles(site.caCertificate(), null, null);
      assertThatThrownBy(
              () ->
                  open(
                      "rmts://localhost:" + a.getPort() + "/secure",
                      OpenMode.readOnly(),
                      anonymous))
          .isInstanceOf(TapeException.class)
          .extracting(e -> ((TapeException) e).errno())
          .isEqualTo(Errno.EIO);
      // The server's certificate does not name this host: hostname verification refuses it.
      SiteCertificates other = new SiteCertificates(tmp.resolve("other"));
      other.init("o", Duration.ofDays(1));
      other.issue("server", List.of("elsewhere.example"), List.of(), Duration.ofDays(1));
      other.issue("client", List.of(), List.of(), Duration.ofDays(1));
      InetSocketAddress b =
          server.listenTls(
              new InetSocketAddress("127.0.0.1", 0),
              TlsSettings.fromSite(tmp.resolve("other")).serverContext());
      ClientConfig otherConfig =
          config.withTlsFiles(
              other.caCertificate(), other.certificate("client"), other.key("client"));
      TapeException e =
          catchThrowableOfType(
              TapeException.class,
              () ->
                  open("rmts://localhost:" + b.getPort() + "/x", OpenMode.readOnly(), otherConfig));
      assertThat(e.errno()).isEqualTo(Errno.EIO);
      assertThat(e.getMessage()).contains("cannot connect");
    }
    assertThat(Files.exists(tmp.resolve("tapes/secure.tap"))).isTrue();
  }
}
