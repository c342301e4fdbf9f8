package org.jrmt.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jrmt.protocol.conformance.ConformanceVector.Outcome;
import org.jrmt.protocol.conformance.ConformanceVector.Setup;
import org.jrmt.protocol.conformance.ConformanceVectors.MalformedVectorFileException;

class ConformanceVectorsTest {

  private static String resourceText() throws IOException {
    try (InputStream in =
        ConformanceVectors.class.getResourceAsStream(ConformanceVectors.RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  // ---- the shipped file ----

  @Example
  void shippedFileHasTheFortyVectorsOfTheReference() {
    List<ConformanceVector> vectors = ConformanceVectors.load();
    assertThat(vectors)
        .extracting(ConformanceVector::id)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 40).boxed().toList());
  }

  @Example
  void everyVectorHasGnuAndDumpOutcomesWithKnownExitStatus() {
    for (ConformanceVector v : ConformanceVectors.load()) {
      for (String server : List.of(ConformanceVector.GNU, ConformanceVector.DUMP)) {
        assertThat(v.outcome(server))
            .as("vector %d %s", v.id(), server)
            .hasValueSatisfying(o -> assertThat(o.exitStatus()).isNotNull());
      }
    }
  }

  @Example
  void shippedFileHasTheSpecialRowsAsDescribed() {
    Map<Integer, ConformanceVector> byId = new LinkedHashMap<>();
    ConformanceVectors.load().forEach(v -> byId.put(v.id(), v));
    assertThat(byId.values())
        .filteredOn(v -> v.setup() == Setup.SHIM)
        .extracting(ConformanceVector::id)
        .containsExactlyElementsOf(IntStream.rangeClosed(27, 35).boxed().toList());
    assertThat(text(byId.get(36).request())).isEqualTo("O{dir}/" + "d".repeat(70) + "\n0\nC\n");
    assertThat(text(byId.get(11).request())).startsWith("O/dev/full\n");
    assertThat(text(byId.get(12).request())).endsWith("W5\nab");
    assertThat(text(byId.get(13).request(Path.of("/s")))).isEqualTo("O/s/t10\n0\nL0\n3\nR2\n");
    byte[] status = Transcript.unescape("A0\\nA48\\n<48>A0\\n");
    assertThat(byId.get(27).outcome(ConformanceVector.GNU).orElseThrow().reply())
        .isEqualTo(status)
        .hasSize(3 + 4 + 48 + 3);
  }

  @Example
  void shippedFileIsInCanonicalFormAfterItsComments() throws IOException {
    // Regeneration with unchanged outcomes must leave the file byte for byte as it is.
    String file = resourceText();
    List<ConformanceVector> vectors = ConformanceVectors.parse(file, "vectors.txt");
    String rewritten = file;
    for (String server : List.of(ConformanceVector.GNU, ConformanceVector.DUMP)) {
      Map<Integer, Outcome> same = new LinkedHashMap<>();
      vectors.forEach(v -> same.put(v.id(), v.outcome(server).orElseThrow()));
      rewritten = ConformanceVectors.withOutcomes(rewritten, "vectors.txt", server, same);
    }
    assertThat(rewritten).isEqualTo(file);
    assertThat(ConformanceVectors.parse(ConformanceVectors.format(vectors), "formatted"))
        .isEqualTo(vectors);
  }

  // ---- format and parse ----

  @Property(tries = 300)
  void parseInvertsFormat(@ForAll("vectorLists") List<ConformanceVector> vectors) {
    String formatted = ConformanceVectors.format(vectors);
    assertThat(ConformanceVectors.parse(formatted, "generated")).isEqualTo(vectors);
  }

  @Provide
  Arbitrary<List<ConformanceVector>> vectorLists() {
    Arbitrary<String> line =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars("\u00e4\u20ac")
            .ofMinLength(1)
            .ofMaxLength(30)
            .map(String::strip)
            .filter(s -> !s.isEmpty());
    Arbitrary<byte[]> bytes =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
            Arbitraries.of("O{dir}/t10\n0\nS", " A0\n ", "<48>", "")
                .map(s -> s.getBytes(StandardCharsets.ISO_8859_1)),
            Arbitraries.just(Transcript.mtget48()));
    Arbitrary<Outcome> outcome =
        Combinators.combine(bytes, Arbitraries.integers().between(0, 255).injectNull(0.3))
            .as(Outcome::new);
    Arbitrary<Map<String, Outcome>> outcomes =
        Arbitraries.maps(Arbitraries.of("gnu", "dump", "jrmt", "star", "x-1_b"), outcome)
            .ofMaxSize(4);
    Arbitrary<ConformanceVector> vector =
        Combinators.combine(
                Arbitraries.integers().between(0, 999_999_999),
                line,
                Arbitraries.of(Setup.class),
                bytes,
                outcomes,
                line.optional(0.5))
            .as(ConformanceVector::new);
    return vector.list().ofMaxSize(6).uniqueElements(ConformanceVector::id);
  }

  @Example
  void parsesEveryItemOfAVector() {
    String file =
        "# header\n\n"
            + "  [7]   A title  \n"
            + "# comment inside\n"
            + "jrmt: A1\\n\n"
            + "request: O{dir}/t10\\n0\\n\n"
            + "setup: shim\n"
            + "note: kept as is\n"
            + "gnu.exit: ?\n"
            + "gnu: \n"
            + "dump.exit: 3\n"
            + "dump: <48>\n";
    ConformanceVector v = ConformanceVectors.parse(file, "f").get(0);
    assertThat(v.id()).isEqualTo(7);
    assertThat(v.title()).isEqualTo("A title");
    assertThat(v.setup()).isEqualTo(Setup.SHIM);
    assertThat(v.note()).contains("kept as is");
    assertThat(v.outcomes().keySet()).containsExactly("jrmt", "gnu", "dump");
    assertThat(v.outcome("gnu")).contains(new Outcome(new byte[0], null));
    assertThat(v.outcome("dump")).contains(new Outcome(Transcript.mtget48(), 3));
    assertThat(v.outcome("jrmt").orElseThrow().exit()).isEmpty();
  }

  // ---- malformed files ----

  private static void assertMalformed(String file, int line, String fragment) {
    assertThatThrownBy(() -> ConformanceVectors.parse(file, "bad.txt"))
        .isInstanceOf(MalformedVectorFileException.class)
        .hasMessageStartingWith("bad.txt:" + line + ": ")
        .hasMessageContaining(fragment)
        .satisfies(
            e -> assertThat(((MalformedVectorFileException) e).lineNumber()).isEqualTo(line));
  }

  private static final String OK = "[1] t\nsetup: file\nrequest: C\\n\n";

  @Example
  void rejectsMalformedFilesWithTheLineNumber() {
    assertMalformed("# c\nsetup: file\n", 2, "before the first");
    assertMalformed(OK + "\n[x] title\n", 5, "vector header");
    assertMalformed(OK + "[2]\n", 4, "vector header");
    assertMalformed(OK + "gnu: A0\\q\n", 4, "unknown escape");
    assertMalformed(OK + "request: A\n", 4, "duplicate 'request'");
    assertMalformed(OK + "setup: tape\n", 4, "duplicate 'setup'");
    assertMalformed("[1] t\nsetup: tape\n", 2, "'file' or 'shim'");
    assertMalformed(OK + "gnu.exit: 256\n", 4, "0..255");
    assertMalformed(OK + "gnu.exit: -1\n", 4, "0..255");
    assertMalformed(OK + "gnu.exit: 0\n", 4, "without a 'gnu:' reply line");
    assertMalformed(OK + "Gnu: A0\\n\n", 4, "expected '<key>: <value>'");
    assertMalformed(OK + "just text\n", 4, "expected '<key>: <value>'");
    assertMalformed(OK + "x.y.exit: 1\n", 4, "unknown key");
    assertMalformed(OK + "note:\n", 4, "empty note");
    assertMalformed(OK + OK, 4, "duplicate vector id 1");
    assertMalformed("# c\n[1] t\nrequest: C\\n\n", 2, "no 'setup:' line");
    assertMalformed("[1] t\nsetup: file\n\n[2] u\n", 1, "no 'request:' line");
  }

  @Example
  void loadsAnEmptyFileAsNoVectors() {
    assertThat(ConformanceVectors.parse("# only comments\n\n", "f")).isEmpty();
  }

  // ---- rewriting outcomes ----

  @Example
  void withOutcomesReplacesInsertsAndKeepsEverythingElse() {
    String file =
        "# header kept\n"
            + "[1] one\n"
            + "setup: file\n"
            + "request: R1\\n\n"
            + "gnu: old\n"
            + "gnu.exit: 9\n"
            + "jrmt: mine\n"
            + "\n"
            + "[2] two\n"
            + "setup: file\n"
            + "request: R2\\n\n"
            + "gnu: old2\n"
            + "note: untouched\n"
            + "# trailing comment of 2\n"
            + "\n"
            + "[3] three\n"
            + "setup: file\n"
            + "request: R3\\n\n"
            + "\n"
            + "[4] four\n"
            + "setup: file\n"
            + "request: R4\\n\n"
            + "gnu: same\n";
    Map<Integer, Outcome> gnu = new LinkedHashMap<>();
    gnu.put(1, new Outcome("A0\n".getBytes(StandardCharsets.US_ASCII), 0));
    gnu.put(2, new Outcome(" x ".getBytes(StandardCharsets.US_ASCII), null));
    gnu.put(3, new Outcome(new byte[0], 3));
    String out = ConformanceVectors.withOutcomes(file, "f", "gnu", gnu);
    assertThat(out)
        .isEqualTo(
            "# header kept\n"
                + "[1] one\n"
                + "setup: file\n"
                + "request: R1\\n\n"
                + "gnu: A0\\n\n"
                + "gnu.exit: 0\n"
                + "jrmt: mine\n"
                + "\n"
                + "[2] two\n"
                + "setup: file\n"
                + "request: R2\\n\n"
                + "gnu: \\x20x\\x20\n"
                + "gnu.exit: ?\n"
                + "note: untouched\n"
                + "# trailing comment of 2\n"
                + "\n"
                + "[3] three\n"
                + "setup: file\n"
                + "request: R3\\n\n"
                + "gnu: \n"
                + "gnu.exit: 3\n"
                + "\n"
                + "[4] four\n"
                + "setup: file\n"
                + "request: R4\\n\n"
                + "gnu: same\n");
    List<ConformanceVector> parsed = ConformanceVectors.parse(out, "out");
    assertThat(parsed.get(0).outcome("jrmt").map(o -> text(o.reply()))).contains("mine");
    assertThat(parsed.get(1).outcome("gnu")).contains(gnu.get(2));
    assertThat(parsed.get(1).note()).isEqualTo(Optional.of("untouched"));
  }

  @Example
  void withOutcomesRejectsUnknownIdsAndBadServerKeys() {
    Map<Integer, Outcome> unknownId = Map.of(5, new Outcome(new byte[0], 0));
    assertThatThrownBy(() -> ConformanceVectors.withOutcomes(OK, "f", "gnu", unknownId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[5]");
    assertThatThrownBy(() -> ConformanceVectors.withOutcomes(OK, "f", "GNU", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server key");
  }

  // ---- the record ----

  @Example
  void vectorsCopyTheirBytesAndCompareByContent() {
    byte[] request = "R1\n".getBytes(StandardCharsets.US_ASCII);
    ConformanceVector v =
        new ConformanceVector(1, "t", Setup.FILE, request, Map.of(), Optional.empty());
    request[0] = 'W';
    assertThat(text(v.request())).isEqualTo("R1\n");
    v.request()[0] = 'W';
    assertThat(text(v.request())).isEqualTo("R1\n");
    assertThat(v)
        .isEqualTo(
            new ConformanceVector(
                1,
                "t",
                Setup.FILE,
                "R1\n".getBytes(StandardCharsets.US_ASCII),
                Map.of(),
                Optional.empty()))
        .hasSameHashCodeAs(
            new ConformanceVector(
                1,
                "t",
                Setup.FILE,
                "R1\n".getBytes(StandardCharsets.US_ASCII),
                Map.of(),
                Optional.empty()));
    assertThat(v.withOutcome("jrmt", new Outcome(new byte[] {1}, null)).outcome("jrmt"))
        .contains(new Outcome(new byte[] {1}, null));
  }

  @Example
  void vectorsRejectInvalidComponents() {
    assertThatThrownBy(
            () ->
                new ConformanceVector(1, " t", Setup.FILE, new byte[0], Map.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ConformanceVector(
                    1, "t", Setup.FILE, new byte[0], Map.of(), Optional.of("a\nb")))
        .isInstanceOf(IllegalArgumentException.class);
    Map<String, Outcome> badKey = Map.of("Gnu", new Outcome(new byte[0], null));
    assertThatThrownBy(
            () -> new ConformanceVector(1, "t", Setup.FILE, new byte[0], badKey, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Gnu");
    assertThatThrownBy(
            () ->
                new ConformanceVector(-1, "t", Setup.FILE, new byte[0], Map.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
