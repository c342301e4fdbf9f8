package org.jrmt.tape;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a tape or file is opened: the access mode and the creation flags of {@code open(2)}.
 *
 * <p>Tapes interpret the flags in their own terms: for a virtual tape {@link Flag#TRUNCATE} means a
 * blank tape; drives pass the flags to {@code open(2)} unchanged.
 *
 * @param access what the caller may do
 * @param flags creation flags; copied, never null
 */
public record OpenMode(Access access, Set<Flag> flags) {

  /** The access mode ({@code O_RDONLY}, {@code O_WRONLY}, {@code O_RDWR}). */
  public enum Access {
    READ_ONLY,
    WRITE_ONLY,
    READ_WRITE
  }

  /** Creation and status flags. */
  public enum Flag {
    /** Create the file if it does not exist ({@code O_CREAT}). */
    CREATE,
    /** Truncate an existing file; for a virtual tape, start from a blank tape ({@code O_TRUNC}). */
    TRUNCATE,
    /** With {@link #CREATE}, fail with EEXIST if the file exists ({@code O_EXCL}). */
    EXCLUSIVE,
    /** Every write goes to the end of a plain file ({@code O_APPEND}); tapes reject it. */
    APPEND
  }

  /** Validates and copies the flags. */
  public OpenMode {
    Objects.requireNonNull(access, "access");
    flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
  }

  /** Read-only, no flags. */
  public static OpenMode readOnly() {
    return new OpenMode(Access.READ_ONLY, Set.of());
  }

  /** Write-only, no flags. */
  public static OpenMode writeOnly() {
    return new OpenMode(Access.WRITE_ONLY, Set.of());
  }

  /** Read-write, no flags. */
  public static OpenMode readWrite() {
    return new OpenMode(Access.READ_WRITE, Set.of());
  }

  /** This mode with the given flags added. */
  public OpenMode with(Flag... more) {
    EnumSet<Flag> all = EnumSet.noneOf(Flag.class);
    all.addAll(flags);
    all.addAll(Set.of(more));
    return new OpenMode(access, all);
  }

  /** True when the flag is set. */
  public boolean has(Flag flag) {
    return flags.contains(flag);
  }

  /** True when the mode allows reading. */
  public boolean canRead() {
    return access != Access.WRITE_ONLY;
  }

  /** True when the mode allows writing. */
  public boolean canWrite() {
    return access != Access.READ_ONLY;
  }
}
