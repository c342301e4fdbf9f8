package org.jrmt.dump;

import java.nio.file.Path;
import jnr.posix.FileStat;
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
  private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

  private Holes() {}

  /** Whether the file may have holes: it has fewer blocks allocated than its size needs. */
  static boolean maybeSparse(Path file, long size) {
    if (size < 2L * ReadAhead.GROUP_BYTES) {
      return false;
    }
    try {
      FileStat st = POSIX.lstat(file.toString());
      return st.isFile() && st.blocks() * 512 < size;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether {@code [start, start + length)} of {@code file} is known to hold no data. False when it
   * holds data or the system cannot tell.
   */
  static boolean none(Path file, long start, long length) {
    int fd =
        POSIX.open(
            file.toString(), O_RDONLY | jnr.constants.platform.OpenFlags.O_NOFOLLOW.intValue(), 0);
    if (fd < 0) {
      return false;
    }
    try {
      long data = POSIX.lseekLong(fd, start, SEEK_DATA);
      if (data < 0) {
        // ENXIO: no data at or after start (the file ends in a hole).
        return POSIX.errno() == ENXIO;
      }
      return data >= start + length;
    } finally {
      POSIX.close(fd);
    }
  }
}
