package org.jrmt.protocol;

import java.util.Locale;

/**
 * Decides what the two lines of an {@code L} request mean.
 *
 * <p>With detection on, the lines themselves decide whenever they can: a symbolic whence ({@code
 * SEEK_END}, {@code END}) in line 1 means whence first; a line 1 that is no valid whence (not 0, 1
 * or 2) means offset first; a line 2 outside the whence values BSD-order clients send (0 to 4, and
 * dump's tape-position codes 10 and 11) means whence first. Only when both lines could be either
 * (both small numbers) does {@code ambiguous} decide. With detection off, {@code ambiguous} always
 * decides.
 */
public final class SeekArguments {
  /** Whence for Linux dump's "report tape position" (MTIOCPOS) extension. */
  public static final int WHENCE_TAPE_TELL = 10;

  /** Whence for Linux dump's "go to tape position" (MTSEEK) extension. */
  public static final int WHENCE_TAPE_SEEK = 11;

  private SeekArguments() {}

  /**
   * Resolves the lines into a seek request.
   *
   * @throws IllegalArgumentException when neither order yields a number and a whence
   */
  public static Request.Seek resolve(
      String line1, String line2, SeekOrder ambiguous, boolean detect) {
    String a = line1.strip();
    String b = line2.strip();
    SeekOrder order = detect ? detect(a, b, ambiguous) : ambiguous;
    String offset = order == SeekOrder.OFFSET_FIRST ? a : b;
    String whence = order == SeekOrder.OFFSET_FIRST ? b : a;
    Integer w = parseWhence(whence);
    if (w == null) {
      throw new IllegalArgumentException("Invalid seek direction");
    }
    return new Request.Seek(parseOffset(offset), w);
  }

  /** The order the lines reveal, or {@code ambiguous} when they could be either. */
  public static SeekOrder detect(String line1, String line2, SeekOrder ambiguous) {
    String a = line1.strip();
    String b = line2.strip();
    if (symbolicWhence(a) != null) {
      return SeekOrder.WHENCE_FIRST;
    }
    Long first = parseLongOrNull(a);
    if (first == null || first < 0 || first > 2) {
      return SeekOrder.OFFSET_FIRST;
    }
    if (symbolicWhence(b) != null) {
      return SeekOrder.OFFSET_FIRST;
    }
    Long second = parseLongOrNull(b);
    boolean bsdWhence =
        second != null
            && ((second >= 0 && second <= 4)
                || second == WHENCE_TAPE_TELL
                || second == WHENCE_TAPE_SEEK);
    return bsdWhence ? ambiguous : SeekOrder.WHENCE_FIRST;
  }

  private static Integer parseWhence(String s) {
    Integer sym = symbolicWhence(s);
    if (sym != null) {
      return sym;
    }
    Long n = parseLongOrNull(s);
    if (n == null) {
      return null;
    }
    boolean known = (n >= 0 && n <= 4) || n == WHENCE_TAPE_TELL || n == WHENCE_TAPE_SEEK;
    return known ? n.intValue() : null;
  }

  private static Integer symbolicWhence(String s) {
    String n = s.toUpperCase(Locale.ROOT);
    if (n.startsWith("SEEK_")) {
      n = n.substring(5);
    }
    return switch (n) {
      case "SET" -> 0;
      case "CUR" -> 1;
      case "END" -> 2;
      case "DATA" -> 3;
      case "HOLE" -> 4;
      default -> null;
    };
  }

  private static long parseOffset(String s) {
    Long n = parseLongOrNull(s);
    if (n == null) {
      throw new IllegalArgumentException("Invalid seek offset");
    }
    return n;
  }

  /**
   * Parses a decimal with an optional sign; an unsigned 64-bit value above Long.MAX_VALUE wraps to
   * its two's-complement negative, as GNU's strtoumax does, so {@code -3} and {@code 2^64-3} agree.
   */
  static Long parseLongOrNull(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
    if (i == s.length()) {
      return null;
    }
    for (int j = i; j < s.length(); j++) {
      if (s.charAt(j) < '0' || s.charAt(j) > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s);
    } catch (NumberFormatException e) {
      if (s.charAt(0) == '-') {
        return null;
      }
      try {
        return Long.parseUnsignedLong(s.charAt(0) == '+' ? s.substring(1) : s);
      } catch (NumberFormatException e2) {
        return null;
      }
    }
  }
}
