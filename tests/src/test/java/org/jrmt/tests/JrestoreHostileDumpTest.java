package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.TreeSet;
import org.jrmt.dump.testing.DumpBuilder;
import org.jrmt.dump.testing.TreeSnapshot;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher {@code bin/jrestore} reading a hostile dump from a server (jrmtd serving a virtual
 * tape that holds it): the dump names {@code x} twice in its root, first as a directory, then as a
 * link to a directory outside the target, and then a setuid file below {@code x}. Nothing outside
 * the target may change, for {@code -x} and {@code -r}.
 */
class JrestoreHostileDumpTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"-x", "-r"})
  void aDumpFromAServerNeverWritesOutsideTheTarget(String action) throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("f"), "precious");
    TreeSet<String> before = TreeSnapshot.of(outside);
    byte[] dump = DumpBuilder.nameListedTwice(outside.toString());
    Path tapes = Files.createDirectory(tmp.resolve("tapes"));
    try (SimhTape t =
        SimhTape.open(
            tapes.resolve("hostile.tap"), OpenMode.writeOnly().with(OpenMode.Flag.CREATE))) {
      for (int at = 0; at < dump.length; at += 10 * 1024) {
        t.write(ByteBuffer.wrap(dump, at, Math.min(10 * 1024, dump.length - at)));
      }
      t.writeFilemarks(1);
    }
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Path target = tmp.resolve("target");
      Proc.Result r =
          Proc.of(
                  ProjectRoot.jrmt().resolveSibling("jrestore"),
                  action,
                  "-f",
                  "rmt://127.0.0.1:" + a.getPort() + "/hostile",
                  "-D",
                  target)
              .run();
      assertThat(TreeSnapshot.of(outside)).containsExactlyElementsOf(before);
      assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
      assertThat(r.stderr()).contains("./x: listed twice in directory .");
      assertThat(Files.isDirectory(target.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isTrue();
      assertThat(Files.readString(target.resolve("x/f"))).isEqualTo("pwned");
    }
  }
}
