package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.jrmt.protocol.AccessMode;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.Faults;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;

/**
 * Policy holds whatever a client sends: random request sequences, through the real {@link Session}
 * (every op number of the native, version-1 and extended numberings, {@code I} and {@code i}, with
 * small, huge and negative counts; {@code L}, {@code R}, {@code W}, opens with every flag), on SIMH
 * tapes that start with random content, some with a small capacity so writes meet the end of tape.
 * Under append-only the bytes before the starting end of data never change; under read-only the
 * file never changes at all.
 */
class PolicyPropertiesTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private Path dir;

  @BeforeProperty
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("policy-props");
  }

  @AfterProperty
  void removeDir() throws IOException {
    TempTree.delete(dir);
  }

  /** What is on the tape before the session: records ({@code byte[]}) and filemarks (null). */
  record Content(List<byte[]> objects) {
    @Override
    public String toString() {
      return objects.stream().map(o -> o == null ? "FM" : "R" + o.length).toList().toString();
    }
  }

  /**
   * A tape as the session finds it, and the faults of its device: the Nth write or read (counted
   * over the session, 0 for none) fails with EIO or ENOSPC.
   */
  record Setup(Content content, long capacity, EndOfTapeMode mode, Faults faults) {}

  @Provide
  Arbitrary<Setup> setups() {
    Arbitrary<byte[]> record = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(24);
    Arbitrary<byte[]> mark = Arbitraries.just(null);
    Arbitrary<Content> content =
        Arbitraries.frequencyOf(Tuple.of(3, record), Tuple.of(1, mark))
            .list()
            .ofMaxSize(10)
            .map(Content::new);
    // Small capacities make writes and filemarks fail with ENOSPC (or a 0-byte write).
    Arbitrary<Long> capacity =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(Long.MAX_VALUE)),
            Tuple.of(1, Arbitraries.longs().between(0, 600)));
    Arbitrary<Errno> errno = Arbitraries.of(Errno.EIO, Errno.ENOSPC);
    Arbitrary<Faults> faults =
        Combinators.combine(
                Arbitraries.longs().between(0, 6), errno, Arbitraries.longs().between(0, 6), errno)
            .as((w, we, r, re) -> Faults.none().failingWrite(w, we).failingRead(r, re));
    return Combinators.combine(content, capacity, Arbitraries.of(EndOfTapeMode.class), faults)
        .as(Setup::new);
  }

  /** One request to send; built afresh for every run, since a sent write's payload is released. */
  sealed interface Step permits Send, WriteRecord {
    Request request();
  }

  /** A request without a payload. */
  record Send(Request request) implements Step {
    @Override
    public String toString() {
      return request.toString();
    }
  }

  /** A {@code W} request. */
  record WriteRecord(byte[] data) implements Step {
    @Override
    public Request request() {
      return new Request.Write(ALLOC.buffer(data.length).writeBytes(data));
    }

    @Override
    public String toString() {
      return "W" + data.length;
    }
  }

  @Provide
  Arbitrary<List<Step>> sessions() {
    Arbitrary<Request> others =
        Arbitraries.frequencyOf(
            Tuple.of(2, opens()),
            Tuple.of(1, Arbitraries.just(new Request.Close())),
            Tuple.of(12, ioctls()),
            Tuple.of(3, reads()),
            Tuple.of(1, seeks()),
            Tuple.of(1, Arbitraries.just(new Request.Status())),
            Tuple.of(1, Arbitraries.of('T', 'F', 'B', 'f').map(Request.StatusField::new)));
    return Arbitraries.frequencyOf(Tuple.of(4, others.map(Send::new)), Tuple.of(1, writes()))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  private static Arbitrary<Request> opens() {
    Arbitrary<AccessMode> access = Arbitraries.of(AccessMode.class);
    Arbitrary<List<OpenFlag>> extra =
        Arbitraries.of(OpenFlag.CREAT, OpenFlag.TRUNC, OpenFlag.EXCL, OpenFlag.APPEND)
            .list()
            .ofMaxSize(3);
    return Combinators.combine(access, extra)
        .as((a, e) -> new Request.Open("vault", OpenFlags.of(a, e.toArray(new OpenFlag[0]))));
  }

  private static Arbitrary<Step> writes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40).map(WriteRecord::new);
  }

  private static Arbitrary<Request> reads() {
    return Arbitraries.integers().between(0, 64).map(Request.Read::new);
  }

  private static Arbitrary<Request> seeks() {
    return Combinators.combine(
            Arbitraries.longs().between(-4, 200), Arbitraries.integers().between(0, 3))
        .as(Request.Seek::new);
  }

  /**
   * Raw op numbers: what they mean depends on the numbering the session is in ({@code I-1} switches
   * to version 1), so every number of every numbering is covered, and some mean nothing.
   */
  private static Arbitrary<Request> ioctls() {
    Arbitrary<Integer> count =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0, 3)),
            Tuple.of(
                2, Arbitraries.of(Integer.MAX_VALUE, 0x7fffff, 1 << 30, 1000, Integer.MIN_VALUE)),
            Tuple.of(1, Arbitraries.just(-1)));
    // Mostly the numbers that move or write the tape (in the native and the version-1 numbering,
    // and I-1 that switches), the rest anything at all.
    Arbitrary<Integer> classicOp =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(-1, 0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 22, 27, 30)),
            Tuple.of(1, Arbitraries.integers().between(-2, 40)));
    Arbitrary<Request> classic =
        Combinators.combine(classicOp, count)
            .as((op, c) -> new Request.Ioctl(op, op == -1 ? 0 : c, false));
    Arbitrary<Request> extended =
        Combinators.combine(Arbitraries.integers().between(0, 6), count)
            .as((op, c) -> new Request.Ioctl(op, c, true));
    return Arbitraries.frequencyOf(Tuple.of(3, classic), Tuple.of(1, extended));
  }

  @Property(tries = 400)
  void appendOnlyNeverChangesWhatWasRecorded(
      @ForAll("setups") Setup setup, @ForAll("sessions") List<Step> steps) throws Exception {
    byte[] before = run(Grant.APPEND_ONLY, setup, steps);
    byte[] after = Files.readAllBytes(tape());
    assertThat(after.length).as("the tape only grows").isGreaterThanOrEqualTo(before.length);
    assertThat(Arrays.copyOf(after, before.length))
        .as("the bytes before the starting end of data")
        .isEqualTo(before);
    Statistics.label("appended").collect(after.length > before.length + 4);
    // Not vacuous: a good share of the sessions get records onto the tape.
    Statistics.label("appended").coverage(c -> c.check(true).percentage(p -> p > 10));
  }

  @Property(tries = 200)
  void readOnlyNeverChangesTheTape(
      @ForAll("setups") Setup setup, @ForAll("sessions") List<Step> steps) throws Exception {
    byte[] before = run(Grant.READ_ONLY, setup, steps);
    assertThat(Files.readAllBytes(tape())).isEqualTo(before);
  }

  private Path tape() {
    return dir.resolve("tapes/vault.tap");
  }

  /** Writes the starting content, runs the session, and returns the tape's bytes before it. */
  private byte[] run(Grant grant, Setup setup, List<Step> steps) throws Exception {
    Files.createDirectories(tape().getParent());
    Files.deleteIfExists(tape());
    // Written by SimhTape itself without a closing filemark: some tapes end in the middle of a
    // file, as after a crash, with end of data right after their last record.
    SimhTape.Options raw = SimhTape.Options.defaults().withFilemarkOnClose(false);
    try (SimhTape t = SimhTape.open(tape(), OpenMode.writeOnly().with(OpenMode.Flag.CREATE), raw)) {
      for (byte[] o : setup.content().objects()) {
        if (o == null) {
          t.writeFilemarks(1);
        } else {
          t.write(ByteBuffer.wrap(o));
        }
      }
    }
    byte[] before = Files.readAllBytes(tape());
    Policy policy =
        new Policy(List.of(), List.of(new Policy.Rule("*", List.of("tape:vault"), grant)));
    ServerConfig config =
        ServerConfig.defaults(tape().getParent())
            .withPolicy(policy)
            .withTapeOptions(
                SimhTape.Options.defaults()
                    .withCapacity(Math.max(setup.capacity(), before.length))
                    .withEndOfTapeMode(setup.mode()));
    Session session =
        new Session(
            config,
            new DeviceCatalog(config, setup.faults()::wrap),
            new DeviceLocks(),
            ALLOC,
            new SessionStats("prop"),
            Identity.user("prop"));
    try {
      session.execute(new Request.Open("vault", OpenFlags.of(AccessMode.READ_WRITE)));
      for (Step step : steps) {
        Reply reply = session.execute(step.request());
        ReferenceCountUtil.release(reply);
      }
    } finally {
      session.close();
    }
    return before;
  }
}
