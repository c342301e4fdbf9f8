package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.jrmt.protocol.testing.LogCapture;
import org.jrmt.tape.TapeModel.Outcome;

class SimhTapePropertiesTest {
  private Path dir;

  @BeforeProperty
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("simh-props");
  }

  @AfterProperty
  void removeDir() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(SimhTapePropertiesTest::delete);
    }
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One step of a tape session. */
  sealed interface Op permits Write, Marks, SpaceRecords, SpaceFiles, Read, Rewind {}

  record Write(byte[] data) implements Op {
    @Override
    public String toString() {
      return "Write(" + data.length + ")";
    }
  }

  record Marks(int count) implements Op {}

  record SpaceRecords(int count) implements Op {}

  record SpaceFiles(int count) implements Op {}

  record Read() implements Op {}

  record Rewind() implements Op {}

  @Provide
  Arbitrary<List<Op>> sessions() {
    Arbitrary<Op> write =
        Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40).map(Write::new);
    Arbitrary<Op> marks = Arbitraries.integers().between(0, 2).map(Marks::new);
    Arbitrary<Op> records = Arbitraries.integers().between(-3, 3).map(SpaceRecords::new);
    Arbitrary<Op> files = Arbitraries.integers().between(-2, 2).map(SpaceFiles::new);
    Arbitrary<Op> read = Arbitraries.just(new Read());
    Arbitrary<Op> rewind = Arbitraries.just(new Rewind());
    return Arbitraries.frequencyOf(
            Tuple.of(6, write),
            Tuple.of(2, marks),
            Tuple.of(2, records),
            Tuple.of(2, files),
            Tuple.of(3, read),
            Tuple.of(1, rewind))
        .list()
        .ofMaxSize(40);
  }

  /**
   * Also checks {@link Tape#nextReadLength}: every read of the session uses a buffer of the length
   * the tape announced, and must still do what the model does with a buffer of 100 bytes.
   */
  @Property(tries = 300)
  void anySessionBehavesLikeTheModelAndReadsBackTheSameRecords(@ForAll("sessions") List<Op> session)
      throws Exception {
    Path file = dir.resolve("t.tap");
    TapeModel model = new TapeModel();
    try (SimhTape tape =
        SimhTape.open(
            file, OpenMode.readWrite().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE))) {
      for (Op op : session) {
        Outcome expected = apply(model, op);
        Outcome actual = apply(tape, op);
        assertThat(actual).as("%s", op).isEqualTo(expected);
        assertThat(tape.position()).as("position after %s", op).isEqualTo(model.position());
      }
    }
    List<byte[]> expected = model.afterClose();
    try (SimhTape tape = SimhTape.open(file, OpenMode.readOnly())) {
      assertThat(readAll(tape)).containsExactlyElementsOf(describe(expected));
    }
  }

  private static Outcome apply(TapeModel m, Op op) {
    if (op instanceof Write w) {
      return m.write(w.data());
    } else if (op instanceof Marks k) {
      return m.writeFilemarks(k.count());
    } else if (op instanceof SpaceRecords r) {
      return m.spaceRecords(r.count());
    } else if (op instanceof SpaceFiles f) {
      return m.spaceFiles(f.count());
    } else if (op instanceof Read) {
      return m.read();
    }
    return m.rewind();
  }

  private static Outcome apply(Tape t, Op op) {
    try {
      if (op instanceof Write w) {
        return Outcome.of(t.write(ByteBuffer.wrap(w.data())));
      } else if (op instanceof Marks k) {
        t.writeFilemarks(k.count());
      } else if (op instanceof SpaceRecords r) {
        t.spaceRecords(r.count());
      } else if (op instanceof SpaceFiles f) {
        t.spaceFiles(f.count());
      } else if (op instanceof Read) {
        // A buffer sized by the tape's own hint reads exactly what one of the full count would.
        int hint = t.nextReadLength();
        assertThat(hint).as("a SIMH tape can tell").isNotNegative();
        return Outcome.of(t.read(ByteBuffer.allocate(Math.min(100, hint))));
      } else {
        t.rewind();
      }
      return Outcome.of(0);
    } catch (TapeException e) {
      return Outcome.failed(e.errno());
    }
  }

  /** Every object from the current position to the end of data, marks as "FM". */
  static List<String> readAll(Tape tape) throws TapeException {
    List<String> out = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    while (!tape.status().endOfData()) {
      buf.clear();
      int n = tape.read(buf);
      out.add(n == 0 ? "FM" : Arrays.toString(Arrays.copyOf(buf.array(), n)));
    }
    return out;
  }

  static List<String> describe(List<byte[]> objects) {
    return objects.stream().map(o -> o == null ? "FM" : Arrays.toString(o)).toList();
  }

  @Property(tries = 200)
  void aWriteThatDoesNotFitWritesNothingAndIsReportedPerMode(
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> lengths,
      @ForAll @IntRange(min = 0, max = 400) int capacity,
      @ForAll EndOfTapeMode mode)
      throws Exception {
    Path file = dir.resolve("cap.tap");
    SimhTape.Options options =
        SimhTape.Options.defaults()
            .withCapacity(capacity)
            .withEndOfTapeMode(mode)
            .withFilemarkOnClose(false);
    List<byte[]> accepted = new ArrayList<>();
    long used = 0;
    try (SimhTape tape =
        SimhTape.open(
            file,
            OpenMode.readWrite().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE),
            options)) {
      for (int i = 0; i < lengths.size(); i++) {
        byte[] data = SimhImage.bytes(lengths.get(i), i);
        long size = SimhFormat.recordSize(data.length);
        boolean fits = used + size <= capacity;
        ByteBuffer src = ByteBuffer.wrap(data);
        if (fits) {
          assertThat(tape.write(src)).isEqualTo(data.length);
          accepted.add(data);
          used += size;
        } else if (mode == EndOfTapeMode.ZERO) {
          assertThat(tape.write(src)).isZero();
          assertThat(tape.status().endOfTape()).isTrue();
        } else {
          try {
            tape.write(src);
            throw new AssertionError("write past the capacity succeeded");
          } catch (TapeException e) {
            assertThat(e.isEndOfTape()).isTrue();
          }
          assertThat(tape.status().endOfTape()).isTrue();
        }
        assertThat(Files.size(file)).isEqualTo(used).isLessThanOrEqualTo(capacity);
      }
    }
    try (SimhTape tape = SimhTape.open(file, OpenMode.readOnly())) {
      assertThat(readAll(tape)).containsExactlyElementsOf(describe(accepted));
    }
  }

  @Provide
  Arbitrary<List<byte[]>> images() {
    Arbitrary<byte[]> record = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(30);
    Arbitrary<byte[]> mark = Arbitraries.just(null);
    return Arbitraries.frequencyOf(Tuple.of(4, record), Tuple.of(1, mark)).list().ofMaxSize(12);
  }

  @Property(tries = 200)
  void aFileTruncatedAtAnyByteReopensToTheLastWholeObject(
      @ForAll("images") List<byte[]> objects, @ForAll("cutFractions") double cutFraction)
      throws Exception {
    SimhImage image = new SimhImage();
    List<Long> ends = new ArrayList<>();
    for (byte[] o : objects) {
      if (o == null) {
        image.mark();
      } else {
        image.record(o);
      }
      ends.add((long) image.bytes().length);
    }
    byte[] bytes = image.bytes();
    int cut = (int) Math.round(cutFraction * bytes.length);
    Path file = dir.resolve("cut.tap");
    Files.write(file, Arrays.copyOf(bytes, cut));
    int whole = (int) ends.stream().filter(e -> e <= cut).count();
    long wholeSize = whole == 0 ? 0 : ends.get(whole - 1);
    // A last whole object that is a record: its file gets the closing filemark its writer's close
    // would have written.
    List<byte[]> expected = new ArrayList<>(objects.subList(0, whole));
    boolean closed = whole > 0 && objects.get(whole - 1) != null;
    if (closed) {
      expected.add(null);
    }

    try (LogCapture logs = new LogCapture();
        SimhTape tape = SimhTape.open(file, OpenMode.readWrite())) {
      assertThat(readAll(tape)).containsExactlyElementsOf(describe(expected));
      assertThat(logs.text().contains("Torn tail")).isEqualTo(cut != wholeSize);
    }
    assertThat(Files.size(file)).isEqualTo(wholeSize + (closed ? 4 : 0));
  }

  /**
   * The end of data that the walk at open remembers is where walking the tape leads: same offset,
   * file and block numbers, with or without a repair, and before and after a write.
   */
  @Property(tries = 200)
  void theEndOfDataRememberedAtOpenIsWhereWalkingLeads(
      @ForAll("images") List<byte[]> objects, @ForAll boolean readOnly) throws Exception {
    SimhImage image = new SimhImage();
    for (byte[] o : objects) {
      if (o == null) {
        image.mark();
      } else {
        image.word(0xFFFFFFFE).record(o); // an erase gap before each record: passed over
      }
    }
    Path file = image.writeTo(dir.resolve("eod.tap"));
    OpenMode mode = readOnly ? OpenMode.readOnly() : OpenMode.readWrite();
    try (SimhTape tape = SimhTape.open(file, mode)) {
      tape.seekEndOfData();
      TapePosition remembered = tape.position();
      long offset = tape.byteOffset();
      tape.rewind();
      if (!objects.isEmpty()) {
        tape.read(ByteBuffer.allocate(64)); // off the beginning: this search walks
      }
      tape.seekEndOfData();
      assertThat(tape.position()).isEqualTo(remembered);
      assertThat(tape.byteOffset()).isEqualTo(offset).isEqualTo(Files.size(file));
      if (!readOnly) {
        tape.write(ByteBuffer.wrap(new byte[] {1}));
        tape.rewind();
        tape.seekEndOfData();
        assertThat(tape.byteOffset()).as("after a write").isEqualTo(Files.size(file));
      }
    }
  }

  @Provide
  Arbitrary<Double> cutFractions() {
    return Arbitraries.doubles().between(0, 1);
  }
}
