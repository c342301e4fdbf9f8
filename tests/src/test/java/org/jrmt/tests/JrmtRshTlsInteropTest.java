package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jrmt.protocol.testing.Await;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.server.SiteCertificates;
import org.jrmt.server.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GNU tar reaching jrmtd's TLS listener through {@code bin/jrmt-rsh}, configured by a client config
 * file ({@code JRMT_CONFIG}) with the site CA and a client certificate. tar 1.34 resolves the host
 * itself, so the name is {@code localhost}, which the server certificate names.
 */
class JrmtRshTlsInteropTest {
  @TempDir Path tmp;

  private Path script(Path config) throws Exception {
    Path connector = ProjectRoot.jrmt().resolveSibling("jrmt-rsh");
    Path script = tmp.resolve("rsh-" + config.getFileName() + ".sh");
    Files.writeString(
        script,
        "#!/bin/sh\nJRMT_CONFIG='" + config + "' exec '" + connector + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private Path config(String name, int port, SiteCertificates site, String client)
      throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("tls-port = ").append(port).append('\n');
    sb.append("[tls]\nenabled = true\n");
    sb.append("ca = '").append(site.caCertificate()).append("'\n");
    if (client != null) {
      sb.append("certificate = '").append(site.certificate(client)).append("'\n");
      sb.append("key = '").append(site.key(client)).append("'\n");
    }
    Path f = tmp.resolve(name);
    Files.writeString(f, sb.toString());
    return f;
  }

  @Test
  void tarCreatesAndExtractsThroughJrmtRshOverTls() throws Exception {
    Path tar = Peers.require("tar");
    SiteCertificates site = new SiteCertificates(tmp.resolve("tls"));
    site.init("t", Duration.ofDays(1));
    site.issue("server", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    site.issue("client", List.of(), List.of(), Duration.ofDays(1));
    Path src = SampleTree.write(tmp.resolve("src"), 30_000);
    Path tapes = tmp.resolve("tapes");
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      InetSocketAddress a =
          server.listenTls(
              new InetSocketAddress("127.0.0.1", 0),
              TlsSettings.fromSite(tmp.resolve("tls")).serverContext());
      Path rsh = script(config("client.toml", a.getPort(), site, "client"));

      Proc.of(tar, "--rsh-command=" + rsh, "-cf", "localhost:t1", "-C", src, ".").run().ok();
      assertThat(Files.size(tapes.resolve("t1.tap"))).isGreaterThan(30_000);
      Path out = Files.createDirectory(tmp.resolve("out"));
      Proc.of(tar, "--rsh-command=" + rsh, "-xf", "localhost:t1", "-C", out).run().ok();
      assertThat(TreeDiff.compare(src, out, Set.of())).isEmpty();

      // Without a client certificate the server refuses the handshake and tar fails.
      Path anonymous = script(config("anonymous.toml", a.getPort(), site, null));
      Proc.Result refused = Proc.of(tar, "--rsh-command=" + anonymous, "-tf", "localhost:t1").run();
      assertThat(refused.exit()).isNotZero();
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
  }
}
