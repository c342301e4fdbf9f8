package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/jdump} writing dumps that the stock Linux restore 0.4b47 reads back identically. */
class JdumpInteropTest {
  @TempDir Path tmp;

  private Path jdump() {
    return ProjectRoot.jrmt().resolveSibling("jdump");
  }

  @Test
  void toALocalFileAndThroughAPipe() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 200_000);
    Path file = tmp.resolve("level0.dump");
    Proc.Result r = Proc.of(jdump(), "-0", "-f", file, src).run().ok();
    assertThat(r.stderr()).contains("DUMP: DUMP IS DONE");
    Path out = Files.createDirectory(tmp.resolve("from-file"));
    Proc.of(restore, "-r", "-y", "-f", file).in(out).run().ok();
    assertThat(TreeDiff.compare(src, out, Set.of("restoresymtable"))).isEmpty();

    // The old key-letter form, writing to standard output, read by restore from a pipe.
    Path piped = tmp.resolve("piped.dump");
    Path sh = Peers.require("sh");
    Proc.of(sh, "-c", "'" + jdump() + "' 0bf 32 - '" + src + "' > '" + piped + "'").run().ok();
    Path out2 = Files.createDirectory(tmp.resolve("from-pipe"));
    Proc.of(sh, "-c", "'" + restore + "' -r -y -f - < '" + piped + "'").in(out2).run().ok();
    assertThat(TreeDiff.compare(src, out2, Set.of("restoresymtable"))).isEmpty();
  }

  @Test
  void toJrmtdAndBackThroughJrmtRsh() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 500_000);
    Path tapes = tmp.resolve("tapes");
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Proc.of(jdump(), "-0", "-b", "64", "-f", "rmt://127.0.0.1:" + a.getPort() + "/monday", src)
          .run()
          .ok();
      assertThat(TapeContents.read(tapes.resolve("monday.tap")).layout())
          .as("64 KiB records, then the filemark the close writes")
          .containsOnly(65_536, TapeContents.FILEMARK);

      Path rsh = RshScript.jrmtRsh(tmp, a.getPort());
      Path out = Files.createDirectory(tmp.resolve("restored"));
      Proc.of(restore, "-r", "-y", "-b", "64", "-f", "localhost:monday")
          .env("RSH", rsh)
          .in(out)
          .run()
          .ok();
      assertThat(TreeDiff.compare(src, out, Set.of("restoresymtable"))).isEmpty();
    }
  }

  @Test
  void aTapeTooSmallAbortsWithExitThreeAndSaysWhy() throws Exception {
    Path src = SampleTree.write(tmp.resolve("src"), 400_000);
    ServerConfig config =
        ServerConfig.defaults(tmp.resolve("tapes"))
            .withTapeOptions(
                SimhTape.Options.defaults()
                    .withCapacity(100_000)
                    .withEndOfTapeMode(EndOfTapeMode.ENOSPC));
    try (NetworkServer server = new NetworkServer(config)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Proc.Result r =
          Proc.of(jdump(), "-0", "-f", "rmt://127.0.0.1:" + a.getPort() + "/small", src).run();
      assertThat(r.exit()).isEqualTo(3);
      // One name, no -M, no -F and no terminal to ask on: nowhere to go after the first tape.
      assertThat(r.stderr())
          .contains("volume 2 needed and no terminal to ask on")
          .contains("The ENTIRE dump is aborted.");
    }
  }
}
