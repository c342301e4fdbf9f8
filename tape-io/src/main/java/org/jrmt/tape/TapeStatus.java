package org.jrmt.tape;

/**
 * A snapshot of a tape's state, the portable content of {@code struct mtget}.
 *
 * @param beginningOfTape positioned at the beginning of the tape (GMT_BOT)
 * @param afterFilemark positioned just after a filemark (GMT_EOF)
 * @param endOfTape at or past the early-warning point, or a write has met the end (GMT_EOT)
 * @param endOfData positioned at the end of recorded data (GMT_EOD)
 * @param writeProtected the medium cannot be written (GMT_WR_PROT)
 * @param online a medium is loaded and ready (GMT_ONLINE)
 * @param blockSize the fixed block size in bytes, 0 for variable-length records, -1 if unknown
 * @param density the density code, -1 if unknown
 * @param fileNumber the file number, or {@link TapePosition#UNKNOWN}
 * @param blockNumber the block number within the file, or {@link TapePosition#UNKNOWN}
 */
public record TapeStatus(
    boolean beginningOfTape,
    boolean afterFilemark,
    boolean endOfTape,
    boolean endOfData,
    boolean writeProtected,
    boolean online,
    int blockSize,
    int density,
    long fileNumber,
    long blockNumber) {

  /** The file and block numbers as a position. */
  public TapePosition position() {
    return new TapePosition(fileNumber, blockNumber);
  }
}
