package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RemoteTape against a server that lies in ways {@link HostileServerTest} does not cover: replies
 * that never end, bytes out of step with the requests, counts out of any range. The client must
 * fail with a protocol error, promptly, having read only a bounded amount and allocated nothing the
 * liar asked for.
 */
class LyingServerTest {
  /** Far more than any reply line or status the client may buffer, far less than endless. */
  private static final long BOUND = 64L << 20;

  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final ClientConfig CONFIG =
      ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));

  private FakeRmtServer server;
  private final AtomicLong sent = new AtomicLong();

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** What the liar sends for one request letter. */
  interface Answer {
    /** Writes the answer; may write forever (until the client hangs up). */
    void to(char letter, OutputStream out) throws IOException;
  }

  /** Writes {@code head} and then {@code filler} bytes until the client goes away. */
  private void endless(OutputStream out, String head, byte filler) throws IOException {
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, filler);
    while (sent.get() < 4 * BOUND) {
      out.write(chunk);
      sent.addAndGet(chunk.length);
    }
  }

  /** What the liar sends instead of the honest answer to one request letter. */
  interface Lie {
    void write(OutputStream out) throws IOException;
  }

  /** A server honest in everything but its answers to {@code letter}. */
  private String lyingTo(char letter, Lie lie) throws IOException {
    return start(
        (c, out) -> {
          if (c == letter) {
            lie.write(out);
          } else {
            FakeRmtServer.classic(c, out);
          }
        });
  }

  private String start(Answer answer) throws IOException {
    server =
        FakeRmtServer.start(
            (letter, out) -> {
              answer.to(letter, out);
              return true;
            });
    return server.url("t");
  }

  /** Runs {@code action} on a tape from the liar and returns the error it must end in. */
  private TapeException failure(String name, OpenMode mode, TapeAction action) {
    return assertTimeoutPreemptively(
        LIMIT,
        () -> {
          try (Tape t = RemoteTapes.open(name, mode, CONFIG, Map.of())) {
            TapeException e = catchThrowableOfType(TapeException.class, () -> action.on(t));
            assertThat(e).as("an error, not a result").isNotNull();
            assertThat(sent.get()).as("bytes the client took in").isLessThan(BOUND);
            // The connection is condemned: the next call fails at once, not with a stale reply.
            TapeException after =
                catchThrowableOfType(TapeException.class, () -> t.read(ByteBuffer.allocate(10)));
            assertThat(after).isNotNull();
            return e;
          }
        });
  }

  interface TapeAction {
    void on(Tape t) throws Exception;
  }

  @Test
  void anEndlessReplyLineIsCutShort() throws Exception {
    String name = lyingTo('R', out -> endless(out, "A", (byte) '1'));
    TapeException e = failure(name, OpenMode.readOnly(), t -> t.read(ByteBuffer.allocate(10)));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage()).startsWith("protocol error from 127.0.0.1: ");
  }

  @Test
  void anEndlessErrorMessageIsCutShort() throws Exception {
    String name = lyingTo('R', out -> endless(out, "E5\n", (byte) 'x'));
    TapeException e = failure(name, OpenMode.readOnly(), t -> t.read(ByteBuffer.allocate(10)));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage()).startsWith("protocol error from 127.0.0.1: ");
  }

  @Test
  void anEndlessStreamOfRepliesIsNotTakenForAnswers() throws Exception {
    // Every request gets a thousand acknowledgements: all but the first answer nothing asked.
    String name =
        lyingTo('W', out -> out.write("A3\n".repeat(1000).getBytes(StandardCharsets.ISO_8859_1)));
    TapeException e =
        failure(
            name,
            OpenMode.writeOnly(),
            t -> {
              for (int i = 0; i < 1000; i++) {
                t.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
              }
            });
    assertThat(e.errno()).isEqualTo(Errno.EIO);
  }

  @Test
  void repliesOutOfStepAreAProtocolError() throws Exception {
    // Data bytes where a status line belongs: the read gets a line that is no reply.
    String name =
        lyingTo('R', out -> out.write("abc\ndef\n".getBytes(StandardCharsets.ISO_8859_1)));
    TapeException e = failure(name, OpenMode.readOnly(), t -> t.read(ByteBuffer.allocate(10)));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage()).startsWith("protocol error from 127.0.0.1: ");
  }

  @Test
  void countsOutOfRangeAreAProtocolError() throws Exception {
    for (String lie : new String[] {"A-5\n", "A99999999999999999999\n", "A2147483648\n"}) {
      sent.set(0);
      stop();
      String name =
          start(
              (c, out) -> {
                if (c == 'R' || c == 'S') {
                  out.write(lie.getBytes(StandardCharsets.ISO_8859_1));
                  endless(out, "", (byte) 0);
                } else {
                  FakeRmtServer.classic(c, out);
                }
              });
      TapeException e =
          failure(name, OpenMode.readOnly(), t -> t.read(ByteBuffer.allocate(1 << 20)));
      assertThat(e.errno()).as(lie).isEqualTo(Errno.EIO);
    }
  }

  @Test
  void aServerOverItsSessionLimitIsReportedAsSuch() throws Exception {
    // What jrmtd says to a connection beyond max-sessions, whatever was asked, before closing.
    String name =
        start(
            (c, out) -> {
              out.write("E16\nToo many sessions\n".getBytes(StandardCharsets.ISO_8859_1));
              out.flush();
              throw new IOException("hang up");
            });
    TapeException e =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                catchThrowableOfType(
                    TapeException.class,
                    () -> RemoteTapes.open(name, OpenMode.readOnly(), CONFIG, Map.of()).close()));
    assertThat(e.errno()).isEqualTo(Errno.EBUSY);
    assertThat(e.getMessage()).isEqualTo("127.0.0.1:t: refused: Too many sessions");
  }

  @Test
  void aHugeStatusIsNotAllocated() throws Exception {
    String name = lyingTo('S', out -> endless(out, "A2000000000\n", (byte) 0));
    TapeException e = failure(name, OpenMode.readOnly(), Tape::status);
    assertThat(e.errno()).isEqualTo(Errno.EIO);
  }
}
