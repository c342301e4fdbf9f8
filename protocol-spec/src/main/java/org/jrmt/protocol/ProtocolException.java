package org.jrmt.protocol;

import java.io.IOException;

/**
 * The peer broke the protocol (a count larger than requested, a byte out of place, a line too
 * long). The connection is out of step and must be closed; nothing more can be read from it.
 */
public final class ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line description of what the peer sent. */
  public ProtocolException(String message) {
    super(message);
  }
}
