package org.jrmt.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.tape.TapeException;

/**
 * What a {@link PipelinedWriter} needs of the connection it writes over, and nothing else of the
 * tape: send a write, wait no longer than the reply timeout, give up on the connection, and say
 * what a failed write means in the tape's own terms.
 */
interface WriteChannel {
  /**
   * Sends one write ahead of the replies to the earlier ones; the future completes with its reply
   * in submission order, or with an {@link IOException} when the connection failed.
   */
  CompletableFuture<Reply> send(Request.Write write);

  /** Closes the connection for {@code cause}: every request in flight fails with it. */
  void abort(IOException cause);

  /** True while requests can be sent. */
  boolean isOpen();

  /** How long to wait for a reply before giving the connection up. */
  Duration replyTimeout();

  /** The exception for a write the server answered with {@code reply} instead of its length. */
  TapeException failure(Reply reply);

  /** The exception for a write lost with the connection ({@code cause}). */
  TapeException lost(Throwable cause);

  /** {@code host:device}, the prefix of every message. */
  String where();
}
