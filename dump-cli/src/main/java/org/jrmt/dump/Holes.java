package org.jrmt.dump;

import java.nio.file.Path;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Finds the holes of sparse files without reading them: a 4 GiB file that is all hole would
 * otherwise cost 4 GiB of zeros read from the kernel. Asks with {@code lseek(SEEK_DATA)} (Linux,
 * FreeBSD); where that is not available the answer is "not known", and the caller reads.
 */
final class Holes {
  private static final int SEEK_DATA = 3;
  private static final int ENXIO = 6;
  private static final int O_RDONLY = 0;

  private Holes() {}

  /**
   * Loaded on first use only: binding the C library costs a tenth of a second at start-up. Null
   * where the binding cannot be had (the callers then read, as without holes).
   */
  private static final class Native {
    static final POSIX POSIX = load();

    private static POSIX load() {
      try {
        POSIX posix = POSIXFactory.getNativePOSIX();
        return posix.isNative() ? posix : null;
      } catch (RuntimeException | LinkageError e) {
        return null;
      }
    }
  }

  /**
   * Whether {@code [start, start + length)} of {@code file} is known to hold no data. False when it
   * holds data or the system cannot tell.
   */
  static boolean none(Path file, long start, long length) {
    POSIX posix = Native.POSIX;
    if (posix == null) {
      return false;
    }
    int fd =
        posix.open(
            file.toString(), O_RDONLY | jnr.constants.platform.OpenFlags.O_NOFOLLOW.intValue(), 0);
    if (fd < 0) {
      return false;
    }
    try {
      long data = posix.lseekLong(fd, start, SEEK_DATA);
      if (data < 0) {
        // ENXIO: no data at or after start (the file ends in a hole).
        return posix.errno() == ENXIO;
      }
      return data >= start + length;
    } finally {
      posix.close(fd);
    }
  }
}
