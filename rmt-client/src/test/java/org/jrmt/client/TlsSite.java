package org.jrmt.client;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.server.SiteCertificates;
import org.jrmt.server.TlsSettings;

/**
 * A jrmtd site for TLS tests: a CA, a server certificate for localhost, one client certificate and
 * an in-process jrmtd listening with TLS. One place for the set-up the TLS tests share.
 */
final class TlsSite implements AutoCloseable {
  final SiteCertificates certificates;
  final Path dir;
  private final NetworkServer server;
  private final int port;

  private TlsSite(SiteCertificates certificates, Path dir, NetworkServer server, int port) {
    this.certificates = certificates;
    this.dir = dir;
    this.server = server;
    this.port = port;
  }

  /** Issues the site's certificates under {@code tmp/tls} and starts jrmtd on {@code tmp/tapes}. */
  static TlsSite start(Path tmp) throws Exception {
    Path dir = tmp.resolve("tls");
    SiteCertificates site = new SiteCertificates(dir);
    site.init("t", Duration.ofDays(1));
    site.issue("server", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    site.issue("client", List.of(), List.of(), Duration.ofDays(1));
    NetworkServer server = new NetworkServer(ServerConfig.defaults(tmp.resolve("tapes")));
    try {
      InetSocketAddress a =
          server.listenTls(
              new InetSocketAddress("127.0.0.1", 0), TlsSettings.fromSite(dir).serverContext());
      return new TlsSite(site, dir, server, a.getPort());
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  /** {@code base} with the site's CA and the given client certificate and key. */
  ClientConfig config(ClientConfig base, Path certificate, Path key) {
    return base.withTlsFiles(certificates.caCertificate(), certificate, key);
  }

  /** {@code base} with the site's CA and its client certificate and key as issued. */
  ClientConfig config(ClientConfig base) {
    return config(base, certificates.certificate("client"), certificates.key("client"));
  }

  /** The TLS name of {@code device} on this site's jrmtd. */
  String name(String device) {
    return "rmts://localhost:" + port + "/" + device;
  }

  @Override
  public void close() {
    server.close();
  }
}
