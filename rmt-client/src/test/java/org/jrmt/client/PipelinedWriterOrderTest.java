package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.Test;

/**
 * PipelinedWriter over a fake {@link WriteChannel} that answers when the test says: the replies may
 * complete out of submission order when the connection dies (the requests still pending are failed
 * one by one while a new write is refused at once), and the writer must still report the failure
 * and hand back every record not written in write order. No real connection fails between two of
 * its own callbacks on cue.
 */
class PipelinedWriterOrderTest {
  /** Sends go nowhere until the test completes them; once dead, a send fails at once. */
  private static final class FakeChannel implements WriteChannel {
    final List<CompletableFuture<Reply>> sent = new ArrayList<>();
    IOException dead;

    @Override
    public synchronized CompletableFuture<Reply> send(Request.Write write) {
      write.release();
      CompletableFuture<Reply> f = new CompletableFuture<>();
      if (dead != null) {
        f.completeExceptionally(dead);
      } else {
        sent.add(f);
      }
      return f;
    }

    @Override
    public void abort(IOException cause) {
      dead = cause;
    }

    @Override
    public boolean isOpen() {
      return dead == null;
    }

    @Override
    public Duration replyTimeout() {
      return Duration.ofSeconds(30);
    }

    @Override
    public TapeException failure(Reply reply) {
      return new TapeException(Errno.ENOSPC, "fake: end of tape");
    }

    @Override
    public TapeException lost(Throwable cause) {
      return new TapeException(Errno.EIO, "fake: connection lost: " + cause.getMessage());
    }

    @Override
    public String where() {
      return "fake";
    }
  }

  private static ByteBuffer record(int i) {
    return ByteBuffer.wrap(new byte[] {(byte) i, (byte) i, (byte) i});
  }

  @Test
  void aWriteRefusedBeforeTheEarlierOnesAreFailedStillComesBackLast() throws Exception {
    FakeChannel channel = new FakeChannel();
    PipelinedWriter w = new PipelinedWriter(channel, 1 << 20);
    w.write(record(0));
    w.write(record(1));
    channel.sent.get(0).complete(new Reply.Ack(3));
    // The connection dies: the writer's next record is refused at once, before the replies still
    // pending have been failed.
    channel.dead = new IOException("connection closed by the server");
    w.write(record(2));
    channel.sent.get(1).completeExceptionally(channel.dead);
    w.write(record(3));
    WriteFailure f = catchThrowableOfType(WriteFailure.class, w::flush);
    assertThat(f).as("the failure is reported").isNotNull();
    assertThat(f.errno()).isEqualTo(Errno.EIO);
    assertThat(f.written()).isEqualTo(1);
    assertThat(f.unwritten()).containsExactly(record(1), record(2), record(3));
  }

  @Test
  void theSameThroughTheRecordWriterSeam() throws Exception {
    FakeChannel channel = new FakeChannel();
    PipelinedWriter pipeline = new PipelinedWriter(channel, 1 << 20);
    RecordWriter w = pipeline.records();
    w.write(record(0));
    w.write(record(1));
    channel.dead = new IOException("connection closed by the server");
    Thread late =
        new Thread(
            () -> {
              // The connection's thread fails the pending replies a moment later, oldest first.
              channel.sent.get(0).completeExceptionally(channel.dead);
              channel.sent.get(1).completeExceptionally(channel.dead);
            });
    synchronized (pipeline) {
      late.start();
      // The refused write's reply comes first, on this thread, while the others wait for the lock.
      w.write(record(2));
    }
    late.join();
    TapeException e = catchThrowableOfType(TapeException.class, w::flush);
    assertThat(e).as("the failure is reported").isNotNull();
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(w.written()).isZero();
    try (RecordWriter.Unwritten back = w.handBack()) {
      assertThat(back.records()).containsExactly(record(0), record(1), record(2));
    }
  }
}
