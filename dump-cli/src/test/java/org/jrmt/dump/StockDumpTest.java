package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** jrmt's dump format code against dumps written by the stock Linux dump 0.4b47. */
class StockDumpTest {
  static InputStream fixture(String name) {
    return Objects.requireNonNull(
        StockDumpTest.class.getResourceAsStream("fixtures/" + name), name);
  }

  static List<String> lines(String name) throws Exception {
    try (InputStream in = fixture(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void level0HasTheStreamOrderRestoreDependsOn() throws Exception {
    MemoryRestore r;
    try (InputStream in = fixture("level0.dump")) {
      r = MemoryRestore.read(in);
    }
    DumpHeader tape = r.headers.get(0);
    assertThat(tape.type()).isEqualTo(HeaderType.TAPE);
    assertThat(tape.volume()).isEqualTo(1);
    assertThat(tape.flags() & 3).isEqualTo(DumpHeader.DR_NEWHEADER | DumpHeader.DR_NEWINODEFMT);
    assertThat(tape.level()).isZero();
    assertThat(r.headers.get(1).type()).isEqualTo(HeaderType.CLRI);
    assertThat(r.headers.get(2).type()).isEqualTo(HeaderType.BITS);
    // Every header carries the same date, and c_tapea counts every record before it.
    assertThat(r.headers).allSatisfy(h -> assertThat(h.date()).isEqualTo(tape.date()));
    // Directories first (root = 2), then the rest in ascending inode order.
    List<DumpHeader> inodes =
        r.headers.stream()
            .filter(h -> h.type() == HeaderType.INODE && (h.flags() & 0x8000) == 0)
            .toList();
    assertThat(inodes.get(0).inumber()).isEqualTo(2);
    int firstFile = 0;
    while (inodes.get(firstFile).isDirectory()) {
      firstFile++;
    }
    assertThat(inodes.subList(firstFile, inodes.size())).noneMatch(DumpHeader::isDirectory);
    assertThat(inodes.subList(firstFile, inodes.size())).extracting(DumpHeader::inumber).isSorted();
    assertThat(r.bits.contains(2)).isTrue();
    assertThat(inodes).allSatisfy(h -> assertThat(r.bits.contains(h.inumber())).isTrue());
  }

  @Test
  void level0RebuildsTheSourceTree() throws Exception {
    MemoryRestore r;
    try (InputStream in = fixture("level0.dump")) {
      r = MemoryRestore.read(in);
    }
    TreeSet<String> actual = r.signature();
    actual.removeIf(l -> l.startsWith("./lost+found"));
    TreeSet<String> expected = new TreeSet<>(lines("source-tree-signature.txt"));
    // A 255-byte name cannot survive stock dump (reference §2.4): its entry lost its name.
    expected.removeIf(l -> l.split("\\|")[0].length() >= 2 + 255);
    assertThat(r.problems).singleElement().asString().contains("lost its name (255 bytes");
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void headersRoundTripThroughOurEncoder() throws Exception {
    MemoryRestore r;
    try (InputStream in = fixture("level0.dump")) {
      r = MemoryRestore.read(in);
    }
    for (DumpHeader h : r.headers) {
      byte[] ours = h.encode();
      assertThat(DumpHeader.isHeader(ours, 0)).isTrue();
      assertThat(DumpHeader.decode(ours, 0)).isEqualTo(h);
    }
  }

  @Test
  void directoryBlocksRoundTrip() throws Exception {
    List<DirectoryEntry> entries =
        IntStream.range(0, 60)
            .mapToObj(
                i ->
                    new DirectoryEntry(
                        10 + i, DirectoryEntry.DT_REG, ("file-" + "x".repeat(i)).getBytes()))
            .collect(Collectors.toList());
    byte[] encoded = DirectoryEntry.encode(entries);
    assertThat(encoded.length % DirectoryEntry.BLOCK).isZero();
    List<String> problems = new ArrayList<>();
    assertThat(DirectoryEntry.decode(encoded, problems)).containsExactlyElementsOf(entries);
    assertThat(problems).isEmpty();
  }
}
