package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.testing.Await;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jdump against a jrmtd process that dies mid-volume (SIGKILL): with {@code --retry} the volume is
 * rewritten from its start once a new jrmtd listens on the same port, and the stock restore reads
 * the tape back identically; with {@code -q} and no {@code --retry} the dump aborts with exit 3.
 *
 * <p>jdump is stopped (SIGSTOP) while the daemon is killed, so the kill lands mid-volume however
 * fast the machine is; it is continued before the new daemon starts, so it meets the dead
 * connection and the refused reconnects first.
 */
class JdumpRetryTest {
  @TempDir Path tmp;

  private Process jrmtd;
  private Process jdump;

  @AfterEach
  void stop() {
    for (Process p : new Process[] {jdump, jrmtd}) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  private Path bin(String name) {
    return ProjectRoot.jrmt().resolveSibling(name);
  }

  private Process startJrmtd(int port) throws IOException {
    Process p =
        new ProcessBuilder(
                bin("jrmtd").toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--tape-dir",
                tmp.resolve("tapes").toString(),
                "--state-dir",
                tmp.resolve("state").toString())
            .redirectOutput(tmp.resolve("jrmtd.out").toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("jrmtd.err").toFile()))
            .start();
    Await.until(() -> listening(port), Duration.ofSeconds(30), "jrmtd listening on " + port);
    return p;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts jdump, then kills jrmtd once the tape has grown past 1 MiB, jdump held meanwhile. */
  private void dumpAndKillMidVolume(int port, Path src, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(bin("jdump").toString(), "-0", "-b", "64"));
    command.addAll(List.of(options));
    command.addAll(List.of("-f", "rmt://127.0.0.1:" + port + "/vol", src.toString()));
    jdump =
        new ProcessBuilder(command)
            .redirectOutput(tmp.resolve("jdump.out").toFile())
            .redirectError(tmp.resolve("jdump.err").toFile())
            .start();
    Path tape = tmp.resolve("tapes/vol.tap");
    Await.until(
        () -> size(tape) > 1 << 20 || !jdump.isAlive(), Duration.ofSeconds(60), "the tape growing");
    assertThat(jdump.isAlive()).as("jdump still writing when the daemon dies").isTrue();
    signal("STOP", jdump.pid());
    jrmtd.destroyForcibly().waitFor();
    assertThat(size(tape)).as("killed mid-volume").isLessThan(Files.size(src.resolve("bulk.bin")));
    signal("CONT", jdump.pid());
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void signal(String name, long pid) {
    Proc.of("kill", "-" + name, Long.toString(pid)).run().ok();
  }

  private String stderr() throws IOException {
    return Files.readString(tmp.resolve("jdump.err"), StandardCharsets.UTF_8);
  }

  @Test
  void aVolumeCutShortByADyingDaemonIsRewrittenAndRestores() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 40_000_000);
    int port = freePort();
    jrmtd = startJrmtd(port);
    dumpAndKillMidVolume(port, src, "--retry", "5");
    jrmtd = startJrmtd(port);
    assertThat(jdump.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(jdump.exitValue()).as(stderr()).isZero();
    assertThat(stderr()).contains("rewriting volume 1 from its start", "DUMP IS DONE");

    Path rsh = RshScript.jrmtRsh(tmp, port);
    Path out = Files.createDirectory(tmp.resolve("restored"));
    Proc.of(restore, "-r", "-y", "-b", "64", "-f", "localhost:vol")
        .env("RSH", rsh)
        .in(out)
        .run()
        .ok();
    assertThat(TreeDiff.compare(src, out, Set.of("restoresymtable"))).isEmpty();
  }

  @Test
  void withoutRetryAndWithQuietADyingDaemonAbortsWithExitThree() throws Exception {
    Path src = SampleTree.write(tmp.resolve("src"), 40_000_000);
    int port = freePort();
    jrmtd = startJrmtd(port);
    dumpAndKillMidVolume(port, src, "-q");
    assertThat(jdump.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(jdump.exitValue()).as(stderr()).isEqualTo(3);
    assertThat(stderr())
        .contains("rmt://127.0.0.1:" + port + "/vol: ")
        .contains("The ENTIRE dump is aborted.")
        .doesNotContain("\tat ");
  }
}
