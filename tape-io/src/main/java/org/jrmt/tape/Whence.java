package org.jrmt.tape;

import java.util.Optional;

/** Where a {@link Tape#seek} offset counts from, numbered as in {@code lseek(2)}. */
public enum Whence {
  /** From the start of the file ({@code SEEK_SET}). */
  SET(0),
  /** From the current position ({@code SEEK_CUR}). */
  CURRENT(1),
  /** From the end of the file ({@code SEEK_END}). */
  END(2);

  private final int number;

  Whence(int number) {
    this.number = number;
  }

  /** The {@code lseek(2)} number. */
  public int number() {
    return number;
  }

  /** The whence with this {@code lseek(2)} number, if any. */
  public static Optional<Whence> of(int number) {
    for (Whence w : values()) {
      if (w.number == number) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }
}
