package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.testing.LogCapture;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrmt}'s server loop: replies go out as they are made, and a Throwable ends cleanly. */
class StdioServerTest {
  private static final int RECORD = 256 << 10;
  private static final int RECORDS = 20;

  @TempDir Path dir;

  private Path tapeOf(int records, int size) throws Exception {
    Path tapes = Files.createDirectories(dir.resolve("tapes"));
    try (SimhTape t =
        SimhTape.open(tapes.resolve("t.tap"), OpenMode.writeOnly().with(OpenMode.Flag.CREATE))) {
      for (int i = 0; i < records; i++) {
        t.write(ByteBuffer.allocate(size));
      }
    }
    return tapes;
  }

  /**
   * One read of input asks for every record with the largest count there is: while the client has
   * not taken the first reply, jrmt holds about one record, not all of them (nor 16 MiB each).
   */
  @Test
  void repliesGoOutOneAtATimeWhileTheClientIsSlow() throws Exception {
    ServerConfig config = ServerConfig.defaults(tapeOf(RECORDS, RECORD));
    TestAllocator alloc = TestAllocator.counting();
    String input = "Ot\n0 O_RDONLY\n" + ("R" + (16 << 20) + "\n").repeat(RECORDS);
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    OutputStream slow =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            got.write(b, off, len);
          }
        };
    CompletableFuture<SessionStats> served =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new StdioServer(config, new DeviceLocks(), alloc)
                    .serve(
                        new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)),
                        slow,
                        Identity.user("t"));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
    long held = alloc.used();
    release.countDown();
    SessionStats stats = served.get(30, TimeUnit.SECONDS);
    assertThat(held).as("bytes held while the first reply waits").isLessThan(2L * RECORD + 65536);
    assertThat(alloc.largest()).as("largest buffer").isLessThanOrEqualTo(RECORD + 65536);
    assertThat(got.size()).isEqualTo(3 + RECORDS * (RECORD + ("A" + RECORD + "\n").length()));
    assertThat(stats.end()).isEqualTo("eof");
  }

  /** An OutOfMemoryError on a request is answered, ends the session, and releases its device. */
  @Test
  void aThrowableEndsTheSessionCleanly() throws Exception {
    Path tapes = tapeOf(1, 2 << 20);
    ServerConfig config = ServerConfig.defaults(tapes);
    DeviceLocks locks = new DeviceLocks();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SessionStats stats;
    try (LogCapture log = new LogCapture()) {
      stats =
          new StdioServer(config, locks, TestAllocator.outOfMemoryFrom(1 << 20))
              .serve(
                  new ByteArrayInputStream(
                      ("Ot\n0 O_RDONLY\nR" + (2 << 20) + "\nV0\n")
                          .getBytes(StandardCharsets.US_ASCII)),
                  out,
                  Identity.user("t"));
      assertThat(log.text()).contains("end=error").doesNotContain("\tat ");
    }
    assertThat(out.toString(StandardCharsets.US_ASCII))
        .isEqualTo("A0\nE12\nCannot allocate memory\n");
    assertThat(stats.end()).isEqualTo("error");
    assertThat(locks.isHeld("dev:" + tapes.resolve("t.tap").toAbsolutePath().normalize()))
        .isFalse();
  }
}
