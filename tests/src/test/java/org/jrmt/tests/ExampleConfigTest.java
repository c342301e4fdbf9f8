package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
  void jrmtExampleGrantsTheServiceUserTheVirtualTapesOnly() {
    ConfigFile.Daemon d = ConfigFile.load(conf("jrmt.toml"), tmp);
    Policy p = d.server().policy();
    assertThat(d.listeners()).isEmpty();
    assertThat(p.devices()).isEmpty();
    assertThat(p.grant(Identity.user("jrmt"), "tape:monday")).contains(Grant.FULL);
    assertThat(p.grant(Identity.user("mallory"), "tape:monday")).isEmpty();
    assertThat(p.grant(Identity.user("jrmt"), "/etc/passwd")).isEmpty();
  }

  /**
   * bin/jrmt on jrmt.toml as jrmt@.service runs it: state in $STATE_DIRECTORY, identity from $USER.
   */
  @Test
  void jrmtOnTheExampleServesTheServiceUserUnderStateDirectory() throws Exception {
    Path state = tmp.resolve("state");
    String session = "Omonday\n66 O_RDWR|O_CREAT\nW3\nabcC\n";
    Proc.Result ok =
        Proc.of(ProjectRoot.jrmt(), "--config", conf("jrmt.toml"))
            .env("STATE_DIRECTORY", state)
            .env("USER", "jrmt")
            .input(session)
            .run()
            .ok();
    assertThat(ok.stdout()).as(ok.describe("replied")).isEqualTo("A0\nA3\nA0\n");
    assertThat(Files.size(state.resolve("tapes/monday.tap"))).isPositive();

    Proc.Result refused =
        Proc.of(ProjectRoot.jrmt(), "--config", conf("jrmt.toml"))
            .env("STATE_DIRECTORY", state)
            .env("USER", "mallory")
            .input("Otuesday\n66 O_RDWR|O_CREAT\n")
            .run();
    assertThat(refused.stdout()).as(refused.describe("replied")).startsWith("E13\n");
    assertThat(state.resolve("tapes/tuesday.tap")).doesNotExist();
  }
}
