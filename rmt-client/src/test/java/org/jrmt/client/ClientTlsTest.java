package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jrmt.protocol.Errno;
import org.jrmt.server.SiteCertificates;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClientTls's one context per configuration and file state, and RemoteTapes.prepare. */
class ClientTlsTest {
  @TempDir Path tmp;

  private SiteCertificates site;
  private Path certificate;
  private Path key;
  private ClientConfig config;

  @BeforeEach
  void issue() throws IOException {
    site = new SiteCertificates(tmp.resolve("tls"));
    site.init("t", Duration.ofDays(1));
    site.issue("client", List.of(), List.of(), Duration.ofDays(1));
    site.issue("renewed", List.of(), List.of(), Duration.ofDays(1));
    certificate = site.certificate("client");
    key = site.key("client");
    config = ClientConfig.defaults().withTlsFiles(site.caCertificate(), certificate, key);
  }

  @Test
  void sameConfigurationAndFilesGiveTheSameContext() throws IOException {
    SslContext first = ClientTls.context(config);

    assertThat(ClientTls.context(config)).isSameAs(first);
    // An equal configuration read again (a second volume's open) finds it too.
    ClientConfig again =
        ClientConfig.defaults().withTlsFiles(site.caCertificate(), certificate, key);
    assertThat(ClientTls.context(again)).isSameAs(first);
  }

  @Test
  void renewedCertificateAndKeyGiveANewContext() throws IOException {
    SslContext first = ClientTls.context(config);
    byte[] oldKey = Files.readAllBytes(key);
    FileTime certificateStamp = Files.getLastModifiedTime(certificate);
    FileTime keyStamp = Files.getLastModifiedTime(key);

    Files.copy(site.certificate("renewed"), certificate, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(site.key("renewed"), key, StandardCopyOption.REPLACE_EXISTING);
    // Copied as cp -p would: the old time stamps, and an EC key of the same size.
    Files.setLastModifiedTime(certificate, certificateStamp);
    Files.setLastModifiedTime(key, keyStamp);
    assertThat(Files.readAllBytes(key)).isNotEqualTo(oldKey).hasSameSizeAs(oldKey);

    SslContext second = ClientTls.context(config);
    assertThat(second).isNotSameAs(first);
    assertThat(ClientTls.context(config)).isSameAs(second);
  }

  @Test
  void missingKeyFailsAndWorksOnceTheKeyIsBack() throws IOException {
    Path away = tmp.resolve("away.key");
    Files.move(key, away);

    assertThatThrownBy(() -> ClientTls.context(config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(key.toString());

    Files.move(away, key);
    assertThat(ClientTls.context(config)).isNotNull();
  }

  /** A key broken in place fails, each time it is asked for; mended, it works. */
  @Test
  void failedBuildIsNotKeptForTheSameFileState() throws IOException {
    byte[] good = Files.readAllBytes(key);
    FileTime stamp = Files.getLastModifiedTime(key);
    String pem = new String(good, StandardCharsets.US_ASCII);
    int body = pem.indexOf('\n') + 1;
    byte[] broken = good.clone();
    broken[body] = (byte) (pem.charAt(body) == 'A' ? 'B' : 'A'); // corrupts the DER's first byte
    Files.write(key, broken);
    Files.setLastModifiedTime(key, stamp);

    assertThatThrownBy(() -> ClientTls.context(config))
        .isInstanceOfAny(IOException.class, IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientTls.context(config))
        .isInstanceOfAny(IOException.class, IllegalArgumentException.class);

    Files.write(key, good);
    Files.setLastModifiedTime(key, stamp);
    assertThat(ClientTls.context(config)).isNotNull();
  }

  /**
   * prepare reads this process's configuration, so the test points user.home at a client.toml whose
   * TLS files do not exist.
   */
  @Test
  void prepareNeverThrowsAndTheOpenReportsTheTlsFailure() throws IOException {
    Path home = tmp.resolve("home");
    Path toml = Files.createDirectories(home.resolve(".config/jrmt")).resolve("client.toml");
    Files.writeString(
        toml,
        """
        [tls]
        enabled = true
        ca = "missing/ca.crt"
        certificate = "missing/client.crt"
        key = "missing/client.key"
        """);
    String oldHome = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      assertThat(ClientConfig.load().tls()).as("the test's configuration is the one read").isTrue();
      for (String name :
          List.of(
              tmp.resolve("local.tap").toString(),
              "local.tap",
              "",
              ":",
              "rmt://",
              "rmts://:99999999/",
              "nohost:",
              "rmt://localhost:1/vol",
              "rmts://localhost:1/vol",
              "localhost:vol")) {
        assertThatCode(() -> RemoteTapes.prepare(name)).as(name).doesNotThrowAnyException();
      }
    } finally {
      System.setProperty("user.home", oldHome);
    }

    ClientConfig missing = ClientConfig.read(toml);
    TapeException e =
        catchThrowableOfType(
            TapeException.class,
            () ->
                RemoteTapes.open("rmts://localhost:1/vol", OpenMode.readOnly(), missing, Map.of()));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage()).startsWith("localhost:vol: TLS setup failed");
  }
}
