package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileName;

/**
 * Fuzzes what jrestore decodes from a dump it did not write: headers, directory blocks and a whole
 * catalog. Arbitrary bytes must give a value or a {@link DumpFormatException} / {@link
 * java.io.EOFException}, never another exception, a hang or an allocation sized by a lying field.
 * In {@code mvn verify} these run in regression mode over the seeds in {@code
 * src/test/resources/org/jrmt/dump/DumpFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>Random bytes almost never pass a header's checksum, so the harness may first give every record
 * carrying the magic a correct checksum: the fuzzer then explores what lies behind it.
 */
class DumpFuzzTest {

  /** Sets {@code c_checksum} of each 1 KiB record that carries the magic so that it sums right. */
  static void fixChecksums(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    for (int at = 0; at + DumpHeader.TP_BSIZE <= data.length; at += DumpHeader.TP_BSIZE) {
      int magic = b.getInt(at + 24);
      if (magic != DumpHeader.NFS_MAGIC && magic != DumpHeaders.FS_UFS2_MAGIC) {
        continue;
      }
      b.putInt(at + 28, 0);
      int sum = 0;
      for (int i = 0; i < DumpHeader.TP_BSIZE; i += 4) {
        sum += b.getInt(at + i);
      }
      b.putInt(at + 28, DumpHeader.CHECKSUM - sum);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void header(FuzzedDataProvider data) {
    boolean fix = data.consumeBoolean();
    boolean ufs2 = data.consumeBoolean();
    byte[] record = new byte[DumpHeader.TP_BSIZE];
    byte[] input = data.consumeRemainingAsBytes();
    System.arraycopy(input, 0, record, 0, Math.min(input.length, record.length));
    if (fix) {
      ByteBuffer.wrap(record)
          .order(ByteOrder.LITTLE_ENDIAN)
          .putInt(24, ufs2 ? DumpHeaders.FS_UFS2_MAGIC : DumpHeader.NFS_MAGIC);
      fixChecksums(record);
    }
    // Both layouts: a header that passes isHeader decodes, and one that does not is refused with
    // a DumpFormatException, never another exception (a negative or impossible c_count included).
    boolean either = DumpHeaders.isHeader(record);
    try {
      DumpHeader h = DumpHeaders.decode(record);
      assertThat(either).as("decoded, so isHeader agrees").isTrue();
      assertThat(h.count()).isBetween(0, DumpHeader.MAX_MAP_RECORDS);
    } catch (DumpFormatException e) {
      assertThat(either).as("refused, so isHeader agrees").isFalse();
      assertThat(e.getMessage()).doesNotContain("\n");
    }
    boolean valid = DumpHeader.isHeader(record, 0);
    try {
      DumpHeader h = DumpHeader.decode(record, 0);
      assertThat(valid).as("decoded, so isHeader agrees").isTrue();
      assertThat(h.type()).isNotNull();
      // What jdump would write back is a valid header of the same type and count. (Not the same
      // bytes: names that are not UTF-8 come back as U+FFFD, and encode may cut a long name in
      // the middle of a character.)
      DumpHeader again = DumpHeader.decode(h.encode(), 0);
      assertThat(again.type()).isEqualTo(h.type());
      assertThat(again.count()).isEqualTo(h.count());
    } catch (DumpFormatException e) {
      assertThat(valid).as("refused, so isHeader agrees").isFalse();
      assertThat(e.getMessage()).doesNotContain("\n");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void directory(FuzzedDataProvider data) {
    byte[] input = data.consumeRemainingAsBytes();
    List<String> problems = new ArrayList<>();
    List<DirectoryEntry> entries = DirectoryEntry.decode(input, problems);
    // Each entry takes at least 8 bytes of the block.
    assertThat(entries.size()).isLessThanOrEqualTo(input.length / 8);
    for (DirectoryEntry e : entries) {
      assertThat(e.name()).isNotEmpty();
      assertThat(e.name().length).isLessThanOrEqualTo(DirectoryEntry.MAX_NAME + 1);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void catalog(FuzzedDataProvider data) {
    boolean fix = data.consumeBoolean();
    byte[] input = data.consumeRemainingAsBytes();
    if (fix) {
      fixChecksums(input);
    }
    try {
      DumpCatalog c = DumpCatalog.read(new DumpReader(new ByteArrayInputStream(input)));
      assertThat(c).isNotNull();
    } catch (IOException e) {
      // DumpFormatException or EOFException: a damaged or foreign dump, said in one line.
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /**
   * A whole {@code jrestore -x} of arbitrary bytes into a scratch directory: whatever the dump, the
   * run ends with exit 0, 1 or 2 and one-line reports, never an exception (the main reports an
   * unexpected one as "internal error", which fails this), and nothing is written outside the
   * scratch directory (its parent holds it alone).
   */
  @FuzzTest(maxDuration = "60s")
  void restore(FuzzedDataProvider data) throws IOException {
    boolean fix = data.consumeBoolean();
    byte[] input = data.consumeRemainingAsBytes();
    if (fix) {
      fixChecksums(input);
    }
    Path parent = Files.createTempDirectory("restore-fuzz");
    try {
      Path target = parent.resolve("t");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc =
          Jrestore.run(
              new String[] {"-x", "-y", "-f", "-", "-D", target.toString()},
              new ByteArrayInputStream(input),
              new PrintStream(OutputStream.nullOutputStream()),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              parent.resolve("no-terminal"));
      String e = err.toString(StandardCharsets.UTF_8);
      assertThat(rc).as(e).isBetween(0, 2);
      assertThat(e).doesNotContain("internal error");
      try (Stream<Path> s = Files.list(parent)) {
        assertThat(s.map(p -> p.getFileName().toString())).isSubsetOf("t");
      }
    } finally {
      try (Directory d = Directory.open(parent.getParent())) {
        d.removeTree(FileName.of(parent.getFileName().toString()));
      }
    }
  }
}
