package org.jrmt.protocol;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The flags of an {@code O} request: an access mode plus a set of {@link OpenFlag}s. Immutable.
 *
 * <p>{@link #parse} accepts every syntax real clients send (see {@link FlagSyntax}); {@link
 * #encode} writes any of them.
 */
public final class OpenFlags {
  private final AccessMode mode;
  private final Set<OpenFlag> flags;

  private OpenFlags(AccessMode mode, Set<OpenFlag> flags) {
    this.mode = mode;
    EnumSet<OpenFlag> copy = EnumSet.noneOf(OpenFlag.class);
    copy.addAll(flags);
    copy.remove(OpenFlag.IGNORED);
    this.flags = Collections.unmodifiableSet(copy);
  }

  /** Flags with the given mode and extra flags. */
  public static OpenFlags of(AccessMode mode, OpenFlag... extra) {
    EnumSet<OpenFlag> set = EnumSet.noneOf(OpenFlag.class);
    Collections.addAll(set, extra);
    return new OpenFlags(mode, set);
  }

  /** Flags with the given mode and set of extra flags. */
  public static OpenFlags of(AccessMode mode, Set<OpenFlag> extra) {
    return new OpenFlags(mode, extra);
  }

  /** Decodes a Linux flag word; bits jrmt has no name for are dropped. */
  public static OpenFlags fromLinuxBits(int bits) {
    return fromBits(bits, false);
  }

  /** Decodes a FreeBSD flag word; bits jrmt has no name for are dropped. */
  public static OpenFlags fromFreebsdBits(int bits) {
    return fromBits(bits, true);
  }

  private static OpenFlags fromBits(int bits, boolean freebsd) {
    EnumSet<OpenFlag> set = EnumSet.noneOf(OpenFlag.class);
    for (OpenFlag f : OpenFlag.values()) {
      int v = freebsd ? f.freebsdBits() : f.linuxBits();
      if (v != 0 && (bits & v) == v) {
        set.add(f);
      }
    }
    // Linux O_SYNC contains the O_DSYNC bit; report it once, as O_SYNC.
    if (set.contains(OpenFlag.SYNC) && !freebsd) {
      set.remove(OpenFlag.DSYNC);
    }
    return new OpenFlags(AccessMode.ofBits(bits), set);
  }

  /**
   * Parses the flag line of an {@code O} request.
   *
   * <p>Rules: blanks are ignored around tokens and {@code |}; an optional leading number may be
   * followed by {@code |}-separated names, with or without {@code O_}; when any name is present the
   * names alone decide (a number among them counts as Linux bits), as in GNU and dump; a bare
   * number is read according to {@code numeric}. An unknown name or an empty line is rejected as a
   * whole, so nothing is opened with flags the client did not mean.
   *
   * @throws IllegalArgumentException with a short message when the line is not valid
   */
  public static OpenFlags parse(String line, NumericFlags numeric) {
    String s = line.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid open mode");
    }
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    String number = s.substring(0, i);
    String rest = s.substring(i).strip();
    if (rest.isEmpty()) {
      return fromNumber(number, numeric);
    }
    AccessMode mode = AccessMode.READ_ONLY;
    EnumSet<OpenFlag> set = EnumSet.noneOf(OpenFlag.class);
    int numericBits = 0;
    for (String raw : rest.split("\\|", -1)) {
      String token = raw.strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("invalid open mode");
      }
      if (isDecimal(token)) {
        numericBits |= parseBits(token);
        continue;
      }
      AccessMode m = accessModeOf(token);
      if (m != null) {
        mode = m;
        continue;
      }
      OpenFlag f =
          OpenFlag.ofName(token)
              .orElseThrow(() -> new IllegalArgumentException("invalid open mode"));
      set.add(f);
    }
    if (numericBits != 0) {
      OpenFlags extra = fromLinuxBits(numericBits);
      set.addAll(extra.flags);
      if (extra.mode != AccessMode.READ_ONLY) {
        mode = extra.mode;
      }
    }
    return new OpenFlags(mode, set);
  }

  private static OpenFlags fromNumber(String number, NumericFlags numeric) {
    int bits = parseBits(number);
    return switch (numeric) {
      case ACCESS_MODE_ONLY -> new OpenFlags(AccessMode.ofBits(bits), Set.of());
      case LINUX -> fromLinuxBits(bits);
      case FREEBSD -> fromFreebsdBits(bits);
    };
  }

  private static boolean isDecimal(String token) {
    for (int i = 0; i < token.length(); i++) {
      if (!Character.isDigit(token.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int parseBits(String number) {
    try {
      return Integer.parseInt(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid open mode", e);
    }
  }

  private static AccessMode accessModeOf(String token) {
    String n = token.toUpperCase(Locale.ROOT);
    if (!n.startsWith("O_")) {
      n = "O_" + n;
    }
    for (AccessMode m : AccessMode.values()) {
      if (m.symbol().equals(n)) {
        return m;
      }
    }
    return null;
  }

  /** The access mode. */
  public AccessMode mode() {
    return mode;
  }

  /** The extra flags, unmodifiable. */
  public Set<OpenFlag> flags() {
    return flags;
  }

  /** True when {@code flag} is set. */
  public boolean has(OpenFlag flag) {
    return flags.contains(flag);
  }

  /** A copy with {@code flag} added. */
  public OpenFlags with(OpenFlag flag) {
    EnumSet<OpenFlag> set = EnumSet.noneOf(OpenFlag.class);
    set.addAll(flags);
    set.add(flag);
    return new OpenFlags(mode, set);
  }

  /** A copy with {@code flag} removed. */
  public OpenFlags without(OpenFlag flag) {
    EnumSet<OpenFlag> set = EnumSet.noneOf(OpenFlag.class);
    set.addAll(flags);
    set.remove(flag);
    return new OpenFlags(mode, set);
  }

  /** The Linux flag word. */
  public int linuxBits() {
    int bits = mode.bits();
    for (OpenFlag f : flags) {
      bits |= f.linuxBits();
    }
    return bits;
  }

  /** The FreeBSD flag word. */
  public int freebsdBits() {
    int bits = mode.bits();
    for (OpenFlag f : flags) {
      bits |= f.freebsdBits();
    }
    return bits;
  }

  /** The names joined by {@code |}, access mode first: {@code O_WRONLY|O_CREAT|O_TRUNC}. */
  public String symbolic() {
    StringBuilder sb = new StringBuilder(mode.symbol());
    for (OpenFlag f : flags) {
      sb.append('|').append(f.symbol());
    }
    return sb.toString();
  }

  /**
   * The flag line (without its newline) in the given syntax. Names always follow the access mode in
   * the order of {@link OpenFlag}.
   */
  public String encode(FlagSyntax syntax) {
    return switch (syntax) {
      case NUMERIC -> Integer.toString(linuxBits());
      case NUMERIC_FREEBSD -> Integer.toString(freebsdBits());
      case NUMBER_AND_NAMES -> linuxBits() + " " + symbolic();
      case ACCESS_MODE_AND_NAMES -> mode.bits() + " " + symbolic();
      case NAMES -> symbolic();
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OpenFlags other && mode == other.mode && flags.equals(other.flags);
  }

  @Override
  public int hashCode() {
    return mode.hashCode() * 31 + flags.hashCode();
  }

  @Override
  public String toString() {
    return symbolic();
  }
}
