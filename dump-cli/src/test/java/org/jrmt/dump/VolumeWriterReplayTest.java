package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End of tape met with records in flight: the volume writer replays, on the next volume, the
 * records the tape's writer hands back, from the writer's own buffers (it keeps no copy of its
 * own), before it lets them go; the set then reads as the same stream a single volume holds, every
 * header stamped with its volume and stream index. The tape is a fake: no real one ends on cue at
 * every size.
 */
class VolumeWriterReplayTest {
  @TempDir Path dir;

  private static final DumpStream.Label LABEL =
      new DumpStream.Label(1_700_000_000, 0, 0, "l", "/", "-", "h");

  private TreeScanner.Scan tree() throws IOException {
    Random random = new Random(19);
    for (int i = 0; i < 40; i++) {
      byte[] data = new byte[i == 7 ? 700_000 : random.nextInt(30_000)];
      random.nextBytes(data);
      Files.write(dir.resolve("f" + i), data);
    }
    return TreeScanner.scan(dir);
  }

  private static List<byte[]> dump(TreeScanner.Scan scan, MemoryVolumes device, int ntrec)
      throws IOException {
    VolumeWriter volumes = new VolumeWriter(device, ntrec, LABEL, new long[0]);
    TreeDump.write(scan, volumes.stream(), Long.MIN_VALUE, 2, w -> {});
    return device.bytes();
  }

  @ParameterizedTest(name = "{0} KiB records, {1} per volume, {2} in flight")
  @CsvSource({"10, 20, 5", "10, 7, 6", "1, 40, 39", "3, 15, 1", "7, 9, 0", "64, 3, 2"})
  void theRecordsHandedBackAreReplayedOnTheNextVolume(int ntrec, int capacity, int window)
      throws Exception {
    TreeScanner.Scan scan = tree();
    List<DumpRecord> expected = records(dump(scan, MemoryVolumes.unlimited(), ntrec));
    MemoryVolumes device = new MemoryVolumes(capacity, window);
    List<byte[]> set = dump(scan, device, ntrec);
    assertThat(set).hasSizeGreaterThan(2);
    for (byte[] v : set.subList(0, set.size() - 1)) {
      assertThat(v.length).isEqualTo(capacity * ntrec * DumpHeader.TP_BSIZE);
    }
    assertThat(device.handedBack).isEqualTo(set.size() - 1);
    assertThat(device.closed).as("every hand-back given back").isEqualTo(device.handedBack);
    assertThat(records(set)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} tape records in flight")
  @CsvSource({"0", "1", "5"})
  void aVolumeThatTakesAlmostNothingEndsTheDump(int window) throws Exception {
    TreeScanner.Scan scan = tree();
    assertThatThrownBy(() -> dump(scan, new MemoryVolumes(1, window), 10))
        .isInstanceOf(IOException.class)
        .hasMessage("memory1: end of tape at the start of volume 1: it holds nothing");
  }

  /** A record of the stream with what depends on where it went left out: c_volume, c_tapea. */
  private record DumpRecord(String type, byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof DumpRecord r && type.equals(r.type) && Arrays.equals(bytes, r.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return type;
    }
  }

  /**
   * The stream the set holds, read as restore reads it ({@link VolumeSet}: each later volume's
   * TS_TAPE checked and its replayed records passed over), up to the first TS_END; each header's
   * {@code c_tapea} is checked against its index in the stream.
   */
  private static List<DumpRecord> records(List<byte[]> set) throws IOException {
    List<DumpRecord> out = new ArrayList<>();
    VolumeSet.Source source =
        new VolumeSet.Source() {
          @Override
          public InputStream open(int n) throws IOException {
            if (n > set.size()) {
              throw new IOException("no volume " + n);
            }
            return new ByteArrayInputStream(set.get(n - 1));
          }

          @Override
          public String name(int n) {
            return "v" + n;
          }
        };
    try (VolumeSet volumes = new VolumeSet(source)) {
      byte[] rec = new byte[DumpHeader.TP_BSIZE];
      int owed = 0;
      while (volumes.read(rec)) {
        if (owed > 0) {
          owed--;
          out.add(new DumpRecord("data", rec.clone()));
          continue;
        }
        DumpHeader h = DumpHeader.decode(rec, 0);
        assertThat(h.tapea()).as("c_tapea of %s", h).isEqualTo(volumes.index() - 1);
        assertThat(h.volume()).as("c_volume of %s", h).isEqualTo(volumes.volume());
        if (h.type() == HeaderType.TAPE) {
          continue;
        }
        if (h.type() == HeaderType.END) {
          volumes.ended();
          break;
        }
        owed = h.dataRecords();
        out.add(new DumpRecord(h.type() + " " + h.inumber(), h.at(0, 0).encode()));
      }
    }
    return out;
  }
}
