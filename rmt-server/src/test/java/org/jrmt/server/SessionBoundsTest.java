package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jrmt.protocol.testing.Await;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that sends requests without end and never reads a reply: whatever it asks, jrmtd stops
 * reading from it once the session's queues are full (decoded requests, replies not taken) and
 * holds no more than those bounds, instead of buffering until the heap is gone.
 */
class SessionBoundsTest {
  private static final int REQUESTS = 64;
  private static final int REPLY_BYTES = 64 << 10;
  private static final int RECORD = 64 << 10;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"S\n", "V0\n", "R65536\n", "Rx\n", "sT", "L0\n0\n", "I6\n1\n"})
  void aClientThatNeverReadsIsNoLongerReadAndHoldsBoundedMemory(String request) throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Path big = files.resolve("big");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1L << 30); // sparse: reads cost no disk
    }
    ServerConfig config =
        new ServerConfig.Builder(dir.resolve("tapes"))
            .fileDirs(List.of(files))
            .maxQueuedRequests(REQUESTS)
            .maxQueuedReplyBytes(REPLY_BYTES)
            .build();
    TestAllocator alloc = TestAllocator.counting();
    try (NetworkServer server = new NetworkServer(config, alloc)) {
      InetSocketAddress address = server.listen(new InetSocketAddress("127.0.0.1", 0));
      AtomicLong sent = new AtomicLong();
      Socket s = new Socket();
      // A small receive buffer: the kernel takes few replies off the server's hands.
      s.setReceiveBufferSize(16 << 10);
      s.connect(address, 5_000);
      Thread flood =
          new Thread(
              () -> {
                byte[] chunk =
                    request.repeat((64 << 10) / request.length()).getBytes(StandardCharsets.UTF_8);
                try {
                  OutputStream out = s.getOutputStream();
                  out.write(("O" + big + "\n0 O_RDONLY\n").getBytes(StandardCharsets.UTF_8));
                  while (sent.get() < (64L << 20)) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                  }
                } catch (IOException e) {
                  // closed at the end of the test
                }
              },
              "flood");
      flood.setDaemon(true);
      flood.start();
      try {
        // Held for good: replies past their bound (the device thread waits for the client) and
        // the socket no longer read. Short pauses come and go before, while the queue drains.
        Await.until(
            () -> {
              NetworkServer.Backlog b = server.backlog();
              return b.notReading() == 1 && b.queuedReplyBytes() > REPLY_BYTES;
            },
            Duration.ofSeconds(60),
            "jrmtd to stop reading from the flood");
        NetworkServer.Backlog b = server.backlog();
        assertThat(b.sessions()).isEqualTo(1);
        assertThat(b.queuedRequests()).isLessThanOrEqualTo(REQUESTS);
        assertThat(b.queuedReplyBytes()).isLessThanOrEqualTo(REPLY_BYTES + RECORD + 512);
        // What it holds: one read of input not yet decoded (at most 512 KiB), the replies above
        // and the session's buffers; not the flood.
        assertThat(alloc.used()).isLessThan(4L << 20);
        assertThat(sent.get()).isLessThan(64L << 20);
      } finally {
        s.close();
      }
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(30), "the session to end");
      Await.until(() -> alloc.used() == 0, Duration.ofSeconds(30), "every buffer released");
    }
  }

  /**
   * The same flood read as it goes: nothing is lost or reordered by the stops and starts, and the
   * session's queues stay within their bounds throughout.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 1000})
  void aFloodThatIsReadIsAnsweredInFullAndInOrder(int perWrite) throws Exception {
    ServerConfig config =
        new ServerConfig.Builder(dir.resolve("tapes"))
            .maxQueuedRequests(REQUESTS)
            .maxQueuedReplyBytes(REPLY_BYTES)
            .build();
    int total = 200_000;
    try (NetworkServer server = new NetworkServer(config);
        Socket s = new Socket()) {
      s.connect(server.listen(new InetSocketAddress("127.0.0.1", 0)), 5_000);
      s.setSoTimeout(30_000);
      Thread flood =
          new Thread(
              () -> {
                try {
                  OutputStream out = s.getOutputStream();
                  StringBuilder sb = new StringBuilder();
                  for (int i = 0; i < total; i++) {
                    // Alternate the two version requests, so order shows in the replies.
                    sb.append(i % 2 == 0 ? "V0\n" : "v0\n");
                    if (sb.length() >= perWrite * 3 || i == total - 1) {
                      out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
                      sb.setLength(0);
                    }
                  }
                  s.shutdownOutput();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              "flood");
      flood.setDaemon(true);
      flood.start();
      InputStream in = s.getInputStream();
      for (int i = 0; i < total; i++) {
        String expected = i % 2 == 0 ? "A2\n" : "A1\n";
        byte[] got = in.readNBytes(3);
        assertThat(new String(got, StandardCharsets.US_ASCII)).as("reply " + i).isEqualTo(expected);
        if (i % 10_000 == 0) {
          NetworkServer.Backlog b = server.backlog();
          assertThat(b.queuedRequests()).isLessThanOrEqualTo(REQUESTS);
          assertThat(b.queuedReplyBytes()).isLessThanOrEqualTo(REPLY_BYTES + 512);
        }
      }
      assertThat(in.read()).as("closed once all is answered").isEqualTo(-1);
    }
  }
}
