package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jrmt.protocol.ServerDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
  @TempDir Path tmp;

  private Path write(String name, String toml) throws Exception {
    Path p = tmp.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, toml);
    return p;
  }

  @Test
  void defaultsWithoutAnyFile() {
    ClientConfig c = ClientConfig.load(Map.of(), List.of(tmp.resolve("none.toml")));
    assertThat(c.port()).isEqualTo(4768);
    assertThat(c.tlsPort()).isEqualTo(4769);
    assertThat(c.tls()).isFalse();
    assertThat(c.dialect()).isNull();
    assertThat(c.window()).isEqualTo(20L << 20);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void readsEveryKey() throws Exception {
    Path f =
        write(
            "conf/client.toml",
            """
            port = 9000
            tls-port = 9001
            dialect = "gnu"
            window = "8M"
            connect-timeout = "500ms"
            reply-timeout = 30

            [tls]
            enabled = true
            ca = "ca.crt"
            certificate = "/abs/client.crt"
            key = "/abs/client.key"
            """);
    ClientConfig c = ClientConfig.load(Map.of("JRMT_CONFIG", f.toString()), tmp);
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.tlsPort()).isEqualTo(9001);
    assertThat(c.tls()).isTrue();
    assertThat(c.ca()).isEqualTo(tmp.resolve("conf/ca.crt").toAbsolutePath());
    assertThat(c.certificate()).isEqualTo(Path.of("/abs/client.crt"));
    assertThat(c.key()).isEqualTo(Path.of("/abs/client.key"));
    assertThat(c.dialect()).isEqualTo(ServerDialect.GNU);
    assertThat(c.window()).isEqualTo(8L << 20);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.replyTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void topLevelTlsFlagAndEnvironmentOverrides() throws Exception {
    write(".config/jrmt/client.toml", "tls = true\ndialect = \"dump\"\n");
    assertThat(ClientConfig.defaultFiles(tmp))
        .containsExactly(tmp.resolve(".config/jrmt/client.toml"), Path.of("/etc/jrmt/client.toml"));
    ClientConfig c = ClientConfig.load(Map.of("JRMT_PORT", "7000"), tmp);
    assertThat(c.tls()).isTrue();
    assertThat(c.port()).isEqualTo(7000);
    assertThat(c.dialect()).isEqualTo(ServerDialect.LINUX_DUMP);
    assertThat(ClientConfig.load(Map.of("JRMT_TLS", "0"), tmp).tls()).isFalse();
    assertThat(ClientConfig.load(Map.of("JRMT_TLS", "1"), List.<Path>of()).tls()).isTrue();
  }

  @Test
  void errorsNameTheFileAndTheKey() throws Exception {
    Path f = write("a.toml", "port = 1\nprot = 2\n");
    assertThatThrownBy(() -> ClientConfig.read(f))
        .hasMessage("config " + f + ": prot: unknown key");
    Path g = write("b.toml", "[tls]\nca = \"x\"\ncert = \"y\"\n");
    assertThatThrownBy(() -> ClientConfig.read(g))
        .hasMessage("config " + g + ": tls.cert: unknown key");
    Path h = write("c.toml", "dialect = \"sun\"\n");
    assertThatThrownBy(() -> ClientConfig.read(h))
        .hasMessageStartingWith("config " + h + ": dialect: unknown dialect 'sun'");
    Path i = write("d.toml", "port = 70000\n");
    assertThatThrownBy(() -> ClientConfig.read(i))
        .hasMessage("config " + i + ": port: out of range: 70000");
    Path j = write("e.toml", "reply-timeout = \"soon\"\n");
    assertThatThrownBy(() -> ClientConfig.read(j))
        .hasMessageStartingWith("config " + j + ": reply-timeout: not a duration");
    Path k = write("f.toml", "window = \"1T\"\n");
    assertThatThrownBy(() -> ClientConfig.read(k))
        .hasMessageStartingWith("config " + k + ": window: ");
    Path l = write("g.toml", "[tls]\ncertificate = \"c\"\n");
    assertThatThrownBy(() -> ClientConfig.read(l))
        .hasMessage("config " + l + ": tls: certificate and key go together");
    Path m = write("h.toml", "port = \n");
    assertThatThrownBy(() -> ClientConfig.read(m)).hasMessageStartingWith("config " + m + ": ");
    assertThatThrownBy(
            () -> ClientConfig.load(Map.of("JRMT_CONFIG", tmp.resolve("missing").toString()), tmp))
        .hasMessageContaining("missing: cannot read");
    assertThatThrownBy(() -> ClientConfig.load(Map.of("JRMT_PORT", "x"), tmp))
        .hasMessageContaining("JRMT_PORT");
  }
}
