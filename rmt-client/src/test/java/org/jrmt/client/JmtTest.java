package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmtTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int jmt(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return Jmt.run(
        args,
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A virtual tape with two files of three records each. */
  private Path tape(Path p) throws Exception {
    try (SimhTape t =
        SimhTape.open(p, OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE))) {
      for (int f = 0; f < 2; f++) {
        for (int r = 0; r < 3; r++) {
          t.write(ByteBuffer.wrap(new byte[100]));
        }
        t.writeFilemarks(1);
      }
    }
    return p;
  }

  @Test
  void commandsOnALocalVirtualTape() throws Exception {
    Path t = tape(tmp.resolve("local.tap"));
    Map<String, String> env = Map.of("TAPE", t.toString());
    assertThat(jmt(env, "status")).isZero();
    assertThat(out()).contains("file number = 0").contains("block number = 0").contains("BOT");
    assertThat(jmt(Map.of(), "-f", t.toString(), "fsf", "1")).isZero();
    assertThat(jmt(env, "eom")).isZero();
    assertThat(jmt(env, "bsf")).as("bsf at the beginning of tape fails").isEqualTo(Jmt.FAILED);
    assertThat(err()).startsWith("jmt: " + t + ": ");
    assertThat(jmt(env, "fsr", "4")).as("a filemark stops fsr").isEqualTo(Jmt.FAILED);
    assertThat(jmt(env, "fsr", "2")).isZero();
    // Every run opens the tape afresh, at its beginning.
    assertThat(jmt(env, "tell")).isZero();
    assertThat(out()).isEqualTo("At block 0." + System.lineSeparator());
    assertThat(jmt(env, "weof", "2")).isZero();
    try (SimhTape tape = SimhTape.open(t, OpenMode.readOnly())) {
      assertThat(tape.read(ByteBuffer.allocate(100))).as("filemark written at BOT").isZero();
      assertThat(tape.read(ByteBuffer.allocate(100))).isZero();
    }
    assertThat(jmt(env, "rewi")).as("unambiguous prefix").isZero();
    assertThat(jmt(env, "rew")).as("rewind or rewoffl").isEqualTo(Jmt.USAGE);
    assertThat(jmt(env, "offline")).isZero();
  }

  @Test
  void usageErrorsAreExitOne() {
    assertThat(jmt(Map.of(), "status")).isEqualTo(Jmt.USAGE);
    assertThat(err()).contains("no tape device");
    assertThat(jmt(Map.of("TAPE", "x"))).isEqualTo(Jmt.USAGE);
    assertThat(jmt(Map.of("TAPE", "x"), "frobnicate")).isEqualTo(Jmt.USAGE);
    assertThat(err()).contains("invalid command: frobnicate");
    assertThat(jmt(Map.of("TAPE", "x"), "e")).isEqualTo(Jmt.USAGE);
    assertThat(err()).contains("ambiguous command");
    assertThat(jmt(Map.of("TAPE", "x"), "fsf", "-1")).isEqualTo(Jmt.USAGE);
    assertThat(jmt(Map.of("TAPE", "x"), "fsf", "one")).isEqualTo(Jmt.USAGE);
    assertThat(jmt(Map.of("TAPE", "x"), "fsf", "1", "2")).isEqualTo(Jmt.USAGE);
    assertThat(jmt(Map.of(), "-q", "status")).isEqualTo(Jmt.USAGE);
    assertThat(jmt(Map.of(), "--help")).isZero();
    assertThat(out()).startsWith("usage: jmt");
  }

  @Test
  void commandsOnARemoteTapeAndAPlainFile() throws Exception {
    Path tapes = Files.createDirectories(tmp.resolve("tapes"));
    tape(tapes.resolve("r1.tap"));
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String name = "rmt://127.0.0.1:" + a.getPort() + "/r1";
      Map<String, String> env = Map.of("TAPE", name);
      assertThat(jmt(env, "fsf", "1")).isZero();
      assertThat(jmt(env, "status")).isZero();
      // Each jmt run is a new session, so the virtual tape starts at its beginning again.
      assertThat(out()).contains("file number = 0").contains("ONLINE");
      assertThat(jmt(env, "eom")).isZero();
      assertThat(jmt(env, "weof")).isZero();
      assertThat(jmt(env, "bsf")).isEqualTo(Jmt.FAILED);
      assertThat(err()).startsWith("jmt: 127.0.0.1:r1: ");
      assertThat(jmt(Map.of("TAPE", "rmt://127.0.0.1:" + a.getPort() + "/none"), "status"))
          .isEqualTo(Jmt.FAILED);
      assertThat(err()).startsWith("jmt: 127.0.0.1:none: ");
    }
    Path file = tmp.resolve("plain");
    Files.write(file, new byte[5000]);
    assertThat(jmt(Map.of("TAPE", file.toString()), "seek", "1234")).isZero();
    assertThat(jmt(Map.of("TAPE", file.toString()), "rewind")).isEqualTo(Jmt.FAILED);
    assertThat(err()).contains(file.toString());
  }
}
