package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
  private ServerSocket listener;
  private final CountDownLatch done = new CountDownLatch(1);

  @AfterEach
  void stop() throws IOException {
    done.countDown();
    if (listener != null) {
      listener.close();
    }
  }

  /**
   * A one-connection fake that reads requests line by line and answers each letter with {@code
   * answer}'s reply (null: stay silent).
   */
  private int fake(Function<Character, String> answer) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (Socket s = listener.accept()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (String line; (line = line(in)) != null; ) {
                  char letter = line.charAt(0);
                  if ("NOLI".indexOf(letter) >= 0) {
                    line(in); // the second argument line
                  }
                  String reply = answer.apply(letter);
                  if (reply == null) {
                    done.await();
                    return;
                  }
                  out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the client hung up
              }
            },
            "fake-rmt");
    t.setDaemon(true);
    t.start();
    return listener.getLocalPort();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return null;
  }

  private static String classic(char letter) {
    return switch (letter) {
      case 'N' -> "E22\nGarbage command\n";
      case 'I' -> "E22\nInvalid argument\n";
      default -> "A0\n";
    };
  }

  @Test
  void aCountAboveTheRequestIsAProtocolErrorAndClosesTheConnection() throws Exception {
    int port = fake(c -> c == 'R' ? "A999999\n" + "x".repeat(100) : classic(c));
    ClientConfig config =
        ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
    try (Tape t =
        RemoteTapes.open("rmt://127.0.0.1:" + port + "/t", OpenMode.readOnly(), config, Map.of())) {
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
    int port = fake(c -> c == 'R' ? null : classic(c));
    ClientConfig config =
        ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
    try (Tape t =
        RemoteTapes.open("rmt://127.0.0.1:" + port + "/t", OpenMode.readOnly(), config, Map.of())) {
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
    int port = fake(c -> c == 'W' ? null : classic(c));
    ClientConfig config =
        ClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
    try (RemoteTape t =
        (RemoteTape)
            RemoteTapes.open(
                "rmt://127.0.0.1:" + port + "/t", OpenMode.writeOnly(), config, Map.of())) {
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
