package org.jrmt.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS material and rules of a listener.
 *
 * @param certificate the server's PEM certificate (chain)
 * @param key its PKCS#8 PEM key
 * @param clientCa the PEM CA that client certificates must chain to
 * @param clientAuth whether clients must present a certificate (the default: required)
 * @param allowTls12 accept TLS 1.2 as well as 1.3
 */
public record TlsSettings(
    Path certificate, Path key, Path clientCa, ClientAuth clientAuth, boolean allowTls12) {
  public TlsSettings {
    Objects.requireNonNull(certificate);
    Objects.requireNonNull(key);
    Objects.requireNonNull(clientCa);
    Objects.requireNonNull(clientAuth);
  }

  /**
   * The conventional files of a {@link SiteCertificates} directory: server.crt, server.key, ca.crt.
   */
  public static TlsSettings fromSite(Path dir) {
    SiteCertificates site = new SiteCertificates(dir);
    return new TlsSettings(
        site.certificate("server"),
        site.key("server"),
        site.caCertificate(),
        ClientAuth.REQUIRE,
        false);
  }

  /** True when BoringSSL loaded; otherwise the JDK's TLS is used. */
  public static boolean nativeTls() {
    return OpenSsl.isAvailable();
  }

  /** Builds the server context: BoringSSL when it loads, the JDK provider otherwise. */
  public SslContext serverContext() throws IOException {
    for (Path p : new Path[] {certificate, key, clientCa}) {
      if (!Files.isReadable(p)) {
        throw new IOException("cannot read TLS file " + p);
      }
    }
    SslContextBuilder b =
        SslContextBuilder.forServer(certificate.toFile(), key.toFile())
            .sslProvider(nativeTls() ? SslProvider.OPENSSL : SslProvider.JDK)
            .protocols(allowTls12 ? new String[] {"TLSv1.3", "TLSv1.2"} : new String[] {"TLSv1.3"})
            .clientAuth(clientAuth)
            .trustManager(clientCa.toFile());
    return b.build();
  }
}
