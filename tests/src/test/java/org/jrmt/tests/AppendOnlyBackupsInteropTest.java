package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jrmt.protocol.testing.Await;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.Grant;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.Policy;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "append-only that backups can use": unmodified GNU tar and Linux dump through {@code
 * jrmt-rsh} to jrmtd, and jdump, back up night after night to one append-only virtual tape. They
 * open it as they always do ({@code O_WRONLY|O_CREAT|O_TRUNC}, no {@code mt eom}); each backup
 * becomes the next file, the first one on the blank tape included, and the earlier ones stay
 * readable.
 */
class AppendOnlyBackupsInteropTest {
  @TempDir Path tmp;

  private NetworkServer appendOnlyServer() {
    Policy policy =
        new Policy(List.of(), List.of(new Policy.Rule("*", List.of("tape:*"), Grant.APPEND_ONLY)));
    return new NetworkServer(ServerConfig.defaults(tmp.resolve("tapes")).withPolicy(policy));
  }

  /** The records of file {@code n} (from 0) of a virtual tape, joined. */
  private static byte[] file(Path tape, int n) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SimhTape t = SimhTape.open(tape, OpenMode.readOnly())) {
      t.spaceFiles(n);
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      for (int len; (len = t.read(buf.clear())) > 0; ) {
        out.write(buf.array(), 0, len);
      }
    }
    return out.toByteArray();
  }

  @Test
  void gnuTarEveryNightIsTheNextFile() throws Exception {
    Path tar = Peers.require("tar");
    Path monday = SampleTree.write(tmp.resolve("monday"), 20_000);
    Path tuesday = SampleTree.write(tmp.resolve("tuesday"), 30_000);
    Files.writeString(tuesday.resolve("new.txt"), "written on tuesday\n");
    try (NetworkServer server = appendOnlyServer()) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Path rsh = RshScript.jrmtRsh(tmp, a.getPort());
      for (Path night : List.of(monday, tuesday)) {
        Proc.of(tar, "--rsh-command=" + rsh, "-cf", "localhost:vault", "-C", night, ".").run().ok();
      }
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
    Path vault = tmp.resolve("tapes/vault.tap");
    assertThat(TapeContents.read(vault).layout())
        .filteredOn(l -> l == TapeContents.FILEMARK)
        .hasSize(2);
    int n = 0;
    for (Path night : List.of(monday, tuesday)) {
      Path archive = Files.write(tmp.resolve("file" + n + ".tar"), file(vault, n++));
      Path out = Files.createDirectory(tmp.resolve("out" + n));
      Proc.of(tar, "-xf", archive, "-C", out).run().ok();
      assertThat(TreeDiff.compare(night, out, Set.of())).as("night %d", n).isEmpty();
    }
  }

  @Test
  void jdumpEveryNightIsTheNextFile() throws Exception {
    Path restore = Peers.require("restore");
    Path jdump = ProjectRoot.jrmt().resolveSibling("jdump");
    Path src = SampleTree.write(tmp.resolve("src"), 10_000);
    try (NetworkServer server = appendOnlyServer()) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String vault = "rmt://127.0.0.1:" + a.getPort() + "/jvault";
      Proc.of(jdump, "-0", "-f", vault, src).run().ok();
      Files.writeString(src.resolve("tuesday.txt"), "only in the second dump\n");
      Proc.of(jdump, "-0", "-f", vault, src).run().ok();
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
    Path tape = tmp.resolve("tapes/jvault.tap");
    Path first = Files.write(tmp.resolve("first.dump"), file(tape, 0));
    Path second = Files.write(tmp.resolve("second.dump"), file(tape, 1));
    assertThat(Proc.of(restore, "-t", "-f", first).in(tmp).run().ok().stdout())
        .doesNotContain("tuesday.txt");
    assertThat(Proc.of(restore, "-t", "-f", second).in(tmp).run().ok().stdout())
        .contains("./tuesday.txt");
  }

  @Test
  void stockDumpEveryNightIsTheNextFileAndRestoreFindsIt() throws Exception {
    Path dump = Peers.require("dump");
    Path restore = Peers.require("restore");
    try (NetworkServer server = appendOnlyServer();
        LoopImage fs = LoopImage.create(tmp, 8)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Path rsh = RshScript.jrmtRsh(tmp, a.getPort());
      Path root = fs.mount(false);
      SampleTree.write(root, 0);
      fs.unmount();
      for (int night = 1; night <= 2; night++) {
        if (night == 2) {
          Files.writeString(fs.mount(false).resolve("tuesday.txt"), "only in the second dump\n");
          fs.unmount();
        }
        Proc.of(dump, "-0", "-b", "10", "-f", "localhost:vault", fs.device())
            .env("RSH", rsh)
            .run()
            .ok();
      }

      for (int night = 1; night <= 2; night++) {
        String listing =
            Proc.of(restore, "-t", "-s", Integer.toString(night), "-f", "localhost:vault")
                .env("RSH", rsh)
                .in(tmp)
                .run()
                .ok()
                .stdout();
        assertThat(listing).contains("./sub/odd.bin");
        assertThat(listing.contains("./tuesday.txt")).as("night %d", night).isEqualTo(night == 2);
      }
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "every session to end");
    }
  }
}
