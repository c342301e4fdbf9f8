package org.jrmt.protocol;

/**
 * A magnetic tape operation (struct mtop's mt_op), independent of any system's numbering. {@link
 * OpNumbering} maps these to and from the numbers on the wire.
 */
public enum TapeOp {
  /** Write filemarks. */
  WEOF,
  /** Write filemarks without waiting for the buffer to drain. */
  WEOFI,
  /** Space forward over filemarks. */
  FSF,
  /** Space backward over filemarks. */
  BSF,
  /** Space forward over records. */
  FSR,
  /** Space backward over records. */
  BSR,
  /** Space forward over filemarks, stop before the last one. */
  FSFM,
  /** Space backward over filemarks, stop after the last one. */
  BSFM,
  /** Space backward over filemarks without stopping at the mark. */
  NBSF,
  REWIND,
  /** Rewind and unload (eject). */
  OFFLINE,
  NOP,
  RESET,
  RETENSION,
  ERASE,
  /** Go to end of recorded data. */
  EOM,
  SETBLK,
  SETDENSITY,
  SEEK,
  TELL,
  SETDRVBUFFER,
  FSS,
  BSS,
  WSM,
  LOCK,
  UNLOCK,
  LOAD,
  UNLOAD,
  COMPRESSION,
  SETPART,
  MKPART,
  CACHE,
  NOCACHE
}
