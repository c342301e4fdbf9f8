package org.jrmt.fs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One component of a Unix path, as the bytes the file system stores: never empty, never {@code .}
 * or {@code ..}, no {@code /} and no NUL. Any other byte is allowed, so names that are not UTF-8
 * are carried exactly. Immutable; equal when the bytes are.
 */
public final class FileName implements Comparable<FileName> {
  /** The name's bytes followed by a NUL, ready for the C library. */
  private final byte[] bytes;

  private FileName(byte[] withNul) {
    this.bytes = withNul;
  }

  /**
   * The name made of {@code bytes} (copied).
   *
   * @throws IllegalArgumentException if they are not one plain path component
   */
  public static FileName of(byte[] bytes) {
    if (!isComponent(bytes)) {
      throw new IllegalArgumentException("not a file name: " + escape(bytes));
    }
    return new FileName(Arrays.copyOf(bytes, bytes.length + 1));
  }

  /**
   * The name made of {@code b[from, to)}, or null if those bytes are not one plain path component:
   * for a directory listing, which would otherwise copy each name twice.
   */
  static FileName ofRange(byte[] b, int from, int to) {
    byte[] c = Arrays.copyOfRange(b, from, to + 1);
    c[c.length - 1] = 0;
    return isComponent(c, c.length - 1) ? new FileName(c) : null;
  }

  /** The name spelled by {@code s} in UTF-8. */
  public static FileName of(String s) {
    return of(s.getBytes(StandardCharsets.UTF_8));
  }

  /** True when {@code b} is one plain path component (see the class comment). */
  public static boolean isComponent(byte[] b) {
    return isComponent(b, b.length);
  }

  private static boolean isComponent(byte[] b, int length) {
    if (length == 0 || length == 1 && b[0] == '.' || length == 2 && b[0] == '.' && b[1] == '.') {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (b[i] == '/' || b[i] == 0) {
        return false;
      }
    }
    return true;
  }

  /** The name's bytes (a copy). */
  public byte[] bytes() {
    return Arrays.copyOf(bytes, bytes.length - 1);
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length - 1;
  }

  /** The bytes followed by a NUL, for the C library: never to be changed or handed out. */
  byte[] cString() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileName n && Arrays.equals(bytes, n.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Orders by unsigned bytes, as {@code strcmp} does. */
  @Override
  public int compareTo(FileName o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** The name for messages: UTF-8 where it is valid and printable, octal escapes elsewhere. */
  @Override
  public String toString() {
    return escape(bytes, bytes.length - 1);
  }

  /**
   * {@code b} as text for a terminal or a log: valid UTF-8 stays as it is, except control
   * characters and backslashes; every other byte is written {@code \ooo} (octal), as {@code ls -b}
   * does.
   */
  public static String escape(byte[] b) {
    return escape(b, b.length);
  }

  private static String escape(byte[] b, int length) {
    StringBuilder sb = new StringBuilder(length);
    int i = 0;
    while (i < length) {
      int c = b[i] & 0xFF;
      int len =
          c < 0x80
              ? 1
              : c >= 0xC2 && c <= 0xDF
                  ? 2
                  : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
      if (len == 1) {
        if (c < 0x20 || c == 0x7F || c == '\\') {
          octal(sb, c);
        } else {
          sb.append((char) c);
        }
        i++;
        continue;
      }
      if (len > 1 && i + len <= length && validUtf8(b, i, len)) {
        String s = new String(b, i, len, StandardCharsets.UTF_8);
        int cp = s.codePointAt(0);
        if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
          for (int k = 0; k < len; k++) {
            octal(sb, b[i + k] & 0xFF);
          }
        } else {
          sb.append(s);
        }
        i += len;
        continue;
      }
      octal(sb, c);
      i++;
    }
    return sb.toString();
  }

  private static boolean validUtf8(byte[] b, int at, int len) {
    int c = b[at] & 0xFF;
    for (int k = 1; k < len; k++) {
      if ((b[at + k] & 0xC0) != 0x80) {
        return false;
      }
    }
    int c1 = b[at + 1] & 0xFF;
    // Overlong forms, surrogates and code points past U+10FFFF.
    return !(c == 0xE0 && c1 < 0xA0
        || c == 0xED && c1 > 0x9F
        || c == 0xF0 && c1 < 0x90
        || c == 0xF4 && c1 > 0x8F);
  }

  private static void octal(StringBuilder sb, int c) {
    sb.append('\\')
        .append((char) ('0' + (c >> 6)))
        .append((char) ('0' + (c >> 3 & 7)))
        .append((char) ('0' + (c & 7)));
  }
}
