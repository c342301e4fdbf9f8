package org.jrmt.dump;

import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FsException;

/**
 * Finds the holes of sparse files without reading them: a 4 GiB file that is all hole would
 * otherwise cost 4 GiB of zeros read from the kernel. Asks with {@code lseek(SEEK_DATA)}; where the
 * file system cannot tell, the answer is "not known", and the caller reads.
 */
final class Holes {
  private Holes() {}

  /**
   * Whether {@code [start, start + length)} of the open {@code file} is known to hold no data.
   * False when it holds data or the system cannot tell.
   */
  static boolean none(FileHandle file, long start, long length) {
    try {
      long data = file.nextData(start);
      return data < 0 || data >= start + length;
    } catch (FsException e) {
      return false;
    }
  }
}
