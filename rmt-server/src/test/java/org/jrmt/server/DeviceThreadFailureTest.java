package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jrmt.protocol.testing.Await;
import org.jrmt.protocol.testing.LogCapture;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Throwable on a session's device thread (here the OutOfMemoryError of exhausted direct memory,
 * injected by the allocator) ends that session cleanly: the client is told, the device is closed
 * and its lock given back, the slot freed and the audit line written; the server goes on.
 */
class DeviceThreadFailureTest {
  private static final int BIG = 2 << 20;

  @TempDir Path dir;

  @Test
  void outOfMemoryOnTheDeviceThreadEndsOnlyThatSession() throws Exception {
    Path tapes = dir.resolve("tapes");
    java.nio.file.Files.createDirectories(tapes);
    try (SimhTape t =
        SimhTape.open(tapes.resolve("big.tap"), OpenMode.writeOnly().with(OpenMode.Flag.CREATE))) {
      t.write(ByteBuffer.allocate(BIG));
      t.write(ByteBuffer.wrap("small".getBytes(StandardCharsets.US_ASCII)));
    }
    ServerConfig config = ServerConfig.defaults(tapes);
    // Reads of the socket take at most 512 KiB: only the 2 MiB reply fails.
    TestAllocator alloc = TestAllocator.outOfMemoryFrom(1 << 20);
    try (LogCapture log = new LogCapture();
        NetworkServer server = new NetworkServer(config, alloc)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      try (Socket s = connect(a)) {
        s.getOutputStream()
            .write(("Obig\n0 O_RDONLY\nR" + BIG + "\nV0\n").getBytes(StandardCharsets.US_ASCII));
        // The failed request is answered, and the session ends there: V0 is not.
        assertThat(readToEnd(s.getInputStream())).isEqualTo("A0\nE12\nCannot allocate memory\n");
      }
      Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "the slot back");
      String key = "dev:" + tapes.resolve("big.tap").toAbsolutePath().normalize();
      Await.until(() -> !server.locks().isHeld(key), Duration.ofSeconds(10), "the lock back");
      Await.until(
          () -> log.text().contains("device=big") && log.text().contains("end=error"),
          Duration.ofSeconds(10),
          "the audit line");
      assertThat(log.text()).contains("OutOfMemoryError").doesNotContain("\tat ");
      // The next session gets the tape and a device thread that works.
      try (Socket s = connect(a)) {
        s.getOutputStream()
            .write("Obig\n0 O_RDONLY\nI3\n1\nR10\nC\n".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        assertThat(readToEnd(s.getInputStream())).isEqualTo("A0\nA1\nA5\nsmallA0\n");
      }
    }
  }

  private static Socket connect(InetSocketAddress a) throws IOException {
    Socket s = new Socket(a.getAddress(), a.getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
