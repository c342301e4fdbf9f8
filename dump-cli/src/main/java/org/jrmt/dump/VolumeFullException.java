package org.jrmt.dump;

import java.io.IOException;

/**
 * The volume took no more: end of tape (ENOSPC or a zero-length write). {@link #unwrittenBlocks()}
 * tape records, the last ones handed to the sink, are not on it and must go on the next volume.
 */
public final class VolumeFullException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int unwrittenBlocks;

  /** The volume is full; the last {@code unwrittenBlocks} blocks handed over are not on it. */
  public VolumeFullException(int unwrittenBlocks, String message) {
    super(message);
    this.unwrittenBlocks = unwrittenBlocks;
  }

  /** How many of the last blocks handed over did not make it to the volume. */
  public int unwrittenBlocks() {
    return unwrittenBlocks;
  }
}
