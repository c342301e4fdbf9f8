package org.jrmt.client;

import java.io.IOException;
import java.time.Duration;

/**
 * The cause a connection is failed with when the server stays silent for the reply timeout; its
 * type, not its message, is what makes the error ETIMEDOUT.
 */
final class ReplyTimeout extends IOException {
  private static final long serialVersionUID = 1L;

  ReplyTimeout(Duration timeout) {
    super("no reply within " + timeout.toMillis() + " ms");
  }
}
