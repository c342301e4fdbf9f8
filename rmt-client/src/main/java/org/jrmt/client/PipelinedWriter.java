package org.jrmt.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.tape.TapeException;

/**
 * Writes records to a {@link RemoteTape} without waiting for each acknowledgement: up to a window
 * of bytes is in flight, and {@link #write} blocks while the window is full.
 *
 * <p>Pipelining is safe because the server promised {@code sticky-eot}: once one write fails (the
 * end of the tape as {@code E28} or {@code A0}, or any error), it writes none of the later ones. So
 * the records on the tape are exactly those acknowledged before the first failure, and every other
 * record is handed back, in write order, by {@link #flush()} as {@link WriteFailure#unwritten()}.
 * Records given to {@link #write} after a failure is known are not sent; they join that list.
 * Against a server without {@code pipeline} and {@code sticky-eot} the window is one record, which
 * is stop-and-wait with the same reporting.
 *
 * <p>Each record is copied when written, so the caller may reuse its buffer at once. The copy goes
 * into a pooled direct buffer, given back when the record is acknowledged: the socket (and TLS)
 * take it without another copy, and a long run allocates no fresh memory per record. Use from one
 * thread at a time; the returned futures complete on the connection's thread.
 */
public final class PipelinedWriter {
  private record Pending(ByteBuf record, CompletableFuture<Void> done) {
    /** The record as a heap copy, and its pooled buffer given back: for the hand-back list. */
    ByteBuffer handBack() {
      ByteBuffer copy = ByteBuffer.allocate(record.readableBytes());
      record.getBytes(record.readerIndex(), copy);
      record.release();
      return copy.flip().asReadOnlyBuffer();
    }
  }

  private final RemoteTape tape;
  private final long window;
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private long bytesInFlight;
  private long written;
  private long writtenBytes;
  private long lastReply = System.nanoTime();
  private TapeException failure;
  private final List<ByteBuffer> unwritten = new ArrayList<>();

  PipelinedWriter(RemoteTape tape, long window) {
    this.tape = tape;
    this.window = window;
  }

  /** The most bytes kept in flight (one record more when a single record is larger). */
  public long window() {
    return window;
  }

  /**
   * Sends one record, blocking while the window is full. The future completes when the server has
   * acknowledged the record, or exceptionally with the record's {@link TapeException} when it was
   * not written.
   *
   * @throws TapeException only when waiting for room failed ({@code ETIMEDOUT}, {@code EINTR});
   *     write failures are reported by the future and by {@link #flush()}
   */
  public CompletableFuture<Void> write(ByteBuffer record) throws TapeException {
    int n = record.remaining();
    if (n == 0) {
      throw new IllegalArgumentException("an empty record cannot be written");
    }
    ByteBuf mine = PooledByteBufAllocator.DEFAULT.directBuffer(n, n);
    mine.writeBytes(record);
    Pending p = new Pending(mine, new CompletableFuture<>());
    synchronized (this) {
      boolean handedOver = false;
      try {
        awaitUntil(() -> failure != null || bytesInFlight == 0 || bytesInFlight + n <= window);
        if (failure != null) {
          // Records sent before the failure was known are still being answered; they go into the
          // hand-back list first, so it stays in write order. Nothing more is sent, so this ends.
          awaitUntil(inFlight::isEmpty);
          handedOver = true;
          unwritten.add(p.handBack());
          p.done.completeExceptionally(failure);
          return p.done;
        }
        inFlight.addLast(p);
        bytesInFlight += n;
        handedOver = true;
        tape.wire()
            .submit(new Request.Write(mine.retainedDuplicate()))
            .whenComplete((reply, error) -> replied(p, reply, error));
      } finally {
        if (!handedOver) {
          mine.release(); // waiting failed: the record was never sent
        }
      }
    }
    return p.done;
  }

  /**
   * Waits for every reply.
   *
   * @throws WriteFailure when a write failed: the records not written since the last report, in
   *     write order, and the first failure's errno ({@code ENOSPC} at the end of the tape)
   * @throws TapeException when waiting itself failed
   */
  public synchronized void flush() throws WriteFailure, TapeException {
    awaitUntil(inFlight::isEmpty);
    if (failure != null) {
      List<ByteBuffer> list = List.copyOf(unwritten);
      unwritten.clear();
      throw new WriteFailure(failure, list, written);
    }
  }

  /** True once a write failed; nothing more is sent through this writer. */
  public synchronized boolean isFailed() {
    return failure != null;
  }

  /** The number of records acknowledged. */
  public synchronized long written() {
    return written;
  }

  /** The number of bytes acknowledged. */
  public synchronized long writtenBytes() {
    return writtenBytes;
  }

  /** Waits for outstanding replies before the tape is closed, ignoring failures. */
  synchronized void drainQuietly() {
    try {
      awaitUntil(inFlight::isEmpty);
    } catch (TapeException e) {
      // the close that follows reports the connection's state
    }
  }

  private synchronized void replied(Pending p, Reply reply, Throwable error) {
    Pending head = inFlight.pollFirst();
    if (head != p) {
      p.record.release();
      throw new IllegalStateException("replies out of order");
    }
    int n = p.record.readableBytes();
    bytesInFlight -= n;
    lastReply = System.nanoTime();
    if (error == null && reply instanceof Reply.Ack a && a.value() == n) {
      // With sticky-eot nothing is written after a failure; count it anyway if a server did.
      written++;
      writtenBytes += n;
      p.record.release();
      p.done.complete(null);
    } else {
      TapeException why = error != null ? tape.lost(unwrap(error)) : tape.failure(reply);
      if (failure == null) {
        failure = why;
      }
      unwritten.add(p.handBack());
      p.done.completeExceptionally(why);
    }
    notifyAll();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Waits, holding this writer's lock, until {@code done}; a silence of the reply timeout closes
   * the connection, which fails every record in flight.
   */
  private void awaitUntil(BooleanSupplier done) throws TapeException {
    long timeout = tape.replyTimeout().toNanos();
    long since = System.nanoTime();
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      long quietSince = lastReply - since > 0 ? lastReply : since;
      long left = timeout - (now - quietSince);
      if (left <= 0) {
        tape.wire()
            .fail(new IOException("no reply within " + tape.replyTimeout().toMillis() + " ms"));
        since = System.nanoTime();
        if (!done.getAsBoolean() && !tape.wire().isOpen() && inFlight.isEmpty()) {
          break;
        }
        continue;
      }
      try {
        wait(left / 1_000_000 + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tape.wire().fail(new IOException("interrupted"));
        throw new TapeException(Errno.EINTR, tape.where() + ": interrupted");
      }
    }
  }
}
