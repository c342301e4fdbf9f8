package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.PipelinedWriter;
import org.jrmt.client.RemoteTape;
import org.jrmt.client.RemoteTapes;
import org.jrmt.client.WriteFailure;
import org.jrmt.protocol.ServerDialect;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.TapeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RemoteTape's exec transport to {@code bin/jrmt} (jrmt's stdio server) in each client dialect:
 * GNU's ({@code S\n} and a 48-byte struct mtget), Linux dump's ({@code I-1}, then {@code s} fields
 * and portable op numbers) and jrmt's own (negotiation, {@code Q}, pipelined writes over pipes).
 */
class RemoteTapeExecJrmtTest {
  static final int RECORD = 10240;
  static final OpenMode CREATE =
      OpenMode.readWrite().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE);

  @TempDir Path tmp;

  static ByteBuffer record(int i) {
    byte[] b = new byte[RECORD];
    for (int j = 0; j < RECORD; j++) {
      b[j] = (byte) (i + j * 13);
    }
    return ByteBuffer.wrap(b);
  }

  private RemoteTape open(Path rsh, String tape, ServerDialect dialect, OpenMode mode)
      throws Exception {
    ClientConfig config =
        ClientConfig.defaults()
            .withDialect(dialect)
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
    return (RemoteTape)
        RemoteTapes.open("localhost:" + tape, mode, config, Map.of("RSH", rsh.toString()));
  }

  @Test
  void statusAndOperationsInTheGnuAndDumpDialects() throws Exception {
    Path rsh = RshScript.jrmt(tmp, tmp.resolve("tapes"));
    for (ServerDialect dialect : List.of(ServerDialect.GNU, ServerDialect.LINUX_DUMP)) {
      String name = "d-" + dialect.name().toLowerCase();
      try (RemoteTape t = open(rsh, name, dialect, CREATE)) {
        assertThat(t.version1()).isEqualTo(dialect == ServerDialect.LINUX_DUMP);
        assertThat(t.capabilities()).isEmpty();
        t.write(record(0));
        t.write(record(1));
        t.writeFilemarks(1);
        t.write(record(2));
        TapeStatus s = t.status();
        assertThat(s.fileNumber()).as(dialect.name()).isEqualTo(1);
        assertThat(s.blockNumber()).isEqualTo(1);
        assertThat(s.online()).isTrue();
        t.rewind();
        assertThat(t.status().beginningOfTape()).isTrue();
        t.spaceFiles(1);
        ByteBuffer buf = ByteBuffer.allocate(RECORD);
        assertThat(t.read(buf)).isEqualTo(RECORD);
        assertThat(buf.flip()).isEqualTo(record(2));
        t.spaceFiles(-1);
        t.spaceRecords(-1);
        assertThat(t.read(buf.clear())).isEqualTo(RECORD);
        assertThat(buf.flip()).isEqualTo(record(1));
        t.seekEndOfData();
        assertThat(t.status().endOfData()).isTrue();
      }
    }
  }

  @Test
  void theJrmtDialectPipelinesOverPipesAndHandsBackTheRecordsPastTheEnd() throws Exception {
    Path rsh =
        RshScript.jrmt(tmp, tmp.resolve("tapes"), "--capacity", Long.toString(20 * 10248 + 5000));
    List<ByteBuffer> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      records.add(record(i));
    }
    try (RemoteTape t = open(rsh, "p1", ServerDialect.JRMT, CREATE)) {
      assertThat(t.pipelined()).isTrue();
      assertThat(t.status().beginningOfTape()).isTrue();
      PipelinedWriter w = t.pipeline();
      for (ByteBuffer r : records) {
        w.write(r.duplicate());
      }
      WriteFailure f = catchThrowableOfType(WriteFailure.class, w::flush);
      assertThat(f.isEndOfTape()).isTrue();
      assertThat(f.written()).isEqualTo(20);
      assertThat(f.unwritten()).isEqualTo(records.subList(20, 50));
      assertThat(t.status().endOfTape()).isTrue();
    }
    TapeContents c = TapeContents.read(tmp.resolve("tapes/p1.tap"));
    assertThat(c.records()).isEqualTo(20);
    ByteBuffer expected = ByteBuffer.allocate(20 * RECORD);
    records.subList(0, 20).forEach(r -> expected.put(r.duplicate()));
    assertThat(c.data()).isEqualTo(expected.array());
  }
}
