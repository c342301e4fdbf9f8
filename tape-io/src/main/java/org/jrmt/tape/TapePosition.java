package org.jrmt.tape;

/**
 * Where a tape is: the file number (filemarks passed since the beginning of tape) and the block
 * number within that file. Either is {@link #UNKNOWN} when the backend cannot tell, as after
 * spacing backward over a filemark on a real drive.
 *
 * @param fileNumber the file number counted from 0 at the beginning of tape, or {@link #UNKNOWN}
 * @param blockNumber the record number within the file counted from 0, or {@link #UNKNOWN}
 */
public record TapePosition(long fileNumber, long blockNumber) {
  /** The value of a number the backend does not know. */
  public static final long UNKNOWN = -1;

  /** The beginning of the tape. */
  public static final TapePosition BOT = new TapePosition(0, 0);
}
