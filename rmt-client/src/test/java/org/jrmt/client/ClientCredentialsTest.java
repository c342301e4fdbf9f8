package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's certificate and key, read by the JDK (PKCS#8) or by Netty (every other form). */
class ClientCredentialsTest {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  @TempDir Path tmp;

  private final ClientConfig base =
      ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
  private TlsSite site;

  @BeforeEach
  void startSite() throws Exception {
    site = TlsSite.start(tmp);
  }

  @AfterEach
  void stopSite() {
    site.close();
  }

  @Test
  void pkcs8KeyAsIssuedCarriesATlsSession() throws Exception {
    Path key = site.certificates.key("client");
    assertThat(Files.readString(key)).contains(PKCS8_BEGIN);

    writeAndReadBack(site.config(base), "pkcs8");
  }

  /** A SEC1 key is not the JDK path's business: the fallback to Netty must read it. */
  @Test
  void sec1KeyOfTheSameCertificateCarriesATlsSessionToo() throws Exception {
    Path sec1 = tmp.resolve("client-sec1.key");
    Files.writeString(
        sec1, sec1(site.certificates.key("client"), site.certificates.certificate("client")));
    assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY").doesNotContain(PKCS8_BEGIN);

    writeAndReadBack(site.config(base, site.certificates.certificate("client"), sec1), "sec1");
  }

  @Test
  void emptyCertificateFileIsAnIoExceptionNamingIt() throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty.crt"));

    IOException e = keyManagerFailure(empty);

    assertThat(e).hasMessageContaining(empty.toString());
  }

  @Test
  void certificateFileOfSomethingElseIsAnIoExceptionNamingIt() throws Exception {
    // A key where the certificate should be: a classic mix-up of two files.
    Path notACertificate = tmp.resolve("swapped.crt");
    Files.copy(site.certificates.key("client"), notACertificate);

    IOException e = keyManagerFailure(notACertificate);

    assertThat(e).hasMessageContaining(notACertificate.toString());
  }

  private IOException keyManagerFailure(Path certificate) {
    return catchThrowableOfType(
        IOException.class,
        () ->
            ClientCredentials.keyManager(
                SslContextBuilder.forClient(), certificate, site.certificates.key("client")));
  }

  private void writeAndReadBack(ClientConfig config, String device) throws Exception {
    ByteBuffer record = RemoteTapeNativeTest.record(7, 3000);
    try (Tape t =
        RemoteTapes.open(site.name(device), RemoteTapeNativeTest.CREATE, config, Map.of())) {
      assertThat(t.write(record.duplicate())).isEqualTo(3000);
    }
    try (Tape t = RemoteTapes.open(site.name(device), OpenMode.readOnly(), config, Map.of())) {
      ByteBuffer buf = ByteBuffer.allocate(8192);
      assertThat(t.read(buf)).isEqualTo(3000);
      assertThat(buf.flip()).isEqualTo(record);
    }
  }

  /**
   * The issued PKCS#8 key rewritten as SEC1 ({@code BEGIN EC PRIVATE KEY}) the way OpenSSL writes
   * it, curve and public key inside: Bouncy Castle's PEM reader (Netty's) wants both.
   */
  private static String sec1(Path pkcs8, Path certificate) throws Exception {
    String pem = Files.readString(pkcs8, StandardCharsets.US_ASCII);
    String body =
        pem.substring(pem.indexOf(PKCS8_BEGIN) + PKCS8_BEGIN.length(), pem.indexOf(PKCS8_END));
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(Base64.getMimeDecoder().decode(body));
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey withCurve =
        new ECPrivateKey(
            256,
            inner.getKey(),
            SubjectPublicKeyInfo.getInstance(publicKey(certificate)).getPublicKeyData(),
            info.getPrivateKeyAlgorithm().getParameters());
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
    }
    return sw.toString();
  }

  private static byte[] publicKey(Path certificate) throws Exception {
    try (InputStream in = Files.newInputStream(certificate)) {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(in)
          .getPublicKey()
          .getEncoded();
    }
  }
}
