package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.jrmt.client.RemoteTapeNativeTest.CREATE;
import static org.jrmt.client.RemoteTapeNativeTest.RECORD;
import static org.jrmt.client.RemoteTapeNativeTest.record;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PipelinedWriter's buffers for the records: the caller's buffer is free again as soon as write
 * returns; the records handed back after a failure through {@link WriteFailure} are the caller's to
 * keep, and through the {@link RecordWriter} seam they are the writer's own buffers, in order,
 * never copied.
 */
class PipelinedWriterBuffersTest {
  @TempDir Path tmp;

  private final ClientConfig config =
      ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));

  /** A server whose tapes end after 20 records of {@link RemoteTapeNativeTest#RECORD} bytes. */
  private ServerConfig endOfTapeAfter20(EndOfTapeMode mode) {
    return ServerConfig.defaults(tmp)
        .withTapeOptions(
            SimhTape.Options.defaults().withCapacity(20 * 10248 + 5000).withEndOfTapeMode(mode));
  }

  /** Sizes that vary, so that a record read back from the wrong place shows. */
  private static int size(int i) {
    return 1000 + (i * 997) % 9000;
  }

  /**
   * Writes record {@code i} through {@code buffer}, then scribbles over the buffer at once: with
   * the default window the record is still in flight, so only a copy taken by write keeps it.
   */
  private static void writeThenScribble(PipelinedWriter w, ByteBuffer buffer, ByteBuffer record)
      throws TapeException {
    buffer.clear().put(record.duplicate()).flip();
    w.write(buffer);
    buffer.clear();
    while (buffer.hasRemaining()) {
      buffer.put((byte) 0x5a);
    }
  }

  @ParameterizedTest(name = "direct = {0}")
  @ValueSource(booleans = {false, true})
  void callerMayReuseItsBufferAsSoonAsWriteReturns(boolean direct) throws Exception {
    int count = 300;
    ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(RECORD) : ByteBuffer.allocate(RECORD);
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tmp))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String name = "rmt://127.0.0.1:" + a.getPort() + "/reuse";
      try (RemoteTape t = (RemoteTape) RemoteTapes.open(name, CREATE, config, Map.of())) {
        PipelinedWriter w = t.pipeline();
        for (int i = 0; i < count; i++) {
          writeThenScribble(w, buffer, record(i, size(i)));
        }
        w.flush();
        assertThat(w.written()).isEqualTo(count);
      }
      try (Tape t = RemoteTapes.open(name, OpenMode.readOnly(), config, Map.of())) {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < count; i++) {
          assertThat(t.read(in.clear())).as("record " + i).isEqualTo(size(i));
          assertThat(in.flip()).as("record " + i).isEqualTo(record(i, size(i)));
        }
        assertThat(t.read(in.clear())).as("the filemark after the last record").isZero();
      }
    }
  }

  /**
   * The hand-back list must hold copies of its own: after the flush the writer's pooled buffers are
   * given back, and a second run through the same pool would overwrite any record still pointing
   * into them.
   */
  @Test
  void recordsHandedBackAtTheEndOfTapeStayIntactAfterTheFlush() throws Exception {
    ServerConfig sc = endOfTapeAfter20(EndOfTapeMode.ENOSPC);
    ByteBuffer buffer = ByteBuffer.allocate(RECORD);
    WriteFailure failure;
    try (NetworkServer server = new NetworkServer(sc)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String name = "rmt://127.0.0.1:" + a.getPort() + "/eot";
      try (RemoteTape t = (RemoteTape) RemoteTapes.open(name, CREATE, config, Map.of())) {
        PipelinedWriter w = t.pipeline();
        for (int i = 0; i < 50; i++) {
          writeThenScribble(w, buffer, record(i, RECORD));
        }
        failure = catchThrowableOfType(WriteFailure.class, w::flush);
      }
      assertThat(failure).isNotNull();
      assertThat(failure.isEndOfTape()).isTrue();
      assertThat(failure.written()).isEqualTo(20);

      // Another run through the pool, with other bytes, before the hand-back list is looked at.
      ServerConfig roomy = ServerConfig.defaults(tmp.resolve("roomy"));
      try (NetworkServer other = new NetworkServer(roomy)) {
        InetSocketAddress b = other.listen(new InetSocketAddress("127.0.0.1", 0));
        String otherName = "rmt://127.0.0.1:" + b.getPort() + "/other";
        try (RemoteTape t = (RemoteTape) RemoteTapes.open(otherName, CREATE, config, Map.of())) {
          PipelinedWriter w = t.pipeline();
          for (int i = 0; i < 50; i++) {
            writeThenScribble(w, buffer, record(1000 + i, RECORD));
          }
          w.flush();
        }
      }
    }

    List<ByteBuffer> unwritten = failure.unwritten();
    assertThat(unwritten).hasSize(30);
    for (int i = 0; i < 30; i++) {
      ByteBuffer r = unwritten.get(i);
      assertThat(r.isDirect()).as("record %d lives on the heap", 20 + i).isFalse();
      assertThat(r).as("record %d", 20 + i).isEqualTo(record(20 + i, RECORD));
    }
  }

  @Test
  void theRecordWriterHandsBackItsOwnBuffersInWriteOrder() throws Exception {
    ServerConfig sc = endOfTapeAfter20(EndOfTapeMode.ZERO);
    ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD);
    try (NetworkServer server = new NetworkServer(sc)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String name = "rmt://127.0.0.1:" + a.getPort() + "/seam";
      try (Tape t = RemoteTapes.open(name, CREATE, config, Map.of())) {
        RecordWriter w = t.writer();
        int taken = 0;
        TapeException stop = null;
        while (stop == null && taken < 50) {
          buffer.clear().put(record(taken, RECORD)).flip();
          taken++;
          try {
            w.write(buffer);
          } catch (TapeException e) {
            stop = e;
          }
          buffer.clear();
          while (buffer.hasRemaining()) {
            buffer.put((byte) 0x5a);
          }
        }
        if (stop == null) {
          // All 50 went out before the first refusal came back: the flush reports it.
          stop = catchThrowableOfType(TapeException.class, w::flush);
        }
        assertThat(stop).as("the end of the tape").isNotNull();
        assertThat(stop.isEndOfTape()).isTrue();
        assertThat(w.written()).isEqualTo(20);
        TapeException again = catchThrowableOfType(TapeException.class, w::flush);
        assertThat(again.isEndOfTape()).as("sticky").isTrue();
        try (RecordWriter.Unwritten back = w.handBack()) {
          assertThat(back.records()).hasSize(taken - 20);
          for (int i = 0; i < taken - 20; i++) {
            ByteBuffer r = back.records().get(i);
            assertThat(r.isDirect()).as("record %d is the writer's own buffer", 20 + i).isTrue();
            assertThat(r).as("record %d", 20 + i).isEqualTo(record(20 + i, RECORD));
          }
        }
        assertThat(w.handBack().records()).as("handed over once").isEmpty();
      }
    }
  }
}
