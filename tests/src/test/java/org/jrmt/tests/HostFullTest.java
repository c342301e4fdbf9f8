package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.RemoteTapes;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.testing.Await;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system under jrmtd's virtual tapes fills up mid-backup (a 4 MiB ext2 image on a loop
 * device): the write that does not fit is refused as end of tape ({@code ENOSPC}, as Linux st
 * reports it), nothing of it lands on the tape, and the tape reopens with every acknowledged
 * record.
 */
class HostFullTest {
  private static final int RECORD = 32 * 1024;

  @TempDir Path tmp;

  private static byte[] record(long i) {
    byte[] b = new byte[RECORD];
    Arrays.fill(b, (byte) (i * 7));
    ByteBuffer.wrap(b).putLong(i);
    return b;
  }

  @Test
  void aFullHostFileSystemIsTheEndOfTapeAndTheTapeStaysWhole() throws Exception {
    try (LoopImage fs = LoopImage.create(tmp, 4)) {
      Path tapes = Files.createDirectories(fs.mount(false).resolve("tapes"));
      long acked = 0;
      try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
        InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
        String url = "rmt://127.0.0.1:" + a.getPort() + "/full";
        TapeException refused = null;
        try (Tape t =
            RemoteTapes.open(
                url,
                OpenMode.writeOnly().with(OpenMode.Flag.CREATE),
                ClientConfig.defaults(),
                Map.of())) {
          for (long i = 0; i < 1000 && refused == null; i++) {
            try {
              assertThat(t.write(ByteBuffer.wrap(record(i)))).isEqualTo(RECORD);
              acked++;
            } catch (TapeException e) {
              refused = e;
            }
          }
          assertThat(refused).as("the 4 MiB file system fills up").isNotNull();
          assertThat(refused.errno()).isEqualTo(Errno.ENOSPC);
          assertThat(refused.getMessage()).contains("127.0.0.1").doesNotContain("\n");
        } catch (TapeException closing) {
          // The closing filemark may not fit either; it is reported, the records stay.
          assertThat(closing.errno()).isEqualTo(Errno.ENOSPC);
        }
        assertThat(acked).isGreaterThan(50);
        Await.until(() -> server.sessions() == 0, Duration.ofSeconds(10), "the session to end");
        // The next session reads every acknowledged record back, intact.
        try (Tape t =
            RemoteTapes.open(url, OpenMode.readOnly(), ClientConfig.defaults(), Map.of())) {
          ByteBuffer buf = ByteBuffer.allocate(2 * RECORD);
          long read = 0;
          for (int n; (n = t.read(buf.clear())) > 0; read++) {
            assertThat(n).isEqualTo(RECORD);
            assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(record(read));
          }
          assertThat(read).isEqualTo(acked);
        }
      }
      fs.unmount();
    }
  }
}
