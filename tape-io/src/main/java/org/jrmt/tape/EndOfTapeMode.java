package org.jrmt.tape;

/**
 * How a record write that meets the end of the tape is reported. In both modes nothing of the
 * record is written; the modes mirror what real drivers do so that clients see familiar behaviour.
 */
public enum EndOfTapeMode {
  /** The write throws {@link TapeException} with {@code ENOSPC}, as Linux st does. */
  ENOSPC,
  /** The write returns 0 (a zero-length write), as FreeBSD sa can. */
  ZERO
}
