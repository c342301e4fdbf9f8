package org.jrmt.client;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;

/**
 * An ordered request/reply channel to one rmt server. Requests may be submitted ahead of their
 * replies; replies complete the futures in the order the requests were submitted. When the channel
 * fails (connection lost, protocol violation, closed), every outstanding future and every later
 * submission fails with an {@link IOException} naming the cause.
 */
abstract class Wire implements AutoCloseable {
  private final Deque<CompletableFuture<Reply>> pending = new ArrayDeque<>();
  private IOException failure;

  /** Sends {@code request}; the future completes with its reply or an {@link IOException}. */
  final CompletableFuture<Reply> submit(Request request) {
    CompletableFuture<Reply> f = new CompletableFuture<>();
    synchronized (this) {
      if (failure != null) {
        release(request);
        f.completeExceptionally(failure);
        return f;
      }
      pending.addLast(f);
      send(request);
    }
    return f;
  }

  /**
   * Puts {@code request} on the wire (called under the wire's lock, in submission order). Must not
   * block for long; a failure to send is reported through {@link #fail}.
   */
  abstract void send(Request request);

  /** Completes the oldest outstanding request with {@code reply}. */
  final void received(Reply reply) {
    CompletableFuture<Reply> f;
    synchronized (this) {
      f = pending.pollFirst();
    }
    if (f == null || !f.complete(reply)) {
      release(reply);
    }
  }

  /** Marks the wire dead with {@code cause} and fails every outstanding request, oldest first. */
  final void fail(IOException cause) {
    Deque<CompletableFuture<Reply>> failed;
    synchronized (this) {
      if (failure == null) {
        failure = cause;
      }
      failed = new ArrayDeque<>(pending);
      pending.clear();
    }
    for (CompletableFuture<Reply> f : failed) {
      f.completeExceptionally(failure);
    }
    shutdown();
  }

  /** The reason the wire died, or null while it works. */
  final synchronized IOException failure() {
    return failure;
  }

  /** True while requests can be sent. */
  final synchronized boolean isOpen() {
    return failure == null;
  }

  /** Stops the transport abruptly (idempotent). */
  abstract void shutdown();

  /**
   * Ends the session in order: the transport is told no more requests come (EOF) and given a moment
   * to finish, then stopped.
   */
  @Override
  public void close() {
    fail(new IOException("connection closed"));
  }

  static void release(Object o) {
    io.netty.util.ReferenceCountUtil.release(o);
  }
}
