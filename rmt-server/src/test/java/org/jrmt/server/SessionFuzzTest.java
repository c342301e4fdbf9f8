package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jrmt.protocol.AccessMode;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.protocol.ParserLimits;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.ServerSyntax;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.TapeException;

/**
 * Fuzzes whole sessions: request bytes through the parser, {@link Session} and the policy decorator
 * ({@link StdioServer#serve} on in-memory streams), under each grant, on a tape holding two backups
 * (the second one without its closing filemark, as a crash leaves it). Whatever the bytes: the
 * session ends and gives the tape back; it never holds more than a few records' worth of buffers at
 * once, and none once it has ended; under append-only the bytes of the two backups never change;
 * under read-only the tape never changes at all.
 *
 * <p>In {@code mvn verify} this runs in regression mode over the seed corpus in {@code
 * src/test/resources/org/jrmt/server/SessionFuzzTestInputs/session/} (the issue 14 attacks among
 * them); {@code JAZZER_FUZZ=1} fuzzes.
 */
class SessionFuzzTest {
  private static final Duration SESSION_BOUND = Duration.ofSeconds(30);
  private static final int MAX_RECORD = 64 << 10;

  /**
   * What a stdio session may hold at once in buffers of its allocator: one request and one reply
   * (each up to a record), with room for the parser's own buffers.
   */
  private static final long MEMORY_BOUND = 2L * MAX_RECORD + (128 << 10);

  @FuzzTest(maxDuration = "60s")
  void session(byte[] input) throws Exception {
    Path dir = Files.createTempDirectory("session-fuzz");
    try {
      for (Grant grant : Grant.values()) {
        serve(dir, grant, input);
      }
    } finally {
      TempTree.delete(dir);
    }
  }

  private static void serve(Path dir, Grant grant, byte[] input) throws Exception {
    Path tapes = dir.resolve(grant.configName());
    Path tape = tapes.resolve("vault.tap");
    Files.createDirectories(tapes);
    writeTwoBackups(tape);
    byte[] before = Files.readAllBytes(tape);
    ServerConfig config =
        ServerConfig.defaults(tapes)
            .withPolicy(
                new Policy(List.of(), List.of(new Policy.Rule("*", List.of("tape:vault"), grant))))
            // A small tape and small records: fuzzed counts fill neither the disk nor the heap.
            .withTapeOptions(SimhTape.Options.defaults().withCapacity(1 << 20))
            .withSyntax(ServerSyntax.DEFAULT.withLimits(new ParserLimits(256, MAX_RECORD)));
    DeviceLocks locks = new DeviceLocks();
    TestAllocator alloc = TestAllocator.counting();
    assertTimeoutPreemptively(
        SESSION_BOUND,
        () ->
            new StdioServer(config, locks, alloc)
                .serve(
                    new ByteArrayInputStream(input),
                    OutputStream.nullOutputStream(),
                    Identity.user("fuzz")),
        "the session ends");
    assertThat(alloc.peak()).as("memory held at once").isLessThanOrEqualTo(MEMORY_BOUND);
    assertThat(alloc.used()).as("memory held after the session").isZero();

    byte[] after = Files.readAllBytes(tape);
    switch (grant) {
      case READ_ONLY -> assertThat(after).as("read-only: the tape is unchanged").isEqualTo(before);
      case APPEND_ONLY ->
          assertThat(Arrays.copyOf(after, Math.min(after.length, before.length)))
              .as("append-only: what was recorded is intact")
              .isEqualTo(before);
      case FULL -> {}
    }
    if (grant == Grant.APPEND_ONLY) {
      assertThat(after.length).isGreaterThanOrEqualTo(before.length);
    }
    // The tape is free again: another session opens it.
    Session next =
        new Session(
            config,
            new DeviceCatalog(config),
            locks,
            UnpooledByteBufAllocator.DEFAULT,
            new SessionStats("check"),
            Identity.user("check"));
    assertThat(next.execute(new Request.Open("vault", OpenFlags.of(AccessMode.READ_ONLY))))
        .isEqualTo(new Reply.Ack(0));
    next.close();
  }

  /** monday, FM, tuesday (no closing filemark: its writer crashed). */
  private static void writeTwoBackups(Path tape) throws IOException {
    Files.deleteIfExists(tape);
    try (SimhTape t =
        SimhTape.open(
            tape,
            OpenMode.writeOnly().with(OpenMode.Flag.CREATE),
            SimhTape.Options.defaults().withFilemarkOnClose(false))) {
      t.write(ByteBuffer.wrap("monday".getBytes(StandardCharsets.US_ASCII)));
      t.writeFilemarks(1);
      t.write(ByteBuffer.wrap("tuesday".getBytes(StandardCharsets.US_ASCII)));
    } catch (TapeException e) {
      throw new IOException(e);
    }
  }
}
