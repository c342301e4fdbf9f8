package org.jrmt.protocol;

/**
 * How a server reads an open request whose flag line is a bare number, with no symbolic names.
 *
 * <p>Numeric flags are OS-specific beyond the access mode: Linux O_CREAT is 0100, FreeBSD's is
 * 0x200. A server cannot know the client's OS, so by default it trusts only the access mode, as
 * Linux dump's rmt does. Every GNU, dump and star client also sends symbolic names, which take
 * precedence.
 */
public enum NumericFlags {
  /** Keep only O_ACCMODE; never create or truncate on a bare number (the safe default). */
  ACCESS_MODE_ONLY,
  /** Read the number with Linux bit values. */
  LINUX,
  /** Read the number with FreeBSD bit values. */
  FREEBSD
}
