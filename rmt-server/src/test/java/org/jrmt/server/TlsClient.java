package org.jrmt.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** The JDK's own TLS 1.3 client, independent of the server's provider, for the server tests. */
final class TlsClient {
  private TlsClient() {}

  /** A site CA in {@code dir} ("test") with a server certificate for loopback and client alice. */
  static SiteCertificates site(Path dir) throws IOException {
    SiteCertificates site = new SiteCertificates(dir);
    site.init("test", Duration.ofDays(1));
    site.issue("server", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    site.issue("alice", List.of(), List.of(), Duration.ofDays(1));
    return site;
  }

  /**
   * Connects to {@code a} trusting {@code ca}'s CA, as {@code who}'s certificate {@code name} (none
   * when null), and completes the handshake.
   */
  static SSLSocket connect(
      InetSocketAddress a, SiteCertificates ca, SiteCertificates who, String name)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", SiteCertificates.readCertificate(ca.caCertificate()));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (name != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      X509Certificate cert = SiteCertificates.readCertificate(who.certificate(name));
      keys.setKeyEntry(
          "me", SiteCertificates.readKey(who.key(name)), new char[0], new Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(a.getAddress(), a.getPort());
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }
}
