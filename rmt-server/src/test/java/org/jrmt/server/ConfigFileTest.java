package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jrmt.protocol.SeekOrder;
import org.jrmt.tape.EndOfTapeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  private ConfigFile.Daemon load(String toml) throws Exception {
    Path f = dir.resolve("jrmtd.toml");
    Files.writeString(f, toml);
    return ConfigFile.load(f, dir.resolve("state"));
  }

  @Test
  void fullExample() throws Exception {
    ConfigFile.Daemon d =
        load(
            """
            state-dir = "/var/lib/jrmt"
            file-dirs = ["/srv/archive"]

            [virtual-tapes]
            capacity = "400M"
            eot = "zero"

            [protocol]
            seek-order = "whence-first"
            ioctl-reply = "zero"

            [limits]
            max-record = "1M"
            idle-timeout = "30m"
            max-sessions = 8
            max-sessions-per-identity = 2
            window = "8M"

            [[listen]]
            address = "127.0.0.1:4768"

            [[listen]]
            address = "0.0.0.0:4769"
            tls = true
            seek-order = "offset-first"

            [tls]
            dir = "/etc/jrmt/tls"
            client-auth = "require"

            [[device]]
            name = "/dev/nst0"
            kind = "drive"

            [[rule]]
            identity = "cert:backup-*"
            devices = ["/dev/nst0"]
            mode = "append-only"
            seek-order = "whence-first"
            """);
    ServerConfig c = d.server();
    assertThat(c.tapeDir()).isEqualTo(Path.of("/var/lib/jrmt/tapes"));
    assertThat(c.fileDirs()).containsExactly(Path.of("/srv/archive"));
    assertThat(c.tapeOptions().capacity()).isEqualTo(400L << 20);
    assertThat(c.tapeOptions().endOfTapeMode()).isEqualTo(EndOfTapeMode.ZERO);
    assertThat(c.syntax().seekOrder()).isEqualTo(SeekOrder.WHENCE_FIRST);
    assertThat(c.ioctlRepliesCount()).isFalse();
    assertThat(c.syntax().limits().maxRecordSize()).isEqualTo(1 << 20);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.maxSessions()).isEqualTo(8);
    assertThat(c.maxSessionsPerIdentity()).isEqualTo(2);
    assertThat(c.window()).isEqualTo(8 << 20);
    assertThat(d.listeners()).hasSize(2);
    assertThat(d.listeners().get(1).tls()).isTrue();
    assertThat(d.listeners().get(1).syntax().seekOrder()).isEqualTo(SeekOrder.OFFSET_FIRST);
    assertThat(d.tls().certificate()).isEqualTo(Path.of("/etc/jrmt/tls/server.crt"));
    assertThat(d.tls().clientAuth()).isEqualTo(ClientAuth.REQUIRE);
    Policy p = c.effectivePolicy();
    assertThat(p.device("/dev/nst0"))
        .get()
        .extracting(Policy.Device::kind)
        .isEqualTo(Policy.Kind.DRIVE);
    assertThat(p.grant(Identity.certificate("backup-a"), "/dev/nst0")).contains(Grant.APPEND_ONLY);
    assertThat(p.grant(Identity.certificate("other"), "/dev/nst0")).isEmpty();
    assertThat(p.seekOrder(Identity.certificate("backup-a"))).contains(SeekOrder.WHENCE_FIRST);
    assertThat(p.seekOrder(Identity.certificate("other"))).isEmpty();
  }

  @Test
  void emptyFileIsTheEmbeddedDefault() throws Exception {
    ConfigFile.Daemon d = load("");
    assertThat(d.listeners()).isEmpty();
    assertThat(d.tls()).isNull();
    assertThat(d.server().tapeDir()).isEqualTo(dir.resolve("state/tapes"));
    assertThat(d.server().effectivePolicy().grant(Identity.address("x"), "tape:t"))
        .contains(Grant.FULL);
  }

  @Test
  void connectionAndQueueLimits() throws Exception {
    ServerConfig c =
        load("""
                [limits]
                login-grace-time = "5s"
                max-unauthenticated = 40
                max-unauthenticated-per-address = 4
                max-queued-requests = 256
                max-queued-replies = "1M"
                """)
            .server();
    assertThat(c.loginGraceTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxUnauthenticated()).isEqualTo(40);
    assertThat(c.maxUnauthenticatedPerAddress()).isEqualTo(4);
    assertThat(c.maxQueuedRequests()).isEqualTo(256);
    assertThat(c.maxQueuedReplyBytes()).isEqualTo(1 << 20);
    ServerConfig defaults = load("").server();
    assertThat(defaults.loginGraceTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.maxUnauthenticated()).isEqualTo(256);
    assertThat(defaults.maxUnauthenticatedPerAddress()).isEqualTo(64);
    assertThatThrownBy(() -> load("[limits]\nlogin-grace-time = \"0s\"\n"))
        .hasMessageContaining("limits.login-grace-time");
    assertThatThrownBy(() -> load("[limits]\nmax-unauthenticated = 0\n"))
        .hasMessageContaining("limits.max-unauthenticated");
    assertThatThrownBy(() -> load("[limits]\nmax-queued-replies = \"4G\"\n"))
        .hasMessageContaining("limits.max-queued-replies");
  }

  @Test
  void mistakesAreNamedWithFileAndKey() {
    assertThatThrownBy(() -> load("[limits]\nmax-sesions = 3\n"))
        .hasMessageContaining("jrmtd.toml")
        .hasMessageContaining("limits.max-sesions: unknown key");
    assertThatThrownBy(
            () -> load("[[rule]]\nidentity = \"*\"\ndevices = [\"tape:*\"]\nmode = \"rw\"\n"))
        .hasMessageContaining("rule[0].mode");
    assertThatThrownBy(() -> load("[[rule]]\nidentity = \"*\"\ndevices = []\nmode = \"full\"\n"))
        .hasMessageContaining("rule[0].devices");
    assertThatThrownBy(
            () -> load("[[device]]\nname = \"lto\"\npath = \"nst0\"\nkind = \"drive\"\n"))
        .hasMessageContaining("device[0].path: must be absolute");
    assertThatThrownBy(() -> load("[virtual-tapes]\ncapacity = \"lots\"\n"))
        .hasMessageContaining("virtual-tapes.capacity");
    assertThatThrownBy(() -> load("[[listen]]\naddress = \"host:99999\"\n"))
        .hasMessageContaining("listen[0].address");
    assertThatThrownBy(() -> load("this is not toml"))
        .hasMessageStartingWith("config ")
        .extracting(Throwable::getMessage)
        .matches(m -> !m.contains("\n"), "one line");
  }
}
