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
 * Unmodified classic clients reaching jrmtd through {@code bin/jrmt-rsh}, the way users install it
 * ({@code --rsh-command=jrmt-rsh}, {@code RSH=jrmt-rsh}), and {@code jrmt} as a login shell.
 */
class JrmtRshInteropTest {
  @TempDir Path tmp;

  @Test
  void tarAndCpioThroughJrmtRsh() throws Exception {
    Path tar = Peers.require("tar");
    Path cpio = Peers.require("cpio");
    Path src = SampleTree.write(tmp.resolve("src"), 30_000);
    Path tapes = tmp.resolve("tapes");
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Path rsh = RshScript.jrmtRsh(tmp, a.getPort());

      Proc.of(tar, "--rsh-command=" + rsh, "-cf", "backup@localhost:r1", "-C", src, ".").run().ok();
      Path out = Files.createDirectory(tmp.resolve("tar-out"));
      Proc.of(tar, "--rsh-command=" + rsh, "-xf", "localhost:r1", "-C", out).run().ok();
      assertThat(TreeDiff.compare(src, out, Set.of())).isEmpty();

      Files.writeString(src.resolve("a.txt"), "cpio through jrmt-rsh\n");
      Proc.of(cpio, "-o", "-H", "newc", "--rsh-command=" + rsh, "-F", "localhost:c1")
          .in(src)
          .input("a.txt\n")
          .run()
          .ok();
      Path cpioOut = Files.createDirectory(tmp.resolve("cpio-out"));
      Proc.of(cpio, "-i", "--rsh-command=" + rsh, "-F", "localhost:c1").in(cpioOut).run().ok();
      assertThat(Files.readString(cpioOut.resolve("a.txt"))).isEqualTo("cpio through jrmt-rsh\n");
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
  }

  /**
   * GNU mt 2.13 through jrmt-rsh: motion works, but {@code status} fails inside mt's own rmt
   * client, which refuses any status reply longer than {@code struct mtop} (8 bytes; jrmtd sends
   * the 48-byte Linux {@code struct mtget}): the README's compatibility note. jmt reads that
   * status.
   */
  @Test
  void gnuMtThroughJrmtRshMovesButCannotReadTheStatus() throws Exception {
    Path mt = Peers.require("mt-gnu");
    Path tapes = Files.createDirectory(tmp.resolve("tapes"));
    Files.write(tapes.resolve("m1.tap"), new byte[0]);
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      int port = server.listen(new InetSocketAddress("127.0.0.1", 0)).getPort();
      Path rsh = RshScript.jrmtRsh(tmp, port);
      Proc.of(mt, "--rsh-command=" + rsh, "-f", "localhost:m1", "rewind").run().ok();
      Proc.Result status =
          Proc.of(mt, "--rsh-command=" + rsh, "-f", "localhost:m1", "status").run();
      assertThat(status.exit()).isEqualTo(2);
      assertThat(status.stderr())
          .endsWith(": localhost:m1: rmtioctl failed: Value too large for defined data type\n");
      Proc.Result jmt =
          Proc.of(ProjectRoot.jrmt().resolveSibling("jmt"), "-f", "localhost:m1", "status")
              .env("JRMT_PORT", port)
              .run()
              .ok();
      assertThat(jmt.stdout()).contains("file number = 0", "status bits: BOT");
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
  }

  @Test
  void jrmtAcceptsTheLoginShellForm() throws Exception {
    Path tar = Peers.require("tar");
    Path src = SampleTree.write(tmp.resolve("src"), 5_000);
    // An account whose shell is jrmt gets "jrmt -c <command>"; the command is ignored.
    Path script = tmp.resolve("rsh-login-shell.sh");
    Files.writeString(
        script,
        "#!/bin/sh\nexec '"
            + ProjectRoot.jrmt()
            + "' -c /etc/rmt --tape-dir '"
            + tmp.resolve("tapes")
            + "'\n");
    script.toFile().setExecutable(true);
    Proc.of(tar, "--rsh-command=" + script, "-cf", "localhost:s1", "-C", src, ".").run().ok();
    Proc.Result listing = Proc.of(tar, "--rsh-command=" + script, "-tf", "localhost:s1").run().ok();
    assertThat(listing.stdout()).isNotEmpty();
  }
}
