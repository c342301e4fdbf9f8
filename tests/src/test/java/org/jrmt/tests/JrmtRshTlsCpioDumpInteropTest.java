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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jrmt.protocol.testing.Await;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.server.SiteCertificates;
import org.jrmt.server.TlsSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GNU cpio and Linux dump/restore reaching jrmtd's TLS listener through {@code bin/jrmt-rsh},
 * configured by a client config file ({@code JRMT_CONFIG}) with the site CA and a client
 * certificate. Both resolve the host themselves, so the name is {@code localhost}, which the server
 * certificate names (with 127.0.0.1).
 */
class JrmtRshTlsCpioDumpInteropTest {
  /** restore leaves this file behind in the directory it restores into. */
  @TempDir Path tmp;

  private SiteCertificates site;
  private Path tapes;

  @BeforeEach
  void certificates() throws Exception {
    site = new SiteCertificates(tmp.resolve("tls"));
    site.init("t", Duration.ofDays(1));
    site.issue("server", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    site.issue("client", List.of(), List.of(), Duration.ofDays(1));
    tapes = tmp.resolve("tapes");
  }

  private NetworkServer server() {
    return new NetworkServer(ServerConfig.defaults(tapes));
  }

  private InetSocketAddress listenTls(NetworkServer server) throws Exception {
    return server.listenTls(
        new InetSocketAddress("127.0.0.1", 0),
        TlsSettings.fromSite(tmp.resolve("tls")).serverContext());
  }

  /** An rsh stand-in that runs bin/jrmt-rsh with a client.toml naming the TLS port and files. */
  private Path rsh(int tlsPort) throws Exception {
    String toml =
        "tls-port = "
            + tlsPort
            + "\n[tls]\nenabled = true\n"
            + "ca = '"
            + site.caCertificate()
            + "'\ncertificate = '"
            + site.certificate("client")
            + "'\nkey = '"
            + site.key("client")
            + "'\n";
    Path config = tmp.resolve("client.toml");
    Files.writeString(config, toml);
    Path connector = ProjectRoot.jrmt().resolveSibling("jrmt-rsh");
    Path script = tmp.resolve("rsh-tls.sh");
    Files.writeString(
        script,
        "#!/bin/sh\nJRMT_CONFIG='" + config + "' exec '" + connector + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void cpioWritesAndReadsATreeOverTls() throws Exception {
    Path cpio = Peers.require("cpio");
    Path src = SampleTree.write(tmp.resolve("src"), 40_000);
    String names;
    try (Stream<Path> s = Files.walk(src)) {
      names =
          s.filter(p -> !p.equals(src))
              .map(p -> src.relativize(p).toString())
              .collect(Collectors.joining("\n", "", "\n"));
    }
    try (NetworkServer server = server()) {
      Path rsh = rsh(listenTls(server).getPort());

      Proc.of(cpio, "-o", "-H", "newc", "--rsh-command=" + rsh, "-F", "localhost:c1")
          .in(src)
          .input(names)
          .run()
          .ok();
      assertThat(Files.size(tapes.resolve("c1.tap"))).isGreaterThan(40_000);

      Path out = Files.createDirectory(tmp.resolve("out"));
      Proc.of(
              cpio,
              "-i",
              "-d",
              "--no-absolute-filenames",
              "--rsh-command=" + rsh,
              "-F",
              "localhost:c1")
          .in(out)
          .run()
          .ok();
      assertThat(TreeDiff.compare(src, out, Set.of())).isEmpty();
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
  }

  @Test
  void dumpAndRestoreAFileSystemOverTls() throws Exception {
    try (NetworkServer server = server();
        LoopImage fs = LoopImage.create(tmp, 8)) {
      Path rsh = rsh(listenTls(server).getPort());
      Path root = fs.mount(false);
      SampleTree.write(root, 200_000);
      Files.createLink(root.resolve("hard link"), root.resolve("sub/odd.bin"));
      fs.unmount();

      Path out = tmp.resolve("out");
      StockDumpRoundTrip.run(rsh, fs, tapes, "d1", out);
      assertThat(Files.isSameFile(out.resolve("hard link"), out.resolve("sub/odd.bin"))).isTrue();
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
  }
}
