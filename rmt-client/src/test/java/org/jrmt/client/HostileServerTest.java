package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RemoteTape against fake servers that misbehave: a count above the request (CVE-2010-0624), a
 * server that never answers. A fake is the only way to get these replies.
 */
class HostileServerTest {
  private FakeRmtServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** A fake that answers each request letter with {@code answer}'s reply (null: stay silent). */
  private String fake(Function<Character, String> answer) throws IOException {
    server =
        FakeRmtServer.start(
            (letter, out) -> {
              String reply = answer.apply(letter);
              if (reply == null) {
                return false;
              }
              out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
              return true;
            });
    return server.url("t");
  }

  @Test
  void aCountAboveTheRequestIsAProtocolErrorAndClosesTheConnection() throws Exception {
    String url =
        fake(c -> c == 'R' ? "A999999\n" + "x".repeat(100) : FakeRmtServer.classicReply(c));
    ClientConfig config =
        ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
    try (Tape t = RemoteTapes.open(url, OpenMode.readOnly(), config, Map.of())) {
      RemoteTape rt = (RemoteTape) t;
      assertThat(rt.capabilities()).isEmpty();
      assertThat(rt.version1()).isFalse();
      TapeException e =
          catchThrowableOfType(TapeException.class, () -> t.read(ByteBuffer.allocate(10)));
      assertThat(e.errno()).isEqualTo(Errno.EIO);
      assertThat(e.getMessage())
          .startsWith("protocol error from 127.0.0.1: ")
          .contains("A999999 exceeds the 10 requested");
      TapeException after =
          catchThrowableOfType(TapeException.class, () -> t.read(ByteBuffer.allocate(10)));
      assertThat(after.errno()).isEqualTo(Errno.EIO);
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    String url = fake(c -> c == 'R' ? null : FakeRmtServer.classicReply(c));
    ClientConfig config =
        ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
    try (Tape t = RemoteTapes.open(url, OpenMode.readOnly(), config, Map.of())) {
      long start = System.nanoTime();
      TapeException e =
          catchThrowableOfType(TapeException.class, () -> t.read(ByteBuffer.allocate(10)));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT);
      assertThat(e.getMessage()).isEqualTo("127.0.0.1:t: no reply from 127.0.0.1 within 300 ms");
      // The connection was closed: later calls fail at once with the same cause.
      TapeException later = catchThrowableOfType(TapeException.class, () -> t.status());
      assertThat(later.errno()).isEqualTo(Errno.ETIMEDOUT);
      assertThat(later.getMessage()).isEqualTo("127.0.0.1:t: no reply within 300 ms");
    }
  }

  @Test
  void aSilentPipelineTimesOutAndHandsEverythingBack() throws Exception {
    String url = fake(c -> c == 'W' ? null : FakeRmtServer.classicReply(c));
    ClientConfig config =
        ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
    try (RemoteTape t =
        (RemoteTape) RemoteTapes.open(url, OpenMode.writeOnly(), config, Map.of())) {
      PipelinedWriter w = t.pipeline();
      assertThat(w.window()).as("no sticky-eot: one record at a time").isEqualTo(1);
      w.write(ByteBuffer.wrap(new byte[] {1}));
      w.write(ByteBuffer.wrap(new byte[] {2}));
      w.write(ByteBuffer.wrap(new byte[] {3}));
      WriteFailure f = catchThrowableOfType(WriteFailure.class, w::flush);
      assertThat(f.errno()).isEqualTo(Errno.ETIMEDOUT);
      assertThat(f.unwritten())
          .containsExactly(
              ByteBuffer.wrap(new byte[] {1}),
              ByteBuffer.wrap(new byte[] {2}),
              ByteBuffer.wrap(new byte[] {3}));
    }
  }
}
