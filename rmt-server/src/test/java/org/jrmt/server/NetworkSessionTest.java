package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jrmtd's network behaviour: pipelining with sticky end of tape, and its limits. */
class NetworkSessionTest {
  @TempDir Path dir;

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Reads until {@code n} bytes or end of stream. */
  private static String read(InputStream in, int n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (out.size() < n) {
      int r = in.read(buf, 0, Math.min(buf.length, n - out.size()));
      if (r < 0) {
        break;
      }
      out.write(buf, 0, r);
    }
    return ascii(out.toByteArray());
  }

  private static Socket connect(InetSocketAddress a) throws IOException {
    Socket s = new Socket(a.getAddress(), a.getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void pipelinedWritesPastTheEndOfTapeAreAllRefusedAndNoneWritten() throws Exception {
    // 1000-byte records take 1008 bytes framed: 3 fit in 3100 bytes.
    ServerConfig config =
        ServerConfig.defaults(dir)
            .withTapeOptions(
                SimhTape.Options.defaults()
                    .withCapacity(3100)
                    .withEndOfTapeMode(EndOfTapeMode.ENOSPC));
    try (NetworkServer server = new NetworkServer(config);
        Socket s = connect(server.listen(new InetSocketAddress("127.0.0.1", 0)))) {
      OutputStream out = s.getOutputStream();
      StringBuilder req =
          new StringBuilder("N1\npipeline sticky-eot\nOt\n577 O_WRONLY|O_CREAT|O_TRUNC\n");
      for (int i = 0; i < 6; i++) {
        req.append("W1000\n").append(String.valueOf((char) ('a' + i)).repeat(1000));
      }
      // A short record that would fit after the third: sticky end of tape refuses it too.
      req.append("W10\n0123456789C\n");
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String caps = "1 pipeline sticky-eot window=67108864 max-record=16777216";
      String e28 = "E28\nNo space left on device\n";
      String expected =
          "A" + caps.length() + "\n" + caps + "A0\n" + "A1000\n".repeat(3) + e28.repeat(4) + "A0\n";
      assertThat(read(in, expected.length())).isEqualTo(expected);
    }
    try (SimhTape t = SimhTape.open(dir.resolve("t.tap"), OpenMode.readOnly())) {
      ByteBuffer b = ByteBuffer.allocate(2000);
      for (char c = 'a'; c <= 'c'; c++) {
        b.clear();
        assertThat(t.read(b)).isEqualTo(1000);
        assertThat((char) b.get(0)).isEqualTo(c);
      }
      b.clear();
      assertThat(t.read(b)).as("then the closing filemark").isZero();
    }
  }

  @Test
  void sessionsOverTheLimitAreRefusedWithE16() throws Exception {
    ServerConfig config =
        ServerConfig.defaults(dir)
            .withLimits(ServerConfig.DEFAULT_WINDOW, Duration.ofHours(1), 1, 1);
    try (NetworkServer server = new NetworkServer(config)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      try (Socket first = connect(a)) {
        first.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(read(first.getInputStream(), 3)).isEqualTo("A2\n");
        try (Socket second = connect(a)) {
          // Refused at its first request: until then it is no one and holds no slot.
          second.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(read(second.getInputStream(), 100)).isEqualTo("E16\nToo many sessions\n");
        }
      }
    }
  }

  @Test
  void oneIdentityCannotTakeEverySlot() throws Exception {
    ServerConfig config =
        ServerConfig.defaults(dir)
            .withLimits(ServerConfig.DEFAULT_WINDOW, Duration.ofHours(1), 10, 2);
    try (NetworkServer server = new NetworkServer(config)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      try (Socket one = connect(a);
          Socket two = connect(a)) {
        for (Socket s : new Socket[] {one, two}) {
          s.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(read(s.getInputStream(), 3)).isEqualTo("A2\n");
        }
        try (Socket three = connect(a)) {
          three.getOutputStream().write("V0\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(read(three.getInputStream(), 100)).isEqualTo("E16\nToo many sessions\n");
        }
      }
    }
  }

  @Test
  void idleSessionIsToldAndClosed() throws Exception {
    ServerConfig config =
        ServerConfig.defaults(dir)
            .withLimits(ServerConfig.DEFAULT_WINDOW, Duration.ofMillis(300), 10, 10);
    try (NetworkServer server = new NetworkServer(config);
        Socket s = connect(server.listen(new InetSocketAddress("127.0.0.1", 0)))) {
      s.getOutputStream().write("Ot\n577 O_WRONLY|O_CREAT\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(read(s.getInputStream(), 3)).isEqualTo("A0\n");
      // Blocks until the server gives up on the silent client: its reply, then end of stream.
      assertThat(read(s.getInputStream(), 100)).isEqualTo("E5\nIdle timeout\n");
    }
  }
}
