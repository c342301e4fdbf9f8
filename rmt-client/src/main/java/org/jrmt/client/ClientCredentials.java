package org.jrmt.client;

import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Puts the client's PEM certificate chain and key into a TLS context builder.
 *
 * <p>An unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}, what {@code jrmtd cert issue} writes) is
 * read with the JDK alone. Handing Netty the file instead makes it load Bouncy Castle to parse it,
 * which costs a short-lived client such as jdump about a quarter of a second of class loading and
 * jar verification. Any other form (PKCS#1, SEC1, encrypted) still goes to Netty, which reads them
 * all.
 */
final class ClientCredentials {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private ClientCredentials() {}

  /** Sets {@code builder}'s key manager to the chain in {@code certificate} and {@code key}. */
  static SslContextBuilder keyManager(SslContextBuilder builder, Path certificate, Path key)
      throws IOException {
    // Latin-1 reads any bytes: a file that is not PEM at all goes to Netty for its message.
    String pem = new String(Files.readAllBytes(key), StandardCharsets.ISO_8859_1);
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      return builder.keyManager(certificate.toFile(), key.toFile());
    }
    List<X509Certificate> chain = certificates(certificate);
    if (chain.isEmpty()) {
      throw new IOException(certificate + ": no certificate in the file");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IOException(key + ": not a PEM private key: " + e.getMessage(), e);
    }
    String algorithm = chain.get(0).getPublicKey().getAlgorithm();
    PrivateKey privateKey;
    try {
      privateKey = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      // An algorithm the JDK cannot read, or a key that does not go with the certificate's kind:
      // Netty's own reading gives the user its message.
      return builder.keyManager(certificate.toFile(), key.toFile());
    }
    return builder.keyManager(privateKey, chain.toArray(X509Certificate[]::new));
  }

  private static List<X509Certificate> certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (CertificateException e) {
      throw new IOException(file + ": not a PEM certificate: " + e.getMessage(), e);
    }
  }
}
