package org.jrmt.dump;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Who jrestore runs as. Every file-system call of a restore goes through {@code org.jrmt.fs} (by
 * handle, no link followed); none is made here by path.
 */
final class Posix {
  private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

  private Posix() {}

  /** True when the effective user is root: owners are restored, nodes made. */
  static boolean isRoot() {
    return POSIX.geteuid() == 0;
  }
}
