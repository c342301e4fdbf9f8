package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volume whose device fails (not at end of tape) is rewritten from its start, the stream
 * regenerated from the checkpoint at the volume's first record: the volumes end up byte for byte
 * what an undisturbed dump writes. The failing device is a fake: no real peer fails on cue.
 */
class DumpJobRetryTest {
  @TempDir Path dir;

  /** In-memory volumes; fails once, with an I/O error, at one tape record of one volume. */
  private static final class FlakySink implements VolumeWriter.Device {
    final List<ByteArrayOutputStream> volumes = new ArrayList<>();
    final int failVolume;
    final long failBlock;
    long blocks;
    int reopened;
    Runnable onReopen = () -> {};

    FlakySink(int failVolume, long failBlock) {
      this.failVolume = failVolume;
      this.failBlock = failBlock;
    }

    @Override
    public RecordWriter open(int number) {
      volumes.add(new ByteArrayOutputStream());
      blocks = 0;
      return writer();
    }

    @Override
    public RecordWriter reopen(int number) {
      onReopen.run();
      reopened++;
      volumes.set(volumes.size() - 1, new ByteArrayOutputStream());
      blocks = 0;
      return writer();
    }

    @Override
    public String name(int number) {
      return "host:tape";
    }

    private RecordWriter writer() {
      return new RecordWriter() {
        @Override
        public void write(ByteBuffer block) throws TapeException {
          if (volumes.size() == failVolume && blocks == failBlock && reopened == 0) {
            throw new TapeException(Errno.EIO, "connection lost");
          }
          byte[] b = new byte[block.remaining()];
          block.get(b);
          volumes.get(volumes.size() - 1).write(b, 0, b.length);
          blocks++;
        }

        @Override
        public void flush() {}

        @Override
        public long written() {
          return blocks;
        }

        @Override
        public Unwritten handBack() {
          return Unwritten.NONE;
        }

        @Override
        public void close() {}
      };
    }
  }

  private TreeScanner.Scan tree() throws IOException {
    Random random = new Random(11);
    for (int i = 0; i < 30; i++) {
      byte[] data = new byte[random.nextInt(200_000)];
      random.nextBytes(data);
      Files.write(dir.resolve("f" + i), data);
    }
    return TreeScanner.scan(dir);
  }

  private static List<byte[]> dump(TreeScanner.Scan scan, FlakySink sink, DumpJob.Retry retry)
      throws IOException {
    VolumeWriter volumes =
        new VolumeWriter(
            sink,
            10,
            new DumpStream.Label(1_700_000_000, 0, 0, "l", "/", "-", "h"),
            new long[] {600});
    new DumpJob(volumes, retry).run(TreeDump.pass(scan, Long.MIN_VALUE, 2, w -> {}));
    return sink.volumes.stream().map(ByteArrayOutputStream::toByteArray).toList();
  }

  @Test
  void aFailedVolumeIsRewrittenIdentically() throws Exception {
    TreeScanner.Scan scan = tree();
    List<byte[]> clean = dump(scan, new FlakySink(0, -1), DumpJob.Retry.NEVER);
    assertThat(clean).hasSizeGreaterThan(3);
    for (int volume : new int[] {1, 2, 3}) {
      FlakySink flaky = new FlakySink(volume, 30);
      List<Integer> asked = new ArrayList<>();
      List<byte[]> retried =
          dump(
              scan,
              flaky,
              (v, attempt, cause) -> {
                asked.add(v);
                assertThat(cause).hasMessage("host:tape: connection lost");
                return attempt <= 1;
              });
      assertThat(flaky.reopened).as("volume %d", volume).isEqualTo(1);
      assertThat(asked).containsExactly(volume);
      assertThat(retried).hasSameSizeAs(clean);
      for (int i = 0; i < clean.size(); i++) {
        int at = java.util.Arrays.mismatch(retried.get(i), clean.get(i));
        assertThat(at)
            .as(
                "failed on volume %d: first byte that differs on volume %d (record %d: %s)",
                volume,
                i + 1,
                at / 1024,
                at < 0 ? "" : DumpHeader.decode(retried.get(i), at / 1024 * 1024))
            .isEqualTo(-1);
      }
    }
  }

  @Test
  void aStreamThatNoLongerLinesUpIsNotWrittenOnTheRetriedVolume() throws Exception {
    TreeScanner.Scan scan = tree();
    Path first = dir.resolve(scan.others().get(0).place().name().toString());
    FlakySink flaky = new FlakySink(3, 30);
    // Between the attempts the first file's data turns to zeros: regenerated, it is all holes,
    // so the records before volume 3 are fewer than the ones already on volumes 1 and 2.
    flaky.onReopen =
        () -> {
          try {
            Files.write(first, new byte[(int) Files.size(first)]);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    assertThatThrownBy(() -> dump(scan, flaky, (v, attempt, cause) -> attempt <= 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot rewrite volume 3: the tree changed since it began");
    assertThat(flaky.volumes.get(2).size()).isZero();
  }

  @Test
  void withoutRetryTheCauseEndsTheDump() throws Exception {
    TreeScanner.Scan scan = tree();
    assertThatThrownBy(() -> dump(scan, new FlakySink(2, 5), DumpJob.Retry.NEVER))
        .isInstanceOf(IOException.class)
        .hasMessage("host:tape: connection lost");
  }
}
