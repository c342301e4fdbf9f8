package org.jrmt.protocol;

/**
 * The ways clients write the flag line of an {@code O} request: a bare number (in Linux or FreeBSD
 * numbering), a number followed by names, an access mode followed by names, or names alone.
 */
public enum FlagSyntax {
  /** {@code 577}: a bare number with Linux bit values (old BSD-derived Linux clients). */
  NUMERIC,
  /** {@code 1538}: a bare number with FreeBSD bit values (FreeBSD dump and restore). */
  NUMERIC_FREEBSD,
  /**
   * {@code 577 O_WRONLY|O_CREAT|O_TRUNC}: the full Linux number, then names (GNU tar, cpio, mt).
   */
  NUMBER_AND_NAMES,
  /** {@code 1 O_WRONLY|O_CREAT|O_TRUNC}: the access mode only, then names (Linux dump, star). */
  ACCESS_MODE_AND_NAMES,
  /** {@code O_WRONLY|O_CREAT|O_TRUNC}: names only (accepted by GNU and jrmt). */
  NAMES
}
