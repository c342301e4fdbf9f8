package org.jrmt.dump;

import java.io.IOException;

/** A dump stream that is not what the format says: bad magic, checksum, type or structure. */
public class DumpFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line description. */
  public DumpFormatException(String message) {
    super(message);
  }
}
