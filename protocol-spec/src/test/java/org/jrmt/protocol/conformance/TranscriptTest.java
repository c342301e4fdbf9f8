package org.jrmt.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class TranscriptTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Property(tries = 2000)
  void unescapeInvertsEscapeForArbitraryBytes(@ForAll byte[] bytes) {
    assertThat(Transcript.unescape(Transcript.escape(bytes))).isEqualTo(bytes);
  }

  @Property(tries = 2000)
  void unescapeInvertsEscapeForTrickyBytes(@ForAll("tricky") byte[] bytes) {
    assertThat(Transcript.unescape(Transcript.escape(bytes))).isEqualTo(bytes);
  }

  @Property(tries = 1000)
  void escapedTextIsPrintableAsciiWithoutOuterBlanks(@ForAll("tricky") byte[] bytes) {
    String text = Transcript.escape(bytes);
    assertThat(text.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(text).isEqualTo(text.strip());
  }

  /** Byte arrays built from pieces that stress the escape rules: macros, '<', '\', blanks. */
  @Provide
  Arbitrary<byte[]> tricky() {
    Arbitrary<byte[]> piece =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofMaxSize(6)),
            Tuple.of(2, Arbitraries.just(Transcript.mtget48())),
            Tuple.of(1, Arbitraries.just(Transcript.mtget48()).map(b -> Arrays.copyOf(b, 47))),
            Tuple.of(
                3,
                Arbitraries.of(
                        "<", "<48>", "\\", "\\x41", "\\n", " ", "  ", "{dir}", "\n", "\r", "\t")
                    .map(TranscriptTest::ascii)));
    return piece
        .list()
        .ofMaxSize(8)
        .map(
            parts -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              parts.forEach(out::writeBytes);
              return out.toByteArray();
            });
  }

  @Example
  void escapesRepliesReadably() {
    assertThat(Transcript.escape(ascii("A0\nE22\nInvalid argument\nA2\n01")))
        .isEqualTo("A0\\nE22\\nInvalid argument\\nA2\\n01");
    assertThat(Transcript.escape(ascii("R3\r\n\t\\"))).isEqualTo("R3\\r\\n\\t\\\\");
    assertThat(Transcript.escape(new byte[] {0, 0x7f, (byte) 0xff, '<', 'x'}))
        .isEqualTo("\\x00\\x7f\\xff\\x3cx");
    assertThat(Transcript.escape(ascii(" 1 O_RDONLY "))).isEqualTo("\\x201 O_RDONLY\\x20");
    assertThat(Transcript.escape(ascii(" "))).isEqualTo("\\x20");
    assertThat(Transcript.escape(new byte[0])).isEmpty();
  }

  @Example
  void writesTheShimStatusAsMacro() {
    byte[] reply =
        ByteBuffer.allocate(4 + 48 + 3)
            .put(ascii("A48\n"))
            .put(Transcript.mtget48())
            .put(ascii("A0\n"))
            .array();
    assertThat(Transcript.escape(reply)).isEqualTo("A48\\n<48>A0\\n");
    assertThat(Transcript.unescape("A0\\nA48\\n<48>"))
        .hasSize(3 + 4 + 48)
        .endsWith(Transcript.mtget48());
  }

  @Example
  void mtgetHasTheShimValuesInLinuxX8664Layout() {
    ByteBuffer b = ByteBuffer.wrap(Transcript.mtget48()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.capacity()).isEqualTo(48);
    assertThat(List.of(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32)))
        .containsExactly(0x72L, 0x11L, 0x22L, 0x41010000L, 0x33L);
    assertThat(List.of(b.getInt(40), b.getInt(44))).containsExactly(2, 7);
  }

  @Example
  void unescapeAcceptsEitherHexCase() {
    assertThat(Transcript.unescape("\\x4a\\x4A\\x3c48>")).isEqualTo(ascii("JJ<48>"));
  }

  @Example
  void unescapeRejectsMalformedTextNamingTheOffset() {
    assertThatThrownBy(() -> Transcript.unescape("A0\\q"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 2")
        .hasMessageContaining("unknown escape");
    assertThatThrownBy(() -> Transcript.unescape("ab\\"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 2");
    assertThatThrownBy(() -> Transcript.unescape("\\x4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two hex digits");
    assertThatThrownBy(() -> Transcript.unescape("\\x4g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two hex digits");
    assertThatThrownBy(() -> Transcript.unescape("\\x\u0661\u0662"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two hex digits");
    assertThatThrownBy(() -> Transcript.unescape("A<49>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 1")
        .hasMessageContaining("<48>");
    assertThatThrownBy(() -> Transcript.unescape("caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+00E9");
    assertThatThrownBy(() -> Transcript.unescape("a\tb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 1");
  }

  @Example
  void substitutesEveryDirPlaceholder() {
    Path dir = Path.of("/tmp/x y");
    byte[] request = Transcript.unescape("O{dir}/t10\\n0\\nC\\nO{dir}/t10\\n0\\n{dir");
    assertThat(new String(Transcript.substituteDir(request, dir), StandardCharsets.UTF_8))
        .isEqualTo("O/tmp/x y/t10\n0\nC\nO/tmp/x y/t10\n0\n{dir");
  }

  @Example
  void placeholderIsPlainTextForEscape() {
    assertThat(Transcript.escape(ascii("O{dir}/t10\n"))).isEqualTo("O{dir}/t10\\n");
  }
}
