package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jrestore -x} and {@code -r} through jrmtd: jdump's end-of-tape volume sets (the replayed
 * records skipped by the c_firstrec rule) come back identical to the source tree.
 */
class JrestoreExtractTest {
  private static final Set<String> OURS = Set.of("jrestoresymtable");

  @TempDir Path tmp;

  private static Path bin(String name) {
    return ProjectRoot.jrmt().resolveSibling(name);
  }

  @ParameterizedTest
  @EnumSource(EndOfTapeMode.class)
  void endOfTapeSetsOnJrmtdRestoreIdentically(EndOfTapeMode mode) throws Exception {
    Path src = SampleTree.write(tmp.resolve("src"), 300_000);
    ServerConfig config =
        ServerConfig.defaults(tmp.resolve("tapes"))
            .withTapeOptions(
                SimhTape.Options.defaults().withCapacity(250_000).withEndOfTapeMode(mode));
    try (NetworkServer server = new NetworkServer(config)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String tape = "rmt://127.0.0.1:" + a.getPort() + "/mv";
      Proc.Result d = Proc.of(bin("jdump"), "-0", "-b", "10", "-M", "-f", tape, src).run().ok();
      assertThat(d.stderr()).contains("starting volume 3");
      Path rebuilt = tmp.resolve("rebuilt");
      Proc.of(bin("jrestore"), "-r", "-M", "-f", tape, "-D", rebuilt).run().ok();
      assertThat(TreeDiff.compare(src, rebuilt, OURS)).isEmpty();
      Path extracted = tmp.resolve("extracted");
      // A comma list of every volume jdump wrote (host inherited from the first name).
      StringBuilder list = new StringBuilder(tape + "001");
      for (int v = 2; d.stderr().contains("starting volume " + v); v++) {
        list.append(String.format(",mv%03d", v));
      }
      Proc.of(bin("jrestore"), "-x", "-f", list, "-D", extracted).run().ok();
      assertThat(TreeDiff.compare(src, extracted, Set.of())).isEmpty();
    }
  }
}
