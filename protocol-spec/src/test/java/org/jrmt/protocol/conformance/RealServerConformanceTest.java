package org.jrmt.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jrmt.protocol.conformance.ConformanceVector.Outcome;
import org.jrmt.protocol.conformance.ConformanceVector.Setup;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every conformance vector against the real servers GNU rmt ({@code rmt-tar}, key {@code
 * gnu}) and Linux dump rmt ({@code rmt-dump}, key {@code dump}) and checks that they still answer
 * exactly what {@code vectors.txt} says: one dynamic test per vector per server.
 *
 * <p>Each run gets a fresh scratch directory {@code target/conf/<id>-<server>} with {@code t10},
 * the server is started with the request on stdin (then closed), {@code LC_ALL=C}, and for {@code
 * setup: shim} rows {@code LD_PRELOAD=target/tape-shim.so} (compiled once per run from {@code
 * src/test/c/tape-shim.c}). Stdout bytes and the exit status are compared in {@link Transcript}
 * form; each server run is bounded by {@link #TIMEOUT}.
 *
 * <p>With {@code -Dconformance.regenerate=true} the tests record instead of asserting, and a final
 * dynamic test rewrites the {@code gnu}/{@code dump} lines of {@code
 * src/test/resources/.../vectors.txt} with what the servers did (everything else in the file is
 * kept).
 */
class RealServerConformanceTest {

  /** Server key to executable name. */
  private static final Map<String, String> SERVERS =
      Map.of(ConformanceVector.GNU, "rmt-tar", ConformanceVector.DUMP, "rmt-dump");

  private static final List<String> SERVER_ORDER =
      List.of(ConformanceVector.GNU, ConformanceVector.DUMP);

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final boolean REGENERATE = Boolean.getBoolean("conformance.regenerate");

  /** Surefire runs tests with the module directory as working directory. */
  private static final Path MODULE = Path.of("").toAbsolutePath();

  private static final Path VECTOR_SOURCE =
      MODULE.resolve("src/test/resources" + ConformanceVectors.RESOURCE);

  @TestFactory
  Stream<DynamicTest> realServersAnswerAsRecorded() {
    List<ConformanceVector> vectors = ConformanceVectors.load();
    Map<String, Map<Integer, Outcome>> captured = new LinkedHashMap<>();
    SERVER_ORDER.forEach(s -> captured.put(s, new TreeMap<>()));

    Stream<DynamicTest> rows =
        vectors.stream()
            .flatMap(
                v ->
                    SERVER_ORDER.stream()
                        .map(
                            server ->
                                dynamicTest(
                                    "[" + v.id() + "] " + server + ": " + v.title(),
                                    () -> check(v, server, captured.get(server)))));
    if (!REGENERATE) {
      return rows;
    }
    return Stream.concat(
        rows,
        Stream.of(dynamicTest("regenerate vectors.txt", () -> regenerate(vectors, captured))));
  }

  private static void check(ConformanceVector v, String server, Map<Integer, Outcome> captured)
      throws IOException, InterruptedException {
    Path executable = Peers.require(SERVERS.get(server));
    Path shim = v.setup() == Setup.SHIM ? TapeShim.path() : null;
    Run run = RealServer.run(executable, v, server, shim);
    if (REGENERATE) {
      captured.put(v.id(), run.outcome());
      return;
    }
    Outcome expected =
        v.outcome(server)
            .orElseGet(
                () ->
                    fail(
                        "vector "
                            + v.id()
                            + " has no '"
                            + server
                            + ":' line; run with -Dconformance.regenerate=true"));
    String want = describe(expected, expected.exitStatus() != null);
    String got = describe(run.outcome(), expected.exitStatus() != null);
    assertThat(got)
        .as(
            "%s (%s) on vector %d, request %s; stderr: %s",
            server, executable, v.id(), v.requestText(), run.stderr())
        .isEqualTo(want);
  }

  private static String describe(Outcome o, boolean withExit) {
    return "reply: " + o.replyText() + (withExit ? "\nexit: " + o.exitStatus() : "");
  }

  private static void regenerate(
      List<ConformanceVector> vectors, Map<String, Map<Integer, Outcome>> captured)
      throws IOException {
    String text = Files.readString(VECTOR_SOURCE, StandardCharsets.UTF_8);
    List<String> changes = new ArrayList<>();
    for (ConformanceVector v : vectors) {
      for (String server : SERVER_ORDER) {
        Outcome now = captured.get(server).get(v.id());
        if (now != null && !v.outcome(server).map(now::equals).orElse(false)) {
          changes.add(
              "["
                  + v.id()
                  + "] "
                  + server
                  + ": "
                  + v.outcome(server).map(Outcome::toString).orElse("(none)")
                  + " -> "
                  + now);
        }
      }
    }
    for (String server : SERVER_ORDER) {
      text = ConformanceVectors.withOutcomes(text, "vectors.txt", server, captured.get(server));
    }
    List<ConformanceVector> reparsed = ConformanceVectors.parse(text, VECTOR_SOURCE.toString());
    assertThat(reparsed).hasSameSizeAs(vectors);
    Files.writeString(VECTOR_SOURCE, text, StandardCharsets.UTF_8);
    System.out.println(
        "regenerated "
            + VECTOR_SOURCE
            + " with "
            + captured.values().stream().mapToInt(Map::size).sum()
            + " outcomes; "
            + changes.size()
            + " changed"
            + (changes.isEmpty() ? "" : ":\n  " + String.join("\n  ", changes)));
  }

  /** What one server run produced. */
  record Run(Outcome outcome, String stderr) {}

  /** Starts real servers on a vector and collects what they do. */
  static final class RealServer {
    private RealServer() {}

    static Run run(Path executable, ConformanceVector v, String server, Path shim)
        throws IOException, InterruptedException {
      Path dir = freshScratchDir(v.id() + "-" + server);
      Files.write(dir.resolve(ConformanceVector.T10_NAME), ConformanceVector.t10Content());
      // The server runs in the scratch dir, so {dir} is "." there: rmt-dump keeps only 64 bytes
      // of a device name, and an absolute path below a deep checkout would be cut.
      byte[] request = v.request(Path.of("."));
      Path stderr = dir.resolve("stderr.txt");

      ProcessBuilder pb = new ProcessBuilder(executable.toString());
      pb.directory(dir.toFile());
      pb.redirectError(stderr.toFile());
      Map<String, String> env = pb.environment();
      env.put("LC_ALL", "C");
      env.remove("LANG");
      env.remove("LANGUAGE");
      env.remove("LD_PRELOAD");
      if (shim != null) {
        env.put("LD_PRELOAD", shim.toString());
        env.put("TAPE_SHIM_LOG", dir.resolve("shim.log").toString());
      }
      Process p = pb.start();
      CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed(p, request));
      CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> drain(p));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      byte[] out;
      try {
        out = reading.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          throw new TimeoutException();
        }
        feeding.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        p.destroyForcibly().waitFor();
        return fail(executable + " did not finish vector " + v.id() + " within " + TIMEOUT);
      } catch (ExecutionException e) {
        p.destroyForcibly().waitFor();
        throw new IOException("talking to " + executable, e.getCause());
      }
      String err = Files.readString(stderr, StandardCharsets.ISO_8859_1).strip();
      return new Run(new Outcome(out, p.exitValue()), err.isEmpty() ? "(empty)" : err);
    }

    private static void feed(Process p, byte[] request) {
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(request);
      } catch (IOException e) {
        // The server may exit (e.g. after an unknown command) before reading everything: the
        // request bytes it never read are part of the vector, not an error of the harness.
      }
    }

    private static byte[] drain(Process p) {
      try (InputStream stdout = p.getInputStream()) {
        return stdout.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Path freshScratchDir(String name) throws IOException {
      Path dir = MODULE.resolve("target/conf").resolve(name);
      if (Files.exists(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      return Files.createDirectories(dir);
    }
  }

  /** Builds the LD_PRELOAD tape shim once per JVM. */
  static final class TapeShim {
    private static Path built;
    private static String failure;

    private TapeShim() {}

    static synchronized Path path() throws IOException, InterruptedException {
      if (built != null) {
        return built;
      }
      if (failure != null) {
        return fail(failure);
      }
      Path gcc = Peers.require("gcc");
      Path source = MODULE.resolve("src/test/c/tape-shim.c");
      Path target = MODULE.resolve("target/tape-shim.so");
      Path log = MODULE.resolve("target/tape-shim.gcc.log");
      Process p =
          new ProcessBuilder(
                  gcc.toString(),
                  "-shared",
                  "-fPIC",
                  "-O2",
                  "-o",
                  target.toString(),
                  source.toString(),
                  "-ldl")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        failure = "gcc did not finish building " + target + " within 60 s";
      } else if (p.exitValue() != 0) {
        failure =
            "gcc failed ("
                + p.exitValue()
                + ") building "
                + target
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8);
      } else {
        built = target;
        return built;
      }
      return fail(failure);
    }
  }
}
