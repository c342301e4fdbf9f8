package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.jrmt.protocol.testing.Await;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GNU tar against the network daemon: an in-process {@link NetworkServer} on an ephemeral port,
 * reached through an rsh stand-in that runs {@code socat - TCP:127.0.0.1:PORT}.
 */
class JrmtdTarInteropTest {
  @TempDir Path tmp;

  @Test
  void tarRoundTripsATreeThroughJrmtdAndEverySessionEnds() throws Exception {
    Path tar = Peers.require("tar");
    Peers.require("socat");
    Path src = SampleTree.write(tmp.resolve("src"), 40_000);
    Path tapes = tmp.resolve("tapes");
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Path rsh = RshScript.socatBridge(tmp, a.getPort());

      Proc.of(tar, "--rsh-command=" + rsh, "-cf", "localhost:n1", "-C", src, ".").run().ok();
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "the create session");
      assertThat(TapeContents.read(tapes.resolve("n1.tap")).layout())
          .containsOnly(10_240, TapeContents.FILEMARK)
          .endsWith(TapeContents.FILEMARK);

      Path out = Files.createDirectory(tmp.resolve("out"));
      Proc.of(tar, "--rsh-command=" + rsh, "-xf", "localhost:n1", "-C", out).run().ok();
      assertThat(TreeDiff.compare(src, out, Set.of())).isEmpty();
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "the extract session");
      // Every device lock went back with its session: a new session can take the tape at once.
      try (RawSession s = new RawSession(a)) {
        s.send("On1\n0 O_RDONLY\nC\n");
        // Read the replies before the EOF: jrmtd drops replies still pending at a half-close
        // (BadInputJrmtdTest#halfClose).
        assertThat(s.readLike("A0\nA0\n")).isEqualTo("A0\nA0\n");
        assertThat(s.finish()).isEmpty();
      }
    }
  }
}
