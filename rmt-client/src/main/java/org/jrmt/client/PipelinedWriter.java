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
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.TapeException;

/**
 * Writes records over a {@link WriteChannel} (a {@link RemoteTape}'s connection) without waiting
 * for each acknowledgement: up to a window of bytes is in flight, and {@link #write} blocks while
 * the window is full.
 *
 * <p>Pipelining is safe because the server promised {@code sticky-eot}: once one write fails (the
 * end of the tape as {@code E28} or {@code A0}, or any error), it writes none of the later ones. So
 * the records on the tape are exactly those acknowledged before the first failure, and every other
 * record is handed back in write order. Records given to {@link #write} after a failure is known
 * are not sent; they join the ones handed back. Against a server without {@code pipeline} and
 * {@code sticky-eot} the window is one record, which is stop-and-wait with the same reporting.
 *
 * <p>The writer is the one owner of the records it has not seen acknowledged. Each record is copied
 * once, when written, into a pooled direct buffer (the caller may reuse its own buffer at once);
 * the socket and TLS take that buffer without another copy. An acknowledged record's buffer goes
 * back to the pool; a record not written keeps its buffer, untouched by the connection's thread,
 * until it is handed back: by {@link #records()}'s {@link RecordWriter#handBack} as the buffer
 * itself (what jdump's volume writer replays on the next volume), or by {@link #flush()}'s {@link
 * WriteFailure} as a copy its caller may keep. What is never handed back is given up when the tape
 * closes. Use from one thread at a time; the returned futures complete on the connection's thread.
 */
public final class PipelinedWriter {
  /** A record sent, and its reply once it came (then {@code answered}). */
  private static final class Pending {
    final ByteBuf record;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    boolean answered;
    Reply reply;
    Throwable error;

    Pending(ByteBuf record) {
      this.record = record;
    }
  }

  private final WriteChannel channel;
  private final long window;
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private long bytesInFlight;
  private long written;
  private long writtenBytes;
  private long lastReply = System.nanoTime();
  private TapeException failure;

  /** The records not written, in write order: their own pooled buffers, until handed back. */
  private final ArrayDeque<ByteBuf> unwritten = new ArrayDeque<>();

  PipelinedWriter(WriteChannel channel, long window) {
    this.channel = channel;
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
   * @throws TapeException only when waiting for room failed ({@code EINTR}); write failures are
   *     reported by the future and by {@link #flush()}
   */
  public CompletableFuture<Void> write(ByteBuffer record) throws TapeException {
    int n = record.remaining();
    if (n == 0) {
      throw new IllegalArgumentException("an empty record cannot be written");
    }
    ByteBuf mine = PooledByteBufAllocator.DEFAULT.directBuffer(n, n);
    mine.writeBytes(record);
    Pending p = new Pending(mine);
    synchronized (this) {
      boolean handedOver = false;
      try {
        awaitUntil(() -> failure != null || bytesInFlight == 0 || bytesInFlight + n <= window);
        if (failure != null) {
          // Records sent before the failure was known are still being answered; they join the
          // unwritten ones first, so those stay in write order. Nothing more is sent, so this ends.
          awaitUntil(inFlight::isEmpty);
          handedOver = true;
          unwritten.addLast(mine);
          p.done.completeExceptionally(failure);
          return p.done;
        }
        inFlight.addLast(p);
        bytesInFlight += n;
        handedOver = true;
        channel
            .send(new Request.Write(mine.retainedDuplicate()))
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
   * @throws WriteFailure when a write failed: copies of the records not written since the last
   *     report, in write order, and the first failure's errno ({@code ENOSPC} at the end of the
   *     tape); the writer's own buffers go back to the pool
   * @throws TapeException when waiting itself failed
   */
  public synchronized void flush() throws WriteFailure, TapeException {
    awaitUntil(inFlight::isEmpty);
    if (failure != null) {
      List<ByteBuffer> copies = new ArrayList<>(unwritten.size());
      for (ByteBuf b; (b = unwritten.pollFirst()) != null; ) {
        ByteBuffer copy = ByteBuffer.allocate(b.readableBytes());
        b.getBytes(b.readerIndex(), copy);
        b.release();
        copies.add(copy.flip().asReadOnlyBuffer());
      }
      throw new WriteFailure(failure, copies, written);
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

  /**
   * This writer as a {@link RecordWriter}: a write or flush after the failure throws it (once every
   * record in flight is answered), and {@link RecordWriter#handBack} hands over the records not
   * written in their own buffers, without a copy.
   */
  public RecordWriter records() {
    return new Records();
  }

  /** Waits for outstanding replies before the tape is closed, ignoring failures. */
  synchronized void drainQuietly() {
    try {
      awaitUntil(inFlight::isEmpty);
    } catch (TapeException e) {
      // the close that follows reports the connection's state
    }
  }

  /** Gives back the buffers of the records not written that nobody took (the tape closed). */
  synchronized void releaseUnwritten() {
    for (ByteBuf b; (b = unwritten.pollFirst()) != null; ) {
      b.release();
    }
  }

  /**
   * Takes {@code p}'s reply, then settles the answered records at the head, in write order. The
   * replies of a live connection come in order; when it dies, the requests still pending are failed
   * one by one on its thread while a write sent after the death is refused at once on the writer's:
   * either may come first, and the records not written must still come back in write order.
   */
  private synchronized void replied(Pending p, Reply reply, Throwable error) {
    p.answered = true;
    p.reply = reply;
    p.error = error;
    while (!inFlight.isEmpty() && inFlight.peekFirst().answered) {
      settle(inFlight.pollFirst());
    }
    notifyAll();
  }

  private void settle(Pending p) {
    int n = p.record.readableBytes();
    bytesInFlight -= n;
    lastReply = System.nanoTime();
    if (p.error == null && p.reply instanceof Reply.Ack a && a.value() == n) {
      // With sticky-eot nothing is written after a failure; count it anyway if a server did.
      written++;
      writtenBytes += n;
      p.record.release();
      p.done.complete(null);
    } else {
      TapeException why =
          p.error != null ? channel.lost(unwrap(p.error)) : channel.failure(p.reply);
      if (failure == null) {
        failure = why;
      }
      // Kept as it is: the connection's thread neither copies nor frees a record not written.
      unwritten.addLast(p.record);
      p.done.completeExceptionally(why);
    }
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
    long timeout = channel.replyTimeout().toNanos();
    long since = System.nanoTime();
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      long quietSince = lastReply - since > 0 ? lastReply : since;
      long left = timeout - (now - quietSince);
      if (left <= 0) {
        channel.abort(new ReplyTimeout(channel.replyTimeout()));
        since = System.nanoTime();
        if (!done.getAsBoolean() && !channel.isOpen() && inFlight.isEmpty()) {
          break;
        }
        continue;
      }
      try {
        wait(left / 1_000_000 + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.abort(new IOException("interrupted"));
        throw new TapeException(Errno.EINTR, channel.where() + ": interrupted");
      }
    }
  }

  /** The writer seen through the {@link RecordWriter} seam. */
  private final class Records implements RecordWriter {
    @Override
    public void write(ByteBuffer record) throws TapeException {
      PipelinedWriter.this.write(record);
      if (isFailed()) {
        throw stopped();
      }
    }

    @Override
    public void flush() throws TapeException {
      TapeException why = stopped();
      if (why != null) {
        throw why;
      }
    }

    /** Waits until every record in flight is answered; the failure, or null. */
    private TapeException stopped() throws TapeException {
      synchronized (PipelinedWriter.this) {
        awaitUntil(inFlight::isEmpty);
        return failure;
      }
    }

    @Override
    public long written() {
      return PipelinedWriter.this.written();
    }

    @Override
    public Unwritten handBack() {
      List<ByteBuf> taken;
      synchronized (PipelinedWriter.this) {
        taken = new ArrayList<>(unwritten);
        unwritten.clear();
      }
      List<ByteBuffer> list = new ArrayList<>(taken.size());
      for (ByteBuf b : taken) {
        list.add(b.nioBuffer().asReadOnlyBuffer());
      }
      List<ByteBuffer> views = List.copyOf(list);
      return new Unwritten() {
        @Override
        public List<ByteBuffer> records() {
          return views;
        }

        @Override
        public void close() {
          taken.forEach(ByteBuf::release);
          taken.clear();
        }
      };
    }

    @Override
    public void close() {
      releaseUnwritten();
    }
  }
}
