package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.jrmt.dump.testing.DumpBuilder;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jrestore's extract, rebuild and compare on the stock dump fixtures and damaged copies. */
class JrestoreTest {
  @TempDir Path tmp;

  /** What a run printed and returned. */
  record Run(int exit, String out, String err) {}

  static final boolean ROOT = Posix.isRoot();

  Run jrestore(Object... args) {
    return jrestoreWithInput(new ByteArrayInputStream(new byte[0]), args);
  }

  Run jrestoreWithInput(InputStream stdin, Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] a = Arrays.stream(args).map(Object::toString).toArray(String[]::new);
    int rc =
        Jrestore.run(
            a,
            stdin,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            tmp.resolve("no-terminal"));
    return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path fixture(String name) throws IOException {
    Path p = tmp.resolve(name);
    if (!Files.exists(p)) {
      try (InputStream in = StockDumpTest.fixture(name)) {
        Files.write(p, in.readAllBytes());
      }
    }
    return p;
  }

  /** The signature expected of a restore: owners only as root, no 255-byte name (§2.4). */
  static TreeSet<String> expected(String signatureFile) throws Exception {
    TreeSet<String> lines = new TreeSet<>();
    for (String l : StockDumpTest.lines(signatureFile)) {
      if (l.split("\\|")[0].length() < 2 + 255) {
        lines.add(l);
      }
    }
    return ROOT ? lines : withoutOwners(lines);
  }

  static TreeSet<String> withoutOwners(TreeSet<String> lines) {
    TreeSet<String> out = new TreeSet<>();
    for (String l : lines) {
      String[] f = l.split("\\|", -1);
      if (f.length > 3 && !f[1].contains("special")) {
        f[3] = "-";
        out.add(String.join("|", f));
      }
    }
    return out;
  }

  static TreeSet<String> actual(Path dir, String... ignored) throws IOException {
    TreeSet<String> s = TreeSignature.of(dir, ignored);
    s.remove(".|directory|755|0:0"); // the target itself is not part of the signature
    s.removeIf(l -> l.startsWith(".|"));
    return ROOT ? s : withoutOwners(s);
  }

  @Test
  void stockLevel0ExtractsToItsTreeSignature() throws Exception {
    Path out = tmp.resolve("out");
    Run r = jrestore("-x", "-f", fixture("level0.dump"), "-D", out);
    // Stock dump mangled the 255-byte name (reference §2.4): reported as damage.
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("lost its name (255 bytes").doesNotContain("damaged or lost");
    TreeSet<String> want = expected("source-tree-signature.txt");
    want.removeIf(l -> l.startsWith(".|"));
    assertThat(actual(out, "lost+found")).containsExactlyElementsOf(want);
    // Times are restored: hello.txt was dated 2 January 2020 on the source.
    FileTime t = Files.getLastModifiedTime(out.resolve("hello.txt"));
    assertThat(t.toInstant().toString()).startsWith("2020-01-02");
    // Holes stay holes: the 4 MiB sparse file takes a few blocks only.
    assertThat(blocks(out.resolve("sparse.bin"))).isLessThan(200);
  }

  static long blocks(Path p) throws Exception {
    Process ps = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
    String s = new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertThat(ps.waitFor()).isZero();
    return Long.parseLong(s);
  }

  @Test
  void namedFilesOnly() throws Exception {
    Path out = tmp.resolve("out");
    Run r = jrestore("-x", "-f", fixture("level0.dump"), "-D", out, "./dir1/dir2", "hello.txt");
    assertThat(r.exit()).isEqualTo(2); // the mangled name, as above
    assertThat(TreeSignature.of(out))
        .extracting(l -> l.split("\\|")[0])
        .containsExactlyInAnyOrder(
            ".",
            "./dir1",
            "./dir1/dir2",
            "./dir1/dir2/dir3",
            "./dir1/dir2/dir3/deep.txt",
            "./hello.txt");
    Run missing = jrestore("-x", "-f", fixture("level0.dump"), "-D", out, "nosuch");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("./nosuch: not on the dump");
  }

  @Test
  void level0ThenLevel1RebuildsTheChangedTree() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Run l1First = jrestore("-r", "-f", fixture("level1.dump"), "-D", out);
    assertThat(l1First.exit()).isEqualTo(1);
    assertThat(l1First.err()).contains("needs that dump restored first");
    assertThat(jrestore("-r", "-f", fixture("level0.dump"), "-D", out).exit()).isEqualTo(2);
    Run l1 = jrestore("-r", "-f", fixture("level1.dump"), "-D", out);
    assertThat(l1.exit()).as(l1.err()).isEqualTo(2);
    assertThat(l1.err()).doesNotContain("damaged or lost");
    TreeSet<String> want = expected("after-level1-signature.txt");
    want.removeIf(l -> l.startsWith(".|"));
    assertThat(actual(out, "lost+found", SymbolTable.NAME)).containsExactlyElementsOf(want);
    Run again = jrestore("-r", "-f", fixture("level1.dump"), "-D", out);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("applied already");
  }

  @Test
  void threeVolumesRestoreAsTheirConcatenation() throws Exception {
    Path a = tmp.resolve("a");
    String list = fixture("mv-vol001") + "," + fixture("mv-vol002") + "," + fixture("mv-vol003");
    Run r = jrestore("-x", "-f", list, "-D", a);
    assertThat(r.exit()).as(r.err()).isZero();
    Path b = tmp.resolve("b");
    Run m = jrestore("-r", "-M", "-f", tmp.resolve("mv-vol"), "-D", b);
    assertThat(m.exit()).as(m.err()).isZero();
    // The same stream in one piece: the volume headers of volumes 2 and 3 cut out (clean cuts).
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    one.write(Files.readAllBytes(fixture("mv-vol001")));
    for (String v : List.of("mv-vol002", "mv-vol003")) {
      byte[] all = Files.readAllBytes(fixture(v));
      one.write(all, 1024, all.length - 1024);
    }
    TreeSet<String> want =
        MemoryRestore.read(new ByteArrayInputStream(one.toByteArray())).signature();
    want.removeIf(l -> l.startsWith(".|"));
    if (!ROOT) {
      want = withoutOwners(want);
    }
    assertThat(actual(a)).containsExactlyElementsOf(want).isNotEmpty();
    assertThat(actual(b, SymbolTable.NAME)).containsExactlyElementsOf(want);
  }

  @Test
  void volumesOutOfOrderOrMissingAreClearErrors() throws Exception {
    Path out = tmp.resolve("out");
    Run wrong = jrestore("-x", "-f", fixture("mv-vol001") + "," + fixture("mv-vol003"), "-D", out);
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.err()).contains("this is volume 3 of the dump, volume 2 expected");
    Run noTty = jrestore("-x", "-f", fixture("mv-vol001"), "-D", out);
    assertThat(noTty.exit()).isEqualTo(2);
    assertThat(noTty.err())
        .contains("no terminal to ask on")
        .contains("damaged or lost")
        .contains("./spans.bin");
    Run second = jrestore("-x", "-f", fixture("mv-vol002"), "-D", out);
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err()).contains("this is volume 2, not volume 1");
  }

  /** Offsets of the headers of level0.dump, with the first TS_ADDR of big.bin (inode 14). */
  static int firstAddrOf(byte[] dump, int ino) throws Exception {
    for (int at = 0; at < dump.length; at += 1024) {
      if (DumpHeader.isHeader(dump, at)) {
        DumpHeader h = DumpHeader.decode(dump, at);
        if (h.type() == HeaderType.ADDR && h.inumber() == ino) {
          return at;
        }
      }
    }
    throw new AssertionError("no TS_ADDR for inode " + ino);
  }

  @Test
  void aBadChecksumMidFileLosesThatFileOnlyAndSaysSo() throws Exception {
    byte[] dump = Files.readAllBytes(fixture("level0.dump"));
    dump[firstAddrOf(dump, 14) + 700] ^= 0x55;
    Path bad = tmp.resolve("bad.dump");
    Files.write(bad, dump);
    Path out = tmp.resolve("out");
    Run r = jrestore("-x", "-f", bad, "-D", out);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("record 544 (after inode 14): header checksum error; skipped 513 record(s)")
        .contains("1 file(s) damaged or lost")
        .contains("./big.bin (inode 14): data lost from byte 524288");
    TreeSet<String> want = expected("source-tree-signature.txt");
    want.removeIf(l -> l.startsWith(".|") || l.startsWith("./big.bin"));
    TreeSet<String> got = actual(out, "lost+found");
    got.removeIf(l -> l.startsWith("./big.bin"));
    assertThat(got).containsExactlyElementsOf(want);
  }

  @Test
  void aMissingEndMarkerIsReported() throws Exception {
    byte[] dump = Files.readAllBytes(fixture("level0.dump"));
    int end = 0;
    while (!(DumpHeader.isHeader(dump, end)
        && DumpHeader.decode(dump, end).type() == HeaderType.END)) {
      end += 1024;
    }
    Path cut = tmp.resolve("noend.dump");
    Files.write(cut, Arrays.copyOf(dump, end));
    Path out = tmp.resolve("out");
    Run r = jrestoreWithInput(Files.newInputStream(cut), "-x", "-f", "-", "-D", out);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("ends without its end marker");
    TreeSet<String> want = expected("source-tree-signature.txt");
    want.removeIf(l -> l.startsWith(".|"));
    assertThat(actual(out, "lost+found")).containsExactlyElementsOf(want);
  }

  @Test
  void aTruncatedDumpListsWhatIsLost() throws Exception {
    byte[] dump = Files.readAllBytes(fixture("level0.dump"));
    Path cut = tmp.resolve("cut.dump");
    Files.write(cut, Arrays.copyOf(dump, firstAddrOf(dump, 14) - 100 * 1024 + 10));
    Run r = jrestore("-x", "-f", cut, "-D", tmp.resolve("out"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("the data ends in the middle of a record")
        .contains("./big.bin (inode 14): data lost from byte")
        .contains("./sparse.bin")
        .contains("not read (the dump is truncated)");
  }

  @Test
  void namesThatLeaveTheTargetAreRefusedAndLinksInTheWayNotFollowed() throws Exception {
    byte[] dump = Files.readAllBytes(fixture("level0.dump"));
    // Rename the root's "empty.txt" (9 bytes) to "../e.txt" (8) in the directory data.
    byte[] name = "empty.txt".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(dump, name);
    dump[at - 1] = 8;
    System.arraycopy("../e.txt\0".getBytes(StandardCharsets.US_ASCII), 0, dump, at, 9);
    Path bad = tmp.resolve("hostile.dump");
    Files.write(bad, dump);
    Path out = tmp.resolve("deep/out");
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside);
    Files.createDirectories(out);
    Files.createSymbolicLink(out.resolve("dir1"), outside);
    Run r = jrestore("-x", "-f", bad, "-D", out);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("refused the name ../e.txt: it could leave the target");
    assertThat(tmp.resolve("deep/e.txt")).doesNotExist();
    try (var s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
    assertThat(out.resolve("dir1")).isDirectory();
    assertThat(Files.isSymbolicLink(out.resolve("dir1"))).isFalse();
    assertThat(out.resolve("dir1/hardlink-deep")).exists();
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void compareReportsEachDifference() throws Exception {
    Path live = tmp.resolve("live");
    jrestore("-x", "-f", fixture("level0.dump"), "-D", live);
    Run same = jrestore("-C", "-f", fixture("level0.dump"), "-D", live);
    assertThat(same.out()).isEmpty();
    assertThat(same.exit()).as(same.err()).isZero();
    Files.writeString(live.resolve("exact1024.bin"), "x".repeat(1024));
    Files.setPosixFilePermissions(
        live.resolve("exact1025.bin"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.delete(live.resolve("empty.txt"));
    Files.delete(live.resolve("link-short"));
    Files.createSymbolicLink(live.resolve("link-short"), Path.of("dir1"));
    Files.writeString(live.resolve("dir1/dir2/dir3/deep.txt"), "longer now");
    Run r = jrestore("-C", "-f", fixture("level0.dump"), "-D", live);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out().lines())
        .containsExactlyInAnyOrder(
            "./empty.txt: unable to stat: no such file",
            "./exact1024.bin: contents changed",
            "./exact1025.bin: mode changed from 0644 to 0600",
            "./link-short: symbolic link changed from hello.txt to dir1",
            "./dir1/dir2/dir3/deep.txt: size has changed",
            "Some files were modified!  5 compare errors");
  }

  @Test
  void freeBsdUfs2HeadersTakeTheirTimesFromThe64BitFields() throws Exception {
    byte[] dump = Files.readAllBytes(fixture("level0.dump"));
    for (int at = 0; at < dump.length; at += 1024) {
      if (DumpHeader.isHeader(dump, at)) {
        DumpBuilder.toUfs2(dump, at);
      }
    }
    Path ufs2 = tmp.resolve("ufs2.dump");
    Files.write(ufs2, dump);
    Path out = tmp.resolve("out");
    Run r = jrestore("-x", "-f", ufs2, "-D", out);
    assertThat(r.exit()).isEqualTo(2); // the mangled name only
    TreeSet<String> want = expected("source-tree-signature.txt");
    want.removeIf(l -> l.startsWith(".|"));
    assertThat(actual(out, "lost+found")).containsExactlyElementsOf(want);
    assertThat(Files.getLastModifiedTime(out.resolve("hello.txt")).toInstant().toString())
        .startsWith("2020-01-02");
    Run t = jrestore("-t", "-f", ufs2);
    assertThat(t.out()).contains("./dir1/dir2/dir3/deep.txt");
  }

  @Test
  void jdumpRoundTripForEveryFileType() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("sub/deeper"));
    Files.writeString(src.resolve("plain.txt"), "hello\n");
    Files.createFile(src.resolve("empty"));
    byte[] big = new byte[700_000];
    new java.util.Random(7).nextBytes(big);
    Files.write(src.resolve("sub/big.bin"), big);
    try (var ch =
        java.nio.channels.FileChannel.open(
            src.resolve("sparse"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap("middle".getBytes()), 3 << 20);
      ch.truncate(6 << 20);
    }
    Files.setLastModifiedTime(src.resolve("sparse"), FileTime.fromMillis(1_000_000_000_000L));
    Files.createSymbolicLink(src.resolve("sub/link"), Path.of("../plain.txt"));
    Files.createLink(src.resolve("sub/deeper/hard"), src.resolve("plain.txt"));
    Files.writeString(src.resolve("héllo wörld"), "utf8");
    try (Directory d = Directory.open(src)) {
      d.mknod(FileName.of("fifo"), 0x1000 | 0640, 0);
      d.chmod(FileName.of("fifo"), 0640);
      d.chmod(FileName.of("plain.txt"), 04755);
      try (Directory sub = d.directory(FileName.of("sub"))) {
        sub.chmod(FileName.of("deeper"), 0750);
      }
      if (ROOT) {
        d.mknod(FileName.of("null"), 0x2000 | 0644, 0x103);
        d.chmod(FileName.of("null"), 0644);
        d.chown(FileName.of("héllo wörld"), 1234, 5678);
      }
    }
    Path dump = tmp.resolve("j.dump");
    ByteArrayOutputStream jerr = new ByteArrayOutputStream();
    int rc =
        Jdump.run(
            new String[] {"-0", "-f", dump.toString(), src.toString()},
            new PrintStream(jerr, true, StandardCharsets.UTF_8));
    assertThat(rc).as(jerr.toString(StandardCharsets.UTF_8)).isZero();
    Path out = tmp.resolve("out");
    Run r = jrestore("-r", "-f", dump, "-D", out);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(actual(out, SymbolTable.NAME)).containsExactlyElementsOf(actual(src));
    assertThat(Files.getLastModifiedTime(out.resolve("sparse")))
        .isEqualTo(FileTime.fromMillis(1_000_000_000_000L));
    assertThat(blocks(out.resolve("sparse"))).isLessThan(64);
    // Dumps carry whole seconds.
    assertThat(Files.getLastModifiedTime(out.resolve("sub"), LinkOption.NOFOLLOW_LINKS).toInstant())
        .isEqualTo(
            Files.getLastModifiedTime(src.resolve("sub"), LinkOption.NOFOLLOW_LINKS)
                .toInstant()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    List<String> listed = new ArrayList<>(jrestore("-t", "-v", "-f", dump).out().lines().toList());
    assertThat(listed).anyMatch(l -> l.startsWith("dir ") && l.endsWith("\t./sub"));
  }

  @Test
  void jdumpLevelsRebuildWithRenamesAndDeletions() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("a/b"));
    Files.createDirectories(src.resolve("gone"));
    Files.writeString(src.resolve("a/b/keep.txt"), "kept");
    Files.writeString(src.resolve("a/move-me.txt"), "moved");
    Files.writeString(src.resolve("gone/x.txt"), "deleted");
    Files.writeString(src.resolve("change.txt"), "before");
    Path dates = tmp.resolve("dumpdates");
    Path out = tmp.resolve("out");
    jdump("-0", "-u", "-D", dates, "-f", tmp.resolve("l0.dump"), src);
    assertThat(jrestore("-r", "-f", tmp.resolve("l0.dump"), "-D", out).exit()).isZero();
    // No wait needed: dump takes ctime >= the base date, so same-second changes are taken.
    Files.move(src.resolve("a/move-me.txt"), src.resolve("a/b/moved.txt"));
    Files.delete(src.resolve("gone/x.txt"));
    Files.delete(src.resolve("gone"));
    Files.writeString(src.resolve("change.txt"), "after, longer");
    Files.createDirectories(src.resolve("new"));
    Files.writeString(src.resolve("new/n.txt"), "new");
    jdump("-1", "-u", "-D", dates, "-f", tmp.resolve("l1.dump"), src);
    Run r = jrestore("-r", "-f", tmp.resolve("l1.dump"), "-D", out);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(actual(out, SymbolTable.NAME)).containsExactlyElementsOf(actual(src));
  }

  @Test
  void recordsReplayedAfterAnEndOfTapeAreSkippedByTheFirstrecRule() throws Exception {
    // Volume 2 as dump writes it after an end of tape: its header says it starts 5 records
    // before the end of volume 1 (c_firstrec), and those 5 records come again after it.
    byte[] vol1 = Files.readAllBytes(fixture("mv-vol001"));
    byte[] vol2 = Files.readAllBytes(fixture("mv-vol002"));
    int replayed = 5;
    var b = java.nio.ByteBuffer.wrap(vol2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int records = vol1.length / 1024;
    assertThat(b.getInt(892)).isEqualTo(records);
    b.putInt(892, records - replayed);
    b.putInt(28, 0);
    int sum = 0;
    for (int i = 0; i < 1024; i += 4) {
      sum += b.getInt(i);
    }
    b.putInt(28, DumpHeader.CHECKSUM - sum);
    ByteArrayOutputStream v2 = new ByteArrayOutputStream();
    v2.write(vol2, 0, 1024);
    v2.write(vol1, vol1.length - replayed * 1024, replayed * 1024);
    v2.write(vol2, 1024, vol2.length - 1024);
    Path dir = tmp.resolve("eot");
    Files.createDirectories(dir);
    Files.write(dir.resolve("v001"), vol1);
    Files.write(dir.resolve("v002"), v2.toByteArray());
    Files.copy(fixture("mv-vol003"), dir.resolve("v003"));
    Run replay = jrestore("-x", "-M", "-f", dir.resolve("v"), "-D", tmp.resolve("replay"));
    assertThat(replay.exit()).as(replay.err()).isZero();
    Run clean = jrestore("-x", "-M", "-f", tmp.resolve("mv-vol"), "-D", tmp.resolve("clean"));
    assertThat(clean.exit()).as(clean.err()).isZero();
    assertThat(actual(tmp.resolve("replay")))
        .containsExactlyElementsOf(actual(tmp.resolve("clean")))
        .anyMatch(l -> l.startsWith("./spans.bin|regular file"));
  }

  /** Standard input that fails as a bug would: an unchecked exception from a read. */
  static InputStream failingInput() {
    return new InputStream() {
      @Override
      public int read() {
        throw new IllegalStateException("boom");
      }

      @Override
      public int read(byte[] b, int off, int len) {
        throw new IllegalStateException("boom");
      }
    };
  }

  @Test
  void anUnexpectedErrorIsOneLineItsStackTraceOnlyWithDebug() throws Exception {
    Run r = jrestoreWithInput(failingInput(), "-x", "-f", "-", "-D", tmp.resolve("out"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines())
        .containsExactly(
            "jrestore: -: internal error: java.lang.IllegalStateException: boom (-d shows where)");
    Run d = jrestoreWithInput(failingInput(), "-x", "-d", "-f", "-", "-D", tmp.resolve("out"));
    assertThat(d.exit()).isEqualTo(2);
    assertThat(d.err()).contains("internal error: java.lang.IllegalStateException: boom\n");
    assertThat(d.err()).contains("\tat org.jrmt.dump.");
  }

  void jdump(Object... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] a = Arrays.stream(args).map(Object::toString).toArray(String[]::new);
    int rc = Jdump.run(a, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }
}
