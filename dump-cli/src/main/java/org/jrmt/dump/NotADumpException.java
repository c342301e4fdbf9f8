package org.jrmt.dump;

/**
 * The stream does not start as volume 1 of a dump (no valid volume header, or another volume):
 * nothing of it can be read, as opposed to damage found inside a dump.
 */
public final class NotADumpException extends DumpFormatException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line description. */
  public NotADumpException(String message) {
    super(message);
  }
}
