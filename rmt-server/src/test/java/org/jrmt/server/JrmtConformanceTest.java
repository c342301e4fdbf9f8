package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jrmt.protocol.conformance.ConformanceVector;
import org.jrmt.protocol.conformance.ConformanceVector.Outcome;
import org.jrmt.protocol.conformance.ConformanceVectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every conformance vector against jrmt's session engine in stdin/stdout mode and checks
 * the {@code jrmt:} transcripts of {@code vectors.txt}. The scratch directory is served as a file
 * directory, and {@code /dev/full} by name, so the vectors' paths open as they do on the classic
 * servers. The tape-drive shim does not apply to jrmt (it drives no ioctl on files), so on those
 * rows jrmt answers as for a plain file.
 *
 * <p>With {@code -Dconformance.regenerate=true} the {@code jrmt} lines are rewritten from what the
 * engine does; review the diff against PROTOCOL.md before committing it.
 */
class JrmtConformanceTest {
  private static final boolean REGENERATE = Boolean.getBoolean("conformance.regenerate");

  @TempDir Path scratchRoot;

  @TestFactory
  Stream<DynamicTest> jrmtAnswersAsSpecified() throws Exception {
    List<ConformanceVector> vectors = ConformanceVectors.load();
    Map<Integer, Outcome> captured = new TreeMap<>();
    Stream<DynamicTest> rows =
        vectors.stream()
            .map(
                v ->
                    dynamicTest(
                        "[" + v.id() + "] " + v.title(),
                        () -> {
                          Outcome actual = run(v);
                          captured.put(v.id(), actual);
                          if (!REGENERATE) {
                            Outcome expected =
                                v.outcome(ConformanceVector.JRMT)
                                    .orElseThrow(() -> new AssertionError("no jrmt line"));
                            assertThat(actual.replyText())
                                .as("request %s", v.requestText())
                                .isEqualTo(expected.replyText());
                            assertThat(actual.exit()).isEqualTo(expected.exit());
                          }
                        }));
    if (!REGENERATE) {
      return rows;
    }
    return Stream.concat(
        rows,
        Stream.of(
            dynamicTest(
                "rewrite jrmt lines",
                () -> {
                  Path file =
                      Path.of(System.getenv("JRMT_PROJECT_ROOT"))
                          .resolve(
                              "protocol-spec/src/test/resources" + ConformanceVectors.RESOURCE);
                  String text = Files.readString(file);
                  Files.writeString(
                      file,
                      ConformanceVectors.withOutcomes(
                          text, file.toString(), ConformanceVector.JRMT, captured));
                })));
  }

  private Outcome run(ConformanceVector v) throws Exception {
    Path dir = Files.createDirectories(scratchRoot.resolve(Integer.toString(v.id())));
    Files.write(dir.resolve(ConformanceVector.T10_NAME), ConformanceVector.t10Content());
    ServerConfig config =
        ServerConfig.defaults(dir.resolve("tapes"))
            .withFileDirs(List.of(dir, Path.of("/dev/full")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SessionStats stats =
        new StdioServer(config, new DeviceLocks())
            .serve(new ByteArrayInputStream(v.request(dir)), out, Identity.user("test"));
    int exit = stats.end().equals("violation") ? 1 : 0;
    return new Outcome(out.toByteArray(), exit);
  }
}
