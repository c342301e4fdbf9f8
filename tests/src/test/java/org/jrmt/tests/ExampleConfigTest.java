package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.ConfigFile;
import org.jrmt.server.Grant;
import org.jrmt.server.Identity;
import org.jrmt.server.Policy;
import org.jrmt.tape.EndOfTapeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configurations shipped in {@code dist/src/conf} load, and mean what their comments
 * say.
 */
class ExampleConfigTest {
  @TempDir Path tmp;

  private static Path conf(String name) {
    return ProjectRoot.get().resolve("dist/src/conf").resolve(name);
  }

  @Test
  void jrmtdExampleDeclaresItsListenersDriveAndTls() {
    Path state = tmp.resolve("state");
    ConfigFile.Daemon d = ConfigFile.load(conf("jrmtd.toml"), state);

    assertThat(d.listeners())
        .extracting(ConfigFile.Listener::address, ConfigFile.Listener::tls)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(new InetSocketAddress("127.0.0.1", 4768), false),
            org.assertj.core.groups.Tuple.tuple(new InetSocketAddress("0.0.0.0", 4769), true));
    // TLS material defaults to STATE/tls, as `jrmtd cert init` writes it.
    assertThat(d.tls()).isNotNull();
    assertThat(d.tls().certificate()).isEqualTo(state.resolve("tls/server.crt"));
    assertThat(d.tls().clientCa()).isEqualTo(state.resolve("tls/ca.crt"));
    assertThat(d.tls().allowTls12()).isFalse();

    assertThat(d.server().tapeDir()).isEqualTo(state.resolve("tapes"));
    assertThat(d.server().tapeOptions().capacity()).isEqualTo(400L << 30);
    assertThat(d.server().tapeOptions().endOfTapeMode()).isEqualTo(EndOfTapeMode.ENOSPC);
    assertThat(d.server().maxSessions()).isEqualTo(32);
    assertThat(d.server().maxSessionsPerIdentity()).isEqualTo(4);

    Policy policy = d.server().policy();
    assertThat(policy).isNotNull();
    assertThat(policy.devices())
        .containsExactly(new Policy.Device("lto", Path.of("/dev/nst0"), Policy.Kind.DRIVE));
  }

  @Test
  void jrmtdExampleRulesGrantWhatTheyDocument() {
    Policy p = ConfigFile.load(conf("jrmtd.toml"), tmp).server().policy();
    Identity backup = Identity.certificate("backup-web1");
    Identity operator = Identity.certificate("operator");
    Identity auditor = Identity.certificate("auditor");

    assertThat(p.grant(backup, "lto")).contains(Grant.APPEND_ONLY);
    assertThat(p.grant(backup, "tape:web1-monday")).contains(Grant.FULL);
    assertThat(p.grant(backup, "tape:web2-monday")).isEmpty();

    assertThat(p.grant(operator, "lto")).contains(Grant.FULL);
    assertThat(p.grant(operator, "tape:web2-monday")).contains(Grant.FULL);
    assertThat(p.grant(Identity.address("127.0.0.1"), "lto")).contains(Grant.FULL);

    assertThat(p.grant(auditor, "lto")).contains(Grant.READ_ONLY);
    assertThat(p.grant(auditor, "tape:web1-monday")).contains(Grant.READ_ONLY);

    // Anyone else, in particular a plain TCP peer other than loopback, gets nothing.
    assertThat(p.grant(Identity.address("192.0.2.7"), "tape:web1-monday")).isEmpty();
    assertThat(p.grant(Identity.certificate("backup-web2"), "lto")).isEmpty();
    assertThat(p.grant(Identity.user("root"), "lto")).isEqualTo(Optional.empty());
  }

  @Test
  void jrmtExampleGrantsLoopbackPeersTheVirtualTapesOnly() {
    ConfigFile.Daemon d = ConfigFile.load(conf("jrmt.toml"), tmp);
    Policy p = d.server().policy();
    assertThat(d.listeners()).isEmpty();
    assertThat(p.devices()).isEmpty();
    assertThat(p.grant(Identity.address("127.0.0.1"), "tape:monday")).contains(Grant.FULL);
    assertThat(p.grant(Identity.address("192.0.2.7"), "tape:monday")).isEmpty();
    assertThat(p.grant(Identity.user("jrmt"), "tape:monday")).isEmpty();
    assertThat(p.grant(Identity.address("127.0.0.1"), "/etc/passwd")).isEmpty();
  }

  /**
   * bin/jrmt on jrmt.toml as jrmt@.service runs it: state in $STATE_DIRECTORY, the connection on
   * stdin and stdout, REMOTE_ADDR set. socat stands in for systemd: with {@code nofork} the program
   * it runs gets the TCP connection itself as stdin and stdout. The identity is the socket's peer.
   */
  @Test
  void jrmtOnTheExampleServesTheSocketPeerUnderStateDirectory() throws Exception {
    Path socat = Peers.require("socat");
    Path state = tmp.resolve("state");
    try (ServerSocket client = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Proc.Result> jrmt =
          CompletableFuture.supplyAsync(
              () ->
                  Proc.of(
                          socat,
                          "TCP:127.0.0.1:" + client.getLocalPort(),
                          "EXEC:"
                              + ProjectRoot.jrmt()
                              + " --config "
                              + conf("jrmt.toml")
                              + ",nofork")
                      .env("STATE_DIRECTORY", state)
                      .env("REMOTE_ADDR", "127.0.0.1")
                      .run());
      try (Socket s = client.accept()) {
        s.setSoTimeout(30_000);
        s.getOutputStream()
            .write("Omonday\n66 O_RDWR|O_CREAT\nW3\nabcC\n".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        Proc.Result r = jrmt.get(60, TimeUnit.SECONDS);
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
            .as(r.describe("replied"))
            .isEqualTo("A0\nA3\nA0\n");
      }
    }
    assertThat(Files.size(state.resolve("tapes/monday.tap"))).isPositive();
  }

  /**
   * Through a pipe (ssh, or a caller setting its environment) neither REMOTE_ADDR nor USER makes
   * jrmt speak for anyone but the real user, whom jrmt.toml grants nothing.
   */
  @Test
  void jrmtOnTheExampleCannotBeToldWhoItIsByItsEnvironment() {
    Path state = tmp.resolve("state");
    Proc.Result refused =
        Proc.of(ProjectRoot.jrmt(), "--config", conf("jrmt.toml"))
            .env("STATE_DIRECTORY", state)
            .env("REMOTE_ADDR", "127.0.0.1")
            .env("USER", "jrmt")
            .input("Otuesday\n66 O_RDWR|O_CREAT\n")
            .run();
    assertThat(refused.stdout()).as(refused.describe("replied")).startsWith("E13\n");
    assertThat(refused.stderr()).contains("ignoring REMOTE_ADDR=127.0.0.1");
    assertThat(state.resolve("tapes/tuesday.tap")).doesNotExist();
  }
}
