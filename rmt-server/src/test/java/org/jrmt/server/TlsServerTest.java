package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jrmtd over TLS with the site CA made by {@link SiteCertificates}: a client with a certificate of
 * the CA is served; one without a certificate, or with one of another CA, is refused in the
 * handshake. The client side here is the JDK's own TLS, independent of the server's provider.
 */
class TlsServerTest {
  @TempDir static Path dir;
  static SiteCertificates site;
  static SiteCertificates otherSite;

  @BeforeAll
  static void certificates() throws IOException {
    site = TlsClient.site(dir.resolve("tls"));
    otherSite = new SiteCertificates(dir.resolve("other"));
    otherSite.init("other", Duration.ofDays(1));
    otherSite.issue("mallory", List.of(), List.of(), Duration.ofDays(1));
  }

  @Test
  void issuedCertificatesDescribeThemselves() throws IOException {
    String ca = SiteCertificates.describe(site.caCertificate());
    assertThat(ca).contains("CN=test jrmt CA").contains("CA:          yes");
    String server = SiteCertificates.describe(site.certificate("server"));
    assertThat(server)
        .contains("subject:     CN=server")
        .contains("DNS localhost")
        .contains("IP 127.0.0.1")
        .contains("CA:          no");
    assertThat(
            SiteCertificates.commonName(
                SiteCertificates.readCertificate(site.certificate("alice"))))
        .isEqualTo("alice");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(site.key("alice"))))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> site.init("again", Duration.ofDays(1)))
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> site.issue("../x", List.of(), List.of(), Duration.ofDays(1)))
        .hasMessageContaining("not a usable certificate name");
  }

  @Test
  void clientWithASiteCertificateIsServed() throws Exception {
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(dir.resolve("tapes")))) {
      InetSocketAddress a =
          server.listenTls(
              new InetSocketAddress("127.0.0.1", 0),
              TlsSettings.fromSite(dir.resolve("tls")).serverContext());
      try (SSLSocket s = connect(a, site, "alice")) {
        s.getOutputStream()
            .write(
                "Ot1\n1 O_WRONLY|O_CREAT|O_TRUNC\nW3\nabcC\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(readN(s.getInputStream(), "A0\nA3\nA0\n".length())).isEqualTo("A0\nA3\nA0\n");
        assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
    }
    assertThat(Files.size(dir.resolve("tapes/t1.tap"))).isGreaterThan(3);
  }

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(dir.resolve("tapes")))) {
      InetSocketAddress a =
          server.listenTls(
              new InetSocketAddress("127.0.0.1", 0),
              TlsSettings.fromSite(dir.resolve("tls")).serverContext());
      assertRefused(a, site, null);
      assertRefused(a, otherSite, "mallory");
    }
  }

  @Test
  void optionalClientAuthServesAnonymousClients() throws Exception {
    TlsSettings s = TlsSettings.fromSite(dir.resolve("tls"));
    TlsSettings optional =
        new TlsSettings(s.certificate(), s.key(), s.clientCa(), ClientAuth.OPTIONAL, false);
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(dir.resolve("tapes")))) {
      InetSocketAddress a =
          server.listenTls(new InetSocketAddress("127.0.0.1", 0), optional.serverContext());
      try (SSLSocket sock = connect(a, site, null)) {
        sock.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
        sock.getOutputStream().flush();
        assertThat(readN(sock.getInputStream(), 3)).isEqualTo("A2\n");
      }
    }
  }

  /** The refusal shows in the handshake or, with TLS 1.3, at the first read. */
  private static void assertRefused(InetSocketAddress a, SiteCertificates who, String name) {
    assertThatThrownBy(
            () -> {
              try (SSLSocket s = connect(a, who, name)) {
                s.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                if (s.getInputStream().read() < 0) {
                  throw new IOException("closed");
                }
              }
            })
        .isInstanceOf(IOException.class);
  }

  private static SSLSocket connect(InetSocketAddress a, SiteCertificates who, String name)
      throws Exception {
    return TlsClient.connect(a, site, who, name);
  }

  private static String readN(InputStream in, int n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < n) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      out.write(b);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
