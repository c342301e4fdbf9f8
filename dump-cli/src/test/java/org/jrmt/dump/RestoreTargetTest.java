package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jrmt.dump.DirectoryEntry.DT_DIR;
import static org.jrmt.dump.DirectoryEntry.DT_FIFO;
import static org.jrmt.dump.DirectoryEntry.DT_LNK;
import static org.jrmt.dump.DirectoryEntry.DT_REG;
import static org.jrmt.dump.testing.DumpBuilder.entries;
import static org.jrmt.dump.testing.DumpBuilder.entry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jrmt.dump.testing.DumpBuilder;
import org.jrmt.dump.testing.TreeSnapshot;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on jrestore's promise that nothing outside its target is created, changed or removed,
 * whatever the dump says and whatever the target held before: names listed twice, an inode that is
 * a directory and then a link, links planted in the target (also between two levels of {@code -r}
 * and where {@code -r} stages), a tampered {@code jrestoresymtable}. Each test snapshots a
 * directory outside the target (contents, modes, inode numbers, times to the nanosecond) and
 * requires it untouched.
 */
class RestoreTargetTest {
  @TempDir Path tmp;
  Path outside;
  Path target;
  TreeSet<String> before;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("f"), "precious");
    Files.writeString(outside.resolve("victim"), "precious too");
    Files.createDirectory(outside.resolve("sub"));
    target = tmp.resolve("target");
    before = TreeSnapshot.of(outside);
  }

  /** Removes the target by handles: JUnit's clean-up goes by path and fails past PATH_MAX. */
  @AfterEach
  void removeTarget() throws Exception {
    try (Directory d = Directory.open(tmp)) {
      d.removeTree(FileName.of("target"));
    }
  }

  Run jrestore(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] a = Arrays.stream(args).map(Object::toString).toArray(String[]::new);
    int rc =
        Jrestore.run(
            a,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            tmp.resolve("no-terminal"));
    return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  void outsideUntouched() throws Exception {
    assertThat(TreeSnapshot.of(outside)).containsExactlyElementsOf(before);
  }

  static boolean realDirectory(Path p) {
    return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
  }

  static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-x", "-r"})
  void aNameListedTwiceFirstAsADirectoryThenAsALinkNeverLeadsOutside(String action)
      throws Exception {
    Path dump =
        Files.write(tmp.resolve("twice.dump"), DumpBuilder.nameListedTwice(outside.toString()));
    Run r = jrestore(action, "-f", dump, "-D", target);
    outsideUntouched();
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("./x: listed twice in directory .");
    // The first entry wins: x is the directory, with its file.
    assertThat(realDirectory(target.resolve("x"))).isTrue();
    assertThat(Files.readString(target.resolve("x/f"))).isEqualTo("pwned");
    assertThat(mode(target.resolve("x/f"))).isEqualTo(0104755);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-x", "-r"})
  void aDirectoryInodeThatComesAgainAsALinkIsNeverALinkToWriteThrough(String action)
      throws Exception {
    Path dump =
        new DumpBuilder()
            .tape()
            .maps(3, 4)
            .dir(2, 0755, entries(2, 2, entry(3, DT_DIR, "y")))
            .dir(3, 0755, entries(3, 2, entry(4, DT_REG, "f")))
            .symlink(3, outside.toString())
            .file(4, 04755, utf8("pwned"))
            .end()
            .write(tmp.resolve("again.dump"));
    Run r = jrestore(action, "-f", dump, "-D", target);
    outsideUntouched();
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("./y (inode 3): a directory on the dump, then a symbolic link");
    assertThat(realDirectory(target.resolve("y"))).isTrue();
    assertThat(Files.readString(target.resolve("y/f"))).isEqualTo("pwned");
  }

  /** A target prepared with a link in the place of every kind of name the dump restores. */
  void plantLinks() throws Exception {
    Files.createDirectories(target.resolve("real"));
    Files.createSymbolicLink(target.resolve("d"), outside);
    Files.createSymbolicLink(target.resolve("real/deep"), outside.resolve("sub"));
    for (String n : List.of("file", "fifo", "sym", "hard")) {
      Files.createSymbolicLink(target.resolve(n), outside.resolve("victim"));
    }
    // A real directory where the dump has a file, holding a link out: removed, never entered.
    Files.createDirectories(target.resolve("d-as-file/deeper"));
    Files.createSymbolicLink(target.resolve("d-as-file/deeper/out"), outside);
    Files.createSymbolicLink(target.resolve("d-as-file/victim"), outside.resolve("victim"));
  }

  static Path everyKind(Path file) throws Exception {
    return new DumpBuilder()
        .tape()
        .maps(3, 4, 5, 6, 7, 8, 9, 10)
        .dir(
            2,
            0755,
            entries(
                2,
                2,
                entry(3, DT_DIR, "d"),
                entry(4, DT_DIR, "real"),
                entry(6, DT_REG, "file"),
                entry(7, DT_FIFO, "fifo"),
                entry(8, DT_LNK, "sym"),
                entry(6, DT_REG, "hard"),
                entry(10, DT_REG, "d-as-file")))
        .dir(3, 0700, entries(3, 2, entry(9, DT_REG, "f"), entry(6, DT_REG, "h")))
        .dir(4, 0755, entries(4, 2, entry(5, DT_DIR, "deep")))
        .dir(5, 0755, entries(5, 4, entry(9, DT_REG, "g")))
        .file(6, 06755, "hard-linked".getBytes(StandardCharsets.US_ASCII))
        .node(7, 0x1000 | 0640)
        .symlink(8, "elsewhere")
        .file(9, 0644, "nine".getBytes(StandardCharsets.US_ASCII))
        .file(10, 0600, "ten".getBytes(StandardCharsets.US_ASCII))
        .end()
        .write(file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-x", "-r"})
  void linksPlantedInTheTargetAreReplacedNeverFollowed(String action) throws Exception {
    plantLinks();
    Run r = jrestore(action, "-f", everyKind(tmp.resolve("kinds.dump")), "-D", target);
    outsideUntouched();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(realDirectory(target.resolve("d"))).isTrue();
    assertThat(realDirectory(target.resolve("real/deep"))).isTrue();
    assertThat(Files.readString(target.resolve("d/f"))).isEqualTo("nine");
    assertThat(Files.readString(target.resolve("real/deep/g"))).isEqualTo("nine");
    assertThat(Files.readString(target.resolve("d-as-file"))).isEqualTo("ten");
    assertThat(Files.isSameFile(target.resolve("file"), target.resolve("hard"))).isTrue();
    assertThat(Files.isSameFile(target.resolve("file"), target.resolve("d/h"))).isTrue();
    assertThat(Files.isSymbolicLink(target.resolve("file"))).isFalse();
    assertThat(mode(target.resolve("file"))).isEqualTo(0106755);
    assertThat(mode(target.resolve("fifo"))).isEqualTo(010640);
    assertThat(Files.readSymbolicLink(target.resolve("sym"))).isEqualTo(Path.of("elsewhere"));
    assertThat(mode(target.resolve("d"))).isEqualTo(040700);
  }

  /**
   * Level 0: {@code a/old.txt}, {@code a/move.txt}, {@code keep}. Level 1: old.txt deleted,
   * move.txt moved to the root.
   */
  Path level0() throws Exception {
    return new DumpBuilder()
        .tape()
        .maps(3, 5, 6, 7)
        .dir(2, 0755, entries(2, 2, entry(3, DT_DIR, "a"), entry(7, DT_REG, "keep")))
        .dir(3, 0755, entries(3, 2, entry(5, DT_REG, "old.txt"), entry(6, DT_REG, "move.txt")))
        .file(5, 0644, utf8("old"))
        .file(6, 0644, utf8("move"))
        .file(7, 0644, utf8("keep"))
        .end()
        .write(tmp.resolve("l0.dump"));
  }

  Path level1() throws Exception {
    DumpBuilder b = new DumpBuilder().withDate(DumpBuilder.DATE + 100);
    b.withLevel(1, DumpBuilder.DATE).tape();
    InodeMap inUse = InodeMap.empty();
    for (int i : new int[] {2, 3, 6, 7}) {
      inUse.add(i);
    }
    InodeMap dumped = InodeMap.empty();
    dumped.add(2);
    dumped.add(3);
    return b.map(HeaderType.CLRI, inUse, 8)
        .map(HeaderType.BITS, dumped, 8)
        .dir(
            2,
            0755,
            entries(
                2,
                2,
                entry(3, DT_DIR, "a"),
                entry(7, DT_REG, "keep"),
                entry(6, DT_REG, "move.txt")))
        .dir(3, 0755, entries(3, 2))
        .end()
        .write(tmp.resolve("l1.dump"));
  }

  @Test
  void levelsApplyDeletionsAndRenames() throws Exception {
    assertThat(jrestore("-r", "-f", level0(), "-D", target).exit()).isZero();
    Run r = jrestore("-r", "-f", level1(), "-D", target);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(target.resolve("move.txt"))).isEqualTo("move");
    assertThat(target.resolve("a/old.txt")).doesNotExist();
    assertThat(target.resolve("a/move.txt")).doesNotExist();
    assertThat(Files.readString(target.resolve("keep"))).isEqualTo("keep");
  }

  @Test
  void aDirectorySwappedForALinkBetweenTwoLevelsIsNeitherEmptiedNorMovedFrom() throws Exception {
    assertThat(jrestore("-r", "-f", level0(), "-D", target).exit()).isZero();
    // Between the levels: a/ replaced by a link to a directory holding files of the same names,
    // and a link where -r stages what it moves.
    Files.writeString(outside.resolve("old.txt"), "precious old");
    Files.writeString(outside.resolve("move.txt"), "precious move");
    Files.move(target.resolve("a"), target.resolve("a.was"));
    Files.createSymbolicLink(target.resolve("a"), outside);
    Files.createSymbolicLink(target.resolve(".jrestore-stage"), outside.resolve("sub"));
    before = TreeSnapshot.of(outside);
    Run r = jrestore("-r", "-f", level1(), "-D", target);
    outsideUntouched();
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("./a/move.txt: open directory " + target.resolve("a") + ": Not a directory")
        .contains("./a/old.txt: open directory " + target.resolve("a") + ": Not a directory");
    assertThat(realDirectory(target.resolve("a"))).isTrue();
    assertThat(Files.readString(target.resolve("keep"))).isEqualTo("keep");
    // The planted link is left as it was (-r stages in a directory of its own) and the staging
    // directory is gone.
    assertThat(Files.readSymbolicLink(target.resolve(".jrestore-stage")))
        .isEqualTo(outside.resolve("sub"));
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("a", "a.was", "keep", ".jrestore-stage", SymbolTable.NAME);
    }
  }

  static Stream<Arguments> tamperings() {
    return Stream.of(
        Arguments.of("a name with a NUL", "e 5 8 6e00", "not a file name"),
        Arguments.of("a name with a slash", "e 5 8 2f6574632f706173737764", "not a file name"),
        Arguments.of("inode 0", "e 0 8 6e6577", "inode number"),
        Arguments.of("a type beyond d_type", "e 9 300 6e6577", "type"),
        Arguments.of("an odd hex name", "e 9 8 6e6", "name"),
        Arguments.of("a name listed twice", "e 9 8 6b656570", "listed twice"),
        Arguments.of("a directory listed twice", "d 3", "listed twice"),
        Arguments.of("a truncated line", "e 9", "bad line"),
        Arguments.of("an inode number beyond 32 bits", "e 4294967296 8 6e6577", "inode number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tamperings")
  void aTamperedSymbolTableIsRefusedBeforeAnythingChanges(String what, String line, String why)
      throws Exception {
    assertThat(jrestore("-r", "-f", level0(), "-D", target).exit()).isZero();
    Path table = target.resolve(SymbolTable.NAME);
    List<String> lines = new ArrayList<>(Files.readAllLines(table));
    // After "d 2" (the root), so the root's entries gain the tampered one.
    lines.add(lines.indexOf("d 2") + 1, line);
    Files.write(table, lines);
    TreeSet<String> inTarget = TreeSnapshot.of(target);
    Run r = jrestore("-r", "-f", level1(), "-D", target);
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains(SymbolTable.NAME).contains(why);
    assertThat(TreeSnapshot.of(target)).containsExactlyElementsOf(inTarget);
  }

  @Test
  void aSymbolTableThatIsALinkIsRefused() throws Exception {
    assertThat(jrestore("-r", "-f", level0(), "-D", target).exit()).isZero();
    Path table = target.resolve(SymbolTable.NAME);
    Files.move(table, outside.resolve("table"));
    Files.createSymbolicLink(table, outside.resolve("table"));
    before = TreeSnapshot.of(outside);
    Run r = jrestore("-r", "-f", level1(), "-D", target);
    outsideUntouched();
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains(SymbolTable.NAME).contains("not a regular file");
  }

  @Test
  void namesAreRestoredAsTheirBytes() throws Exception {
    byte[] e8 = {'c', 'a', 'f', (byte) 0xE8};
    byte[] e9 = {'c', 'a', 'f', (byte) 0xE9};
    byte[] linkText = {'t', 'o', '-', (byte) 0xFF};
    Path dump =
        new DumpBuilder()
            .tape()
            .maps(3, 4, 5, 6, 7)
            .dir(
                2,
                0755,
                entries(
                    2,
                    2,
                    entry(3, DT_REG, e8),
                    entry(4, DT_REG, e9),
                    entry(5, DT_DIR, e8),
                    entry(7, DT_LNK, "link")))
            .dir(5, 0755, entries(5, 2, entry(6, DT_REG, e9)))
            .file(3, 0644, utf8("one"))
            .file(4, 0644, utf8("two"))
            .file(6, 0644, utf8("six"))
            .inode(7, 0xA1FF, linkText)
            .end()
            .write(tmp.resolve("bytes.dump"));
    Run r = jrestore("-x", "-f", dump, "-D", target);
    // caf\350 is listed twice in the root (a file, then a directory): the second is refused.
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("./caf\\350: listed twice in directory .");
    try (Directory d = Directory.open(target)) {
      assertThat(d.list())
          .extracting(Directory.Entry::name)
          .containsExactlyInAnyOrder(FileName.of(e8), FileName.of(e9), FileName.of("link"));
      assertThat(d.readLink(FileName.of("link"))).isEqualTo(linkText);
      try (FileHandle f =
          d.open(FileName.of(e8), Directory.Access.READ, Directory.Create.NO, false, 0)) {
        ByteBuffer b = ByteBuffer.allocate(16);
        f.read(b, 0);
        assertThat(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII))
            .isEqualTo("one");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-x", "-r"})
  void aHardLinkPlantedInTheTargetIsUnlinkedNeverWrittenThrough(String action) throws Exception {
    Files.createDirectories(target);
    Files.createLink(target.resolve("file"), outside.resolve("victim"));
    Run r = jrestore(action, "-f", everyKind(tmp.resolve("kinds.dump")), "-D", target);
    assertThat(r.exit()).as(r.err()).isZero();
    // Unlinking the planted name changes the victim's link count and ctime, nothing else.
    assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("precious too");
    assertThat(mode(outside.resolve("victim"))).isEqualTo(0100644);
    assertThat(Files.readString(target.resolve("file"))).isEqualTo("hard-linked");
    assertThat(Files.isSameFile(target.resolve("file"), outside.resolve("victim"))).isFalse();
  }

  /** A chain of {@code depth} directories named {@code name}, a file at the bottom. */
  static byte[] chain(int depth, String name) {
    DumpBuilder b = new DumpBuilder();
    int[] inodes = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      inodes[i] = 3 + i;
    }
    b.tape().maps(inodes).dir(2, 0755, entries(2, 2, entry(3, DT_DIR, name)));
    for (int i = 0; i < depth; i++) {
      int ino = 3 + i;
      DirectoryEntry next =
          i < depth - 1 ? entry(ino + 1, DT_DIR, name) : entry(ino + 1, DT_REG, "bottom");
      b.dir(ino, 0750, entries(ino, i == 0 ? 2 : ino - 1, next));
    }
    return b.file(3 + depth, 0640, utf8("deep")).end().bytes();
  }

  @Test
  void aTreeDeeperThanPathMaxIsRestoredByHandles() throws Exception {
    // 1,200 levels of 4-byte names: a path of 6,000 bytes, which no path-based call takes.
    int depth = 1200;
    Path dump = Files.write(tmp.resolve("deep.dump"), chain(depth, "four"));
    Run r = jrestore("-x", "-f", dump, "-D", target);
    assertThat(r.exit()).as(r.err()).isZero();
    try (Directory root = Directory.open(target);
        Directory bottom = root.walk(java.util.Collections.nCopies(depth, FileName.of("four")))) {
      assertThat(bottom.status().mode() & 07777).isEqualTo(0750);
      assertThat(bottom.status(FileName.of("bottom")).orElseThrow().size()).isEqualTo(4);
    }
  }
}
