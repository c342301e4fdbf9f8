package org.jrmt.tape;

import java.util.Optional;

/**
 * The portable tape motion and marking operations ({@code MTIOCTOP} ops) with their numbers on
 * Linux ({@code linux/mtio.h}) and FreeBSD ({@code sys/mtio.h}). The two systems agree only on FSF,
 * BSF, FSR and BSR, so a number alone never identifies an operation without its system.
 */
public enum TapeOperation {
  /** Write {@code count} filemarks. */
  WRITE_FILEMARKS(5, 0),
  /** Space forward over {@code count} filemarks. */
  SPACE_FORWARD_FILES(1, 1),
  /** Space backward over {@code count} filemarks. */
  SPACE_BACKWARD_FILES(2, 2),
  /** Space forward over {@code count} records. */
  SPACE_FORWARD_RECORDS(3, 3),
  /** Space backward over {@code count} records. */
  SPACE_BACKWARD_RECORDS(4, 4),
  /** Rewind to the beginning of the tape. */
  REWIND(6, 5),
  /** Rewind and unload (take offline). */
  OFFLINE(7, 6),
  /** Do nothing; used to refresh status. */
  NOP(8, 7),
  /** Space to the end of recorded data. */
  END_OF_DATA(12, 13),
  /** Erase from the current position to the end of the tape. */
  ERASE(13, 12);

  private final int linux;
  private final int freebsd;

  TapeOperation(int linux, int freebsd) {
    this.linux = linux;
    this.freebsd = freebsd;
  }

  /** The {@code mt_op} number on Linux. */
  public int linuxNumber() {
    return linux;
  }

  /** The {@code mt_op} number on FreeBSD. */
  public int freebsdNumber() {
    return freebsd;
  }

  /** The operation with this Linux {@code mt_op} number, if it is one of the portable ones. */
  public static Optional<TapeOperation> ofLinux(int number) {
    for (TapeOperation op : values()) {
      if (op.linux == number) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** The operation with this FreeBSD {@code mt_op} number, if it is one of the portable ones. */
  public static Optional<TapeOperation> ofFreebsd(int number) {
    for (TapeOperation op : values()) {
      if (op.freebsd == number) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
