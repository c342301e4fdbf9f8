package org.jrmt.protocol.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Text form of rmt byte transcripts, as used in {@code vectors.txt}: close to a Python bytes
 * literal without the quotes.
 *
 * <p>Syntax accepted by {@link #unescape(String)}:
 *
 * <ul>
 *   <li>printable ASCII (0x20 to 0x7e) other than {@code \} and {@code <} stands for itself;
 *   <li>{@code \n}, {@code \r}, {@code \t}, {@code \\} are LF, CR, TAB and backslash;
 *   <li>{@code \xNN} (two hex digits, either case) is the byte 0xNN;
 *   <li>{@code <48>} is the 48-byte Linux x86-64 {@code struct mtget} the tape shim reports, see
 *       {@link #mtget48()};
 *   <li>anything else (another escape, a lone {@code <}, a non-ASCII or control character) is
 *       rejected with an {@link IllegalArgumentException} naming the offset.
 * </ul>
 *
 * <p>{@link #escape(byte[])} is the inverse: {@code unescape(escape(b))} equals {@code b} for every
 * byte array. It writes {@code <} as {@code \x3c} (so that {@code <} always starts a macro), a
 * space at the very start or end as {@code \x20} (so that escaped text survives trimming), every
 * occurrence of {@link #mtget48()} as {@code <48>}, and all other non-printable bytes as {@code
 * \xNN} with lower-case hex digits.
 *
 * <p>The placeholder {@value #DIR_PLACEHOLDER} is not an escape: it stays in the bytes as the five
 * ASCII characters and is replaced by a scratch directory with {@link #substituteDir(byte[], Path)}
 * just before the bytes are sent.
 */
public final class Transcript {

  /** The placeholder for the scratch directory in requests, e.g. {@code O{dir}/t10\n0\n}. */
  public static final String DIR_PLACEHOLDER = "{dir}";

  /** The macro that stands for {@link #mtget48()}. */
  public static final String MTGET_MACRO = "<48>";

  private static final byte[] MTGET =
      hex(
          "72 00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 22 00 00 00 00 00 00 00"
              + " 00 00 01 41 00 00 00 00 33 00 00 00 00 00 00 00 02 00 00 00 07 00 00 00");

  /**
   * The {@code struct mtget} of the test tape shim in Linux x86-64 layout, little-endian: mt_type
   * 0x72, mt_resid 0x11, mt_dsreg 0x22, mt_gstat 0x41010000, mt_erreg 0x33 (five 8-byte longs),
   * then mt_fileno 2 and mt_blkno 7 (two 4-byte ints). Returns a fresh copy.
   */
  public static byte[] mtget48() {
    return MTGET.clone();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Transcript() {}

  /**
   * The text form of {@code bytes}; see the class comment for the rules.
   *
   * @throws NullPointerException if {@code bytes} is null
   */
  public static String escape(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 16);
    int i = 0;
    while (i < bytes.length) {
      if (regionMatches(bytes, i, MTGET)) {
        out.append(MTGET_MACRO);
        i += MTGET.length;
        continue;
      }
      int b = bytes[i] & 0xff;
      switch (b) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '<' -> appendHex(out, b);
        case ' ' -> {
          if (i == 0 || i == bytes.length - 1) {
            appendHex(out, b);
          } else {
            out.append(' ');
          }
        }
        default -> {
          if (b > 0x20 && b < 0x7f) {
            out.append((char) b);
          } else {
            appendHex(out, b);
          }
        }
      }
      i++;
    }
    return out.toString();
  }

  /**
   * The bytes that {@code text} stands for; see the class comment for the syntax.
   *
   * @throws IllegalArgumentException if {@code text} is not well formed; the message names the
   *     zero-based character offset
   */
  public static byte[] unescape(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 >= text.length()) {
          throw malformed(text, i, "backslash at end of text");
        }
        char e = text.charAt(i + 1);
        switch (e) {
          case 'n' -> out.write('\n');
          case 'r' -> out.write('\r');
          case 't' -> out.write('\t');
          case '\\' -> out.write('\\');
          case 'x' -> {
            if (i + 3 >= text.length()) {
              throw malformed(text, i, "\\x needs two hex digits");
            }
            int hi = Character.digit(text.charAt(i + 2), 16);
            int lo = Character.digit(text.charAt(i + 3), 16);
            if (hi < 0 || lo < 0 || !isAsciiHex(text.charAt(i + 2), text.charAt(i + 3))) {
              throw malformed(text, i, "\\x needs two hex digits");
            }
            out.write(hi << 4 | lo);
            i += 2;
          }
          default -> throw malformed(text, i, "unknown escape \\" + e);
        }
        i += 2;
      } else if (c == '<') {
        if (!text.startsWith(MTGET_MACRO, i)) {
          throw malformed(text, i, "'<' must start the macro " + MTGET_MACRO + " (write \\x3c)");
        }
        out.writeBytes(MTGET);
        i += MTGET_MACRO.length();
      } else if (c >= 0x20 && c < 0x7f) {
        out.write(c);
        i++;
      } else {
        throw malformed(
            text, i, String.format("character U+%04X must be written as \\xNN", (int) c));
      }
    }
    return out.toByteArray();
  }

  /**
   * Replaces every {@value #DIR_PLACEHOLDER} in {@code template} with {@code dir} as given (its
   * UTF-8 bytes; a relative dir is read by the server against its own working directory). Other
   * bytes are copied unchanged.
   */
  public static byte[] substituteDir(byte[] template, Path dir) {
    byte[] placeholder = DIR_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
    byte[] replacement = dir.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(template.length + 64);
    int i = 0;
    while (i < template.length) {
      if (regionMatches(template, i, placeholder)) {
        out.writeBytes(replacement);
        i += placeholder.length;
      } else {
        out.write(template[i]);
        i++;
      }
    }
    return out.toByteArray();
  }

  private static boolean isAsciiHex(char a, char b) {
    return a < 0x80 && b < 0x80;
  }

  private static boolean regionMatches(byte[] bytes, int from, byte[] what) {
    return bytes.length - from >= what.length
        && Arrays.equals(bytes, from, from + what.length, what, 0, what.length);
  }

  private static void appendHex(StringBuilder out, int b) {
    out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
  }

  private static IllegalArgumentException malformed(String text, int offset, String why) {
    return new IllegalArgumentException("malformed transcript at offset " + offset + ": " + why);
  }

  private static byte[] hex(String spaced) {
    String[] parts = spaced.trim().split(" ");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }
}
