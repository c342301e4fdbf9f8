package org.jrmt.tape;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.testing.Peers;

/**
 * Compiles the C helpers in {@code src/test/c} with gcc into {@code target/native}. Without gcc the
 * calling test is aborted with the reason, except on CI ({@code CI=true}) where it fails.
 */
final class NativeToolchain {
  static final Path SOURCES = Path.of("src", "test", "c");
  static final Path OUTPUT = Path.of("target", "native");

  private NativeToolchain() {}

  /** Compiles {@code source} to {@code output} under target/native with extra gcc arguments. */
  static Path compile(String source, String output, String... args) throws Exception {
    Path out = OUTPUT.resolve(output).toAbsolutePath();
    Files.createDirectories(out.getParent());
    Path gcc = Peers.require("gcc");
    List<String> cmd =
        new ArrayList<>(List.of(gcc.toString(), "-Wall", "-Wextra", "-Werror", "-o"));
    cmd.add(out.toString());
    cmd.add(SOURCES.resolve(source).toString());
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return Peers.unavailable("gcc cannot be started: " + e.getMessage());
    }
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      if (log.contains("mtio.h") && log.contains("No such file")) {
        return Peers.unavailable("<sys/mtio.h> is missing: " + log);
      }
      fail("gcc failed for " + source + ":\n" + log);
    }
    return out;
  }

  /** Runs a compiled program and returns its standard output. */
  static String run(Path program) throws Exception {
    Process p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(program + " failed:\n" + out);
    }
    return out;
  }
}
