package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.PipelinedWriter;
import org.jrmt.client.RemoteTape;
import org.jrmt.client.RemoteTapes;
import org.jrmt.client.WriteFailure;
import org.jrmt.protocol.testing.Await;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jrmtd SIGKILLed in the middle of a pipelined backup, under the default sync policy: every record
 * it acknowledged is on the virtual tape, in order and intact, and the tape reopens cleanly, for
 * reading and for appending (the crashed file closed with a filemark, the next one after it).
 */
class SigkillDurabilityTest {
  private static final int RECORD = 20_000;

  @TempDir Path tmp;

  private static byte[] record(long i) {
    byte[] b = new byte[RECORD];
    Arrays.fill(b, (byte) (31 * i));
    ByteBuffer.wrap(b).putLong(i);
    return b;
  }

  @Test
  void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
    Path tapes = tmp.resolve("tapes");
    AtomicLong acked = new AtomicLong();
    try (JrmtdProcess jrmtd = JrmtdProcess.start(tapes, List.of("-Xmx128m"))) {
      Thread backup =
          new Thread(
              () -> {
                try (RemoteTape t =
                    (RemoteTape)
                        RemoteTapes.open(
                            "rmt://127.0.0.1:" + jrmtd.address().getPort() + "/d1",
                            OpenMode.writeOnly().with(OpenMode.Flag.CREATE),
                            ClientConfig.defaults(),
                            Map.of())) {
                  PipelinedWriter w = t.pipeline();
                  for (long i = 0; !w.isFailed(); i++) {
                    long n = i;
                    w.write(ByteBuffer.wrap(record(i)))
                        .thenRun(() -> acked.accumulateAndGet(n + 1, Math::max));
                  }
                  w.flush();
                } catch (TapeException | WriteFailure e) {
                  // the server died: expected
                }
              },
              "backup");
      backup.setDaemon(true);
      backup.start();
      Await.until(() -> acked.get() >= 2_000, Duration.ofSeconds(60), "2,000 acknowledgements");
      jrmtd.kill();
      backup.join(30_000);
      assertThat(backup.isAlive()).as("the client noticed the dead server").isFalse();
    }
    long mustHave = acked.get();
    long read = 0;
    try (SimhTape t = SimhTape.open(tapes.resolve("d1.tap"), OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(2 * RECORD);
      for (int n; (n = t.read(buf.clear())) > 0; read++) {
        assertThat(n).isEqualTo(RECORD);
        assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(record(read));
      }
    }
    assertThat(read).as("records on tape vs acknowledged").isGreaterThanOrEqualTo(mustHave);
    // A new server ends the crashed file with its filemark and appends the next file after it;
    // both read back.
    try (Tape t =
        SimhTape.open(tapes.resolve("d1.tap"), OpenMode.readWrite(), SimhTape.Options.defaults())) {
      t.seekEndOfData();
      t.write(ByteBuffer.wrap(record(read)));
    }
    long again = 0;
    try (SimhTape t = SimhTape.open(tapes.resolve("d1.tap"), OpenMode.readOnly())) {
      ByteBuffer buf = ByteBuffer.allocate(2 * RECORD);
      for (int n; (n = t.read(buf.clear())) > 0; again++) {
        assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(record(again));
      }
      assertThat(again).as("the crashed file ends at its last whole record").isEqualTo(read);
      assertThat(t.read(buf.clear())).as("the next file").isEqualTo(RECORD);
      assertThat(Arrays.copyOf(buf.array(), RECORD)).isEqualTo(record(read));
    }
  }
}
