package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jrmt.protocol.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultsTest {
  @TempDir Path dir;

  private SimhTape blank() throws TapeException {
    return SimhTape.open(
        dir.resolve("t.tap"),
        OpenMode.readWrite().with(OpenMode.Flag.CREATE),
        SimhTape.Options.defaults().withFilemarkOnClose(false));
  }

  @Test
  void theNthWriteFailsAndWritesNothing() throws Exception {
    try (Tape tape = Faults.none().failingWrite(2, Errno.EIO).wrap(blank())) {
      tape.write(ByteBuffer.wrap(new byte[] {1}));
      assertThatThrownBy(() -> tape.write(ByteBuffer.wrap(new byte[] {2})))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      tape.write(ByteBuffer.wrap(new byte[] {3}));
      tape.rewind();
      assertThat(SimhTapePropertiesTest.readAll(tape)).containsExactly("[1]", "[3]");
    }
  }

  @Test
  void theNthReadCanFailOrComeBackShort() throws Exception {
    try (SimhTape simh = blank()) {
      simh.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
      simh.write(ByteBuffer.wrap(new byte[] {5, 6, 7, 8}));
      simh.write(ByteBuffer.wrap(new byte[] {9}));
      simh.rewind();
      Tape tape = Faults.none().shortRead(1, 2).failingRead(2, Errno.EIO).wrap(simh);
      ByteBuffer buf = ByteBuffer.allocate(10);
      assertThat(tape.read(buf)).isEqualTo(2);
      assertThat(buf.position()).isEqualTo(2);
      assertThat(buf.get(0)).isEqualTo((byte) 1);
      assertThatThrownBy(() -> tape.read(ByteBuffer.allocate(10)))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
      // The failed read did not reach the tape: the next read gets the second record.
      buf.clear();
      assertThat(tape.read(buf)).isEqualTo(4);
      assertThat(buf.get(0)).isEqualTo((byte) 5);
    }
  }

  @Test
  void aSlowDeviceWaitsBeforeEveryOperation() throws Exception {
    List<Duration> waits = new ArrayList<>();
    try (Tape tape = Faults.none().slow(Duration.ofMillis(7)).wrap(blank(), waits::add)) {
      tape.write(ByteBuffer.wrap(new byte[] {1}));
      tape.writeFilemarks(1);
      tape.rewind();
      tape.read(ByteBuffer.allocate(4));
    }
    assertThat(waits).hasSize(4).containsOnly(Duration.ofMillis(7));
  }

  @Test
  void anInterruptedDelayFailsWithEintr() throws Exception {
    try (Tape tape =
        Faults.none()
            .slow(Duration.ofSeconds(1))
            .wrap(
                blank(),
                d -> {
                  throw new InterruptedException();
                })) {
      assertThatThrownBy(tape::rewind)
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINTR));
      assertThat(Thread.interrupted()).isTrue();
    }
  }
}
