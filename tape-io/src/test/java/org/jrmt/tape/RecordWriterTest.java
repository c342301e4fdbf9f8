package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.jrmt.protocol.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The default {@link Tape#writer()}: every record through the tape's own write, the end of the tape
 * reported however the tape reports it, and the record it refused handed back intact and in order
 * with every later one, however the caller reuses its buffer.
 */
class RecordWriterTest {
  @TempDir Path dir;

  private static ByteBuffer record(int i) {
    byte[] b = new byte[1000];
    Arrays.fill(b, (byte) i);
    return ByteBuffer.wrap(b);
  }

  private static String text(int i) {
    return Arrays.toString(record(i).array());
  }

  @ParameterizedTest
  @EnumSource(EndOfTapeMode.class)
  void theEndOfTheTapeStopsTheWriterAndTheRefusedRecordsComeBack(EndOfTapeMode mode)
      throws Exception {
    SimhTape.Options options =
        SimhTape.Options.defaults().withCapacity(5 * 1008 + 500).withEndOfTapeMode(mode);
    ByteBuffer buffer = ByteBuffer.allocate(1000);
    try (Tape tape =
            SimhTape.open(
                dir.resolve("t.tap"), OpenMode.readWrite().with(OpenMode.Flag.CREATE), options);
        RecordWriter w = tape.writer()) {
      TapeException stop = null;
      int taken = 0;
      while (stop == null) {
        buffer.clear().put(record(taken)).flip();
        taken++;
        try {
          w.write(buffer);
        } catch (TapeException e) {
          stop = e;
        }
        assertThat(buffer.hasRemaining()).as("the record is taken either way").isFalse();
        Arrays.fill(buffer.array(), (byte) 0x5a);
      }
      assertThat(stop.isEndOfTape()).isTrue();
      assertThat(w.written()).isEqualTo(5);
      buffer.clear().put(record(taken)).flip();
      TapeException again = catchThrowableOfType(TapeException.class, () -> w.write(buffer));
      assertThat(again.isEndOfTape()).as("sticky").isTrue();
      assertThat(catchThrowableOfType(TapeException.class, w::flush).isEndOfTape()).isTrue();
      try (RecordWriter.Unwritten back = w.handBack()) {
        assertThat(back.records()).containsExactly(record(5), record(6));
      }
      assertThat(w.handBack().records()).isEmpty();
      tape.rewind();
      assertThat(SimhTapePropertiesTest.readAll(tape))
          .as("the records the tape took, and the filemark of the rewind")
          .containsExactly(text(0), text(1), text(2), text(3), text(4), "FM");
    }
  }

  @Test
  void aTapeThatWrapsAnotherIsNotBypassed() throws Exception {
    SimhTape inner =
        SimhTape.open(
            dir.resolve("t.tap"),
            OpenMode.readWrite().with(OpenMode.Flag.CREATE),
            SimhTape.Options.defaults());
    try (Tape tape = Faults.none().failingWrite(3, Errno.EIO).wrap(inner);
        RecordWriter w = tape.writer()) {
      w.write(record(1));
      w.write(record(2));
      TapeException e = catchThrowableOfType(TapeException.class, () -> w.write(record(3)));
      assertThat(e.errno()).as("the decorator's write decided").isEqualTo(Errno.EIO);
      assertThat(e.isEndOfTape()).isFalse();
      assertThat(w.written()).isEqualTo(2);
      assertThat(w.handBack().records()).containsExactly(record(3));
    }
  }
}
