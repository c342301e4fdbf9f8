package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDumpTest {
  @TempDir Path dir;

  @Test
  void incrementalSelectsChangedInodesAndTheDirectoriesLeadingToThem() throws Exception {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/f"), "f");
    Files.writeString(dir.resolve("g"), "g");
    TreeScanner.Scan scan = TreeScanner.scan(dir);
    int newest =
        Stream.concat(scan.directories().stream(), scan.others().stream())
            .mapToInt(n -> Math.max(n.meta().ctime(), n.meta().mtime()))
            .max()
            .orElseThrow();
    InodeMap nothingChanged = TreeDump.selected(scan, newest + 1L);
    assertThat(nothingChanged.size()).as("only the root").isEqualTo(1);
    assertThat(nothingChanged.contains(2)).isTrue();
    InodeMap all = TreeDump.selected(scan, Long.MIN_VALUE);
    assertThat(all.size()).isEqualTo(scan.directories().size() + scan.others().size());
  }

  @Test
  void anyNumberOfWorkersWritesTheSameBytes() throws Exception {
    Random random = new Random(5);
    for (int i = 0; i < 40; i++) {
      byte[] data = new byte[random.nextInt(1_500_000)];
      random.nextBytes(data);
      if (i % 7 == 0) {
        // A run of zeros: a hole in the dump.
        Arrays.fill(data, data.length / 4, data.length / 2, (byte) 0);
      }
      Files.write(dir.resolve("f" + i), data);
    }
    TreeScanner.Scan scan = TreeScanner.scan(dir);
    byte[] one = dump(scan, 1);
    assertThat(dump(scan, 5)).isEqualTo(one);
    assertThat(dump(scan, 16)).isEqualTo(one);
  }

  /**
   * Sizes on both sides of the small-buffer and batch limits, and of whole groups, in an order that
   * mixes them: every file reads back with exactly its bytes, whatever the number of workers.
   */
  @Test
  void filesOfEverySizeAroundTheBufferLimitsReadBackExactly() throws Exception {
    int small = ReadAhead.SMALL_BYTES;
    int group = ReadAhead.GROUP_BYTES;
    int[] sizes = {
      0,
      1,
      1023,
      1024,
      1025,
      small - 1,
      small,
      small + 1,
      ReadAhead.BATCH_BYTES - 1,
      ReadAhead.BATCH_BYTES,
      group - 1,
      group,
      group + 1,
      3 * group + 7,
      5000,
      70_000,
      300
    };
    Random random = new Random(11);
    Map<String, byte[]> written = new java.util.HashMap<>();
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < sizes.length; i++) {
        byte[] data = new byte[sizes[(i + round * 5) % sizes.length]];
        random.nextBytes(data);
        String name = String.format("r%d-%02d", round, i);
        Files.write(dir.resolve(name), data);
        written.put(name, data);
      }
    }
    TreeScanner.Scan scan = TreeScanner.scan(dir);
    for (int workers : new int[] {1, 3, 16}) {
      MemoryRestore r = MemoryRestore.read(new ByteArrayInputStream(dump(scan, workers)));
      assertThat(r.problems).isEmpty();
      for (TreeScanner.Node n : scan.others()) {
        String name = n.place().name().toString();
        assertThat(r.data.get(n.meta().ino()))
            .as(name + ", " + workers + " workers")
            .isEqualTo(written.get(name));
      }
    }
  }

  @Test
  void holesFoundWithoutReadingThemDumpAsTheSameBytesWrittenOut() throws Exception {
    byte[] content = new byte[9 * ReadAhead.GROUP_BYTES + 3000];
    Random random = new Random(8);
    byte[] head = new byte[100_000];
    byte[] middle = new byte[70_000];
    random.nextBytes(head);
    random.nextBytes(middle);
    System.arraycopy(head, 0, content, 0, head.length);
    System.arraycopy(middle, 0, content, 5 * ReadAhead.GROUP_BYTES + 1000, middle.length);
    Files.write(dir.resolve("dense"), content);
    try (var ch =
        java.nio.channels.FileChannel.open(
            dir.resolve("sparse"),
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(head), 0);
      ch.write(ByteBuffer.wrap(middle), 5 * ReadAhead.GROUP_BYTES + 1000);
      ch.truncate(content.length);
      ch.write(ByteBuffer.wrap(new byte[] {0}), content.length - 1);
    }
    try (org.jrmt.fs.Directory d = org.jrmt.fs.Directory.open(dir);
        org.jrmt.fs.FileHandle sparse =
            d.open(
                org.jrmt.fs.FileName.of("sparse"),
                org.jrmt.fs.Directory.Access.READ,
                org.jrmt.fs.Directory.Create.NO,
                false,
                0)) {
      assertThat(Holes.none(sparse, 2L * ReadAhead.GROUP_BYTES, ReadAhead.GROUP_BYTES)).isTrue();
      assertThat(Holes.none(sparse, 0, ReadAhead.GROUP_BYTES)).isFalse();
    }
    TreeScanner.Scan scan = TreeScanner.scan(dir);
    java.util.Map<Integer, String> files = records(dump(scan, 3));
    int dense = inode(scan, "dense");
    int sparse = inode(scan, "sparse");
    assertThat(files.get(sparse)).isNotEmpty().isEqualTo(files.get(dense));
  }

  private static int inode(TreeScanner.Scan scan, String name) {
    return scan.others().stream()
        .filter(n -> n.place().name().toString().equals(name))
        .findFirst()
        .orElseThrow()
        .meta()
        .ino();
  }

  /** Per inode: its slot maps and data records as the stream carries them, as text. */
  private static java.util.Map<Integer, String> records(byte[] stream) throws Exception {
    DumpReader reader = new DumpReader(new java.io.ByteArrayInputStream(stream));
    java.util.Map<Integer, StringBuilder> out = new java.util.HashMap<>();
    byte[] record = new byte[DumpHeader.TP_BSIZE];
    for (DumpHeader h = reader.nextHeader(); h.type() != HeaderType.END; h = reader.nextHeader()) {
      if (h.type() != HeaderType.INODE && h.type() != HeaderType.ADDR) {
        for (int i = 0; i < h.dataRecords(); i++) {
          reader.readData(record);
        }
        continue;
      }
      StringBuilder b = out.computeIfAbsent(h.inumber(), k -> new StringBuilder());
      for (int i = 0; i < h.count(); i++) {
        b.append(h.present(i) ? '1' : '0');
        if (h.present(i)) {
          reader.readData(record);
          b.append(java.util.HexFormat.of().formatHex(record));
        }
      }
    }
    java.util.Map<Integer, String> result = new java.util.HashMap<>();
    out.forEach((k, v) -> result.put(k, v.toString()));
    return result;
  }

  private static byte[] dump(TreeScanner.Scan scan, int workers) throws Exception {
    MemoryVolumes one = MemoryVolumes.unlimited();
    VolumeWriter volumes =
        new VolumeWriter(
            one, 7, new DumpStream.Label(1_700_000_000, 0, 0, "l", "/", "-", "h"), new long[0]);
    TreeDump.write(scan, volumes.stream(), Long.MIN_VALUE, workers, w -> {});
    assertThat(one.volumes).hasSize(1);
    return one.bytes().get(0);
  }
}
