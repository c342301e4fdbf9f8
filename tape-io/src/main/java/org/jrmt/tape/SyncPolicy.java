package org.jrmt.tape;

/**
 * When a file-backed tape forces its data to stable storage ({@code fsync}).
 *
 * <p>The default is {@link #FILEMARK_AND_CLOSE}. A server acknowledges a write only after {@link
 * Tape#write} returned, and every record so acknowledged must survive a SIGKILL of the process.
 * Each record is handed to the kernel with a {@code write(2)} before {@code write} returns, so it
 * is in the page cache, which belongs to the kernel and outlives the process: killing the process
 * loses nothing. {@code fsync} only matters when the machine itself crashes or loses power; syncing
 * at filemarks and on close bounds that loss to the file being written, at a cost paid once per
 * file rather than once per record.
 */
public enum SyncPolicy {
  /** Never force; the kernel writes back when it likes. Survives process death only. */
  NEVER,
  /** Force after writing filemarks and when closing. The default; see the type's comment. */
  FILEMARK_AND_CLOSE,
  /** Force after every record and filemark. Survives machine crashes; slow. */
  EVERY_RECORD;

  /** The policy used when none is configured. */
  public static final SyncPolicy DEFAULT = FILEMARK_AND_CLOSE;
}
