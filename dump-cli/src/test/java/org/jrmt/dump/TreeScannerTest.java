package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exclusion, nodump and the numbering of inodes that do not fit a dump header. */
class TreeScannerTest {
  @TempDir Path dir;

  /** The real file system, but every inode number (the root's too) moved past 32 bits. */
  static final class HighInodes implements TreeScanner.StatSource {
    static final long OFFSET = 1L << 40;
    final Set<String> nodump;

    HighInodes(Set<String> nodumpNames) {
      this.nodump = nodumpNames;
    }

    @Override
    public Optional<FileStatus> status(Directory dir, FileName name) throws FsException {
      return dir.status(name).map(HighInodes::moved);
    }

    @Override
    public FileStatus status(Directory dir) throws FsException {
      return moved(dir.status());
    }

    @Override
    public int flags(Directory dir, FileName name, FileStatus status) {
      return nodump.contains(name.toString()) ? InodeFlags.NODUMP : 0;
    }

    static FileStatus moved(FileStatus s) {
      return withIno(s, s.ino() + OFFSET);
    }
  }

  /** {@code s} with another inode number. */
  static FileStatus withIno(FileStatus s, long ino) {
    return new FileStatus(
        s.dev(),
        ino,
        s.mode(),
        s.nlink(),
        s.uid(),
        s.gid(),
        s.rdev(),
        s.size(),
        s.blocks(),
        s.atimeSeconds(),
        s.atimeNanos(),
        s.mtimeSeconds(),
        s.mtimeNanos(),
        s.ctimeSeconds(),
        s.ctimeNanos());
  }

  private Path tree() throws IOException {
    Files.createDirectories(dir.resolve("t/a/b"));
    Files.createDirectories(dir.resolve("t/skip/deep"));
    Files.writeString(dir.resolve("t/a/b/f"), "f");
    Files.writeString(dir.resolve("t/skip/deep/g"), "g");
    Files.writeString(dir.resolve("t/h"), "h");
    Files.createLink(dir.resolve("t/a/h2"), dir.resolve("t/h"));
    return dir.resolve("t");
  }

  /** Path (relative to the root) to dump inode number, from the scanned entries. */
  private static Map<String, Integer> names(TreeScanner.Scan scan) {
    Map<Integer, TreeScanner.Node> dirs = new HashMap<>();
    scan.directories().forEach(d -> dirs.put(d.meta().ino(), d));
    Map<String, Integer> out = new TreeMap<>();
    walk(dirs, 2, "", out);
    return out;
  }

  private static void walk(
      Map<Integer, TreeScanner.Node> dirs, int ino, String prefix, Map<String, Integer> out) {
    for (DirectoryEntry e : dirs.get(ino).entries()) {
      String name = new String(e.name(), StandardCharsets.UTF_8);
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      out.put(prefix + name, e.ino());
      if (dirs.containsKey(e.ino())) {
        walk(dirs, e.ino(), prefix + name + "/", out);
      }
    }
  }

  @Test
  void numbersThatDoNotFitAreMappedAndKeptFromOneScanToTheNext() throws Exception {
    Path root = tree();
    Path file = dir.resolve("state/dumpdates.inodes");
    TreeScanner.Options options =
        new TreeScanner.Options(Set.of(), false, InodeNumbers.at(file), new HighInodes(Set.of()));
    TreeScanner.Scan first = TreeScanner.scan(root, options);
    Map<String, Integer> before = names(first);
    assertThat(before).containsKeys("a", "a/b", "a/b/f", "a/h2", "h", "skip/deep/g");
    assertThat(before.values()).allSatisfy(n -> assertThat(n).isBetween(3, 20));
    assertThat(before.get("h")).as("hard links share one number").isEqualTo(before.get("a/h2"));
    assertThat(first.maxino()).isLessThan(20);
    assertThat(Files.readAllLines(file)).hasSize((int) before.values().stream().distinct().count());

    // A new file, a file gone: the others keep their numbers; the new one takes a free number.
    Files.delete(root.resolve("a/b/f"));
    Files.writeString(root.resolve("new"), "n");
    Map<String, Integer> after = names(TreeScanner.scan(root, options));
    before.remove("a/b/f");
    assertThat(after).containsAllEntriesOf(before);
    assertThat(after.get("new")).isNotIn(before.values()).isBetween(3, 20);
  }

  @Test
  void numbersThatFitAreTheFileSystemsOwnAndNeedNoFile() throws Exception {
    Path root = tree();
    Path file = dir.resolve("dumpdates.inodes");
    TreeScanner.Scan scan =
        TreeScanner.scan(
            root,
            new TreeScanner.Options(
                Set.of(), false, InodeNumbers.at(file), TreeScanner.StatSource.SYSTEM));
    long ino = (Long) Files.getAttribute(root.resolve("h"), "unix:ino");
    assertThat(names(scan).get("h")).isEqualTo((int) ino);
    assertThat(file).doesNotExist();
  }

  @Test
  void aClashWithAMappedNumberIsMappedInTurn() throws Exception {
    Path file = dir.resolve("inodes");
    InodeNumbers numbers = InodeNumbers.at(file);
    Map<Long, Integer> first = numbers.assign("/t", 7, java.util.List.of(1L << 33, 1L));
    assertThat(first).containsEntry(1L << 33, 3).containsEntry(1L, 4);
    // Inode 3 appears and fits, but 3 is taken: it gets its own mapping; nothing moves.
    Map<Long, Integer> second = numbers.assign("/t", 7, java.util.List.of(1L << 33, 1L, 3L, 9L));
    assertThat(second)
        .containsEntry(1L << 33, 3)
        .containsEntry(1L, 4)
        .containsEntry(9L, 9)
        .containsEntry(3L, 5);
    // Another tree in the same file is numbered on its own.
    assertThat(numbers.assign("/u", 7, java.util.List.of(1L << 34))).containsEntry(1L << 34, 3);
    assertThat(numbers.assign("/t", 7, java.util.List.of(1L << 33, 3L)))
        .containsEntry(1L << 33, 3)
        .containsEntry(3L, 5);
  }

  @Test
  void excludedInodesAndNodumpFilesLeaveTheirSubtreesOut() throws Exception {
    Path root = tree();
    long skip = (Long) Files.getAttribute(root.resolve("skip"), "unix:ino");
    long hardLinked = (Long) Files.getAttribute(root.resolve("h"), "unix:ino");
    TreeScanner.Scan excluded =
        TreeScanner.scan(
            root,
            new TreeScanner.Options(
                Set.of(skip, hardLinked), false, null, TreeScanner.StatSource.SYSTEM));
    assertThat(names(excluded)).containsOnlyKeys("a", "a/b", "a/b/f");
    assertThat(excluded.others()).hasSize(1);

    TreeScanner.Options nodumpB =
        new TreeScanner.Options(Set.of(), true, null, new HighInodes(Set.of("b", "h")));
    assertThat(names(TreeScanner.scan(root, nodumpB)))
        .containsOnlyKeys("a", "skip", "skip/deep", "skip/deep/g", "a/h2");
    // Below the -h level the flag is not honoured.
    TreeScanner.Options ignored =
        new TreeScanner.Options(Set.of(), false, null, new HighInodes(Set.of("b", "h")));
    assertThat(names(TreeScanner.scan(root, ignored))).containsKey("a/b/f");
  }

  @Test
  void optionsParseAsLinuxDumpTakesThem() throws Exception {
    Files.writeString(dir.resolve("list"), "12\n\n13\n");
    Options options = new Options();
    ScanOptions.add(options);
    for (String c : new String[] {"0", "u", "f", "b", "D"}) {
      options.addOption(c, "fbD".contains(c), c);
    }
    var cl =
        DefaultParser.builder()
            .get()
            .parse(
                options,
                ScanOptions.normalise(
                    JdumpOptions.oldStyle(
                        new String[] {
                          "0ufbEeh",
                          "out",
                          "32",
                          dir.resolve("list").toString(),
                          "5,6",
                          "3",
                          "-z9",
                          "-a",
                          "src"
                        })));
    ScanOptions.Parsed p = ScanOptions.parse(cl);
    assertThat(cl.getOptionValue("f")).isEqualTo("out");
    assertThat(cl.getOptionValue("b")).isEqualTo("32");
    assertThat(cl.getArgList()).containsExactly("src");
    assertThat(p.excluded()).containsExactlyInAnyOrder(5L, 6L, 12L, 13L);
    assertThat(p.honourLevel()).isEqualTo(3);
    assertThat(p.notice()).contains("-z").contains("uncompressed");
    assertThat(p.scanner(2, null, null).skipNodump()).isFalse();
    assertThat(p.scanner(3, null, null).skipNodump()).isTrue();

    var bad = DefaultParser.builder().get().parse(options, new String[] {"-e", "7,x"});
    assertThatThrownBy(() -> ScanOptions.parse(bad)).hasMessage("-e: 'x' is not an inode number");
    var missing =
        DefaultParser.builder().get().parse(options, new String[] {"-E", "/no/such/list"});
    assertThatThrownBy(() -> ScanOptions.parse(missing))
        .hasMessageStartingWith("-E /no/such/list: cannot read it");
  }

  static Stream<TreeScanner.Node> all(TreeScanner.Scan s) {
    return Stream.concat(s.directories().stream(), s.others().stream());
  }

  /** The real file system, with a hook run before each stat, given the name stated. */
  private static TreeScanner.StatSource hooked(StatHook hook) {
    return new TreeScanner.StatSource() {
      @Override
      public Optional<FileStatus> status(Directory dir, FileName name) throws FsException {
        try {
          hook.before(name.toString());
        } catch (IOException e) {
          throw new AssertionError(e);
        }
        return TreeScanner.StatSource.SYSTEM.status(dir, name);
      }

      @Override
      public int flags(Directory dir, FileName name, FileStatus status) {
        return 0;
      }
    };
  }

  private interface StatHook {
    void before(String name) throws IOException;
  }

  private static TreeScanner.Options with(TreeScanner.StatSource stat) {
    return new TreeScanner.Options(Set.of(), false, null, stat);
  }

  private Path wideDirectory(int files) throws IOException {
    Path root = dir.resolve("wide");
    Files.createDirectories(root);
    for (int i = 0; i < files; i++) {
      Files.writeString(root.resolve(String.format("f%03d", i)), "x" + i);
    }
    return root;
  }

  @Test
  void aWideDirectoryIsStatedConcurrentlyAndStillComesOutInNameOrder() throws Exception {
    Path root = wideDirectory(100);
    CountDownLatch lastAsked = new CountDownLatch(1);
    TreeScanner.StatSource stat =
        hooked(
            name -> {
              if (name.equals("f099")) {
                lastAsked.countDown();
              } else if (name.equals("f000")) {
                // The first file waits for the last one: only a concurrent scan gets past here.
                try {
                  if (!lastAsked.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("f099 was never asked while f000 waited");
                  }
                } catch (InterruptedException e) {
                  throw new IOException(e);
                }
              }
            });

    TreeScanner.Scan scan = TreeScanner.scan(root, with(stat));

    assertThat(scan.warnings()).isEmpty();
    Map<String, Integer> names = names(scan);
    assertThat(names.keySet()).hasSize(100).first().isEqualTo("f000");
    assertThat(names).isEqualTo(names(TreeScanner.scan(root)));
    List<String> order = new ArrayList<>();
    for (DirectoryEntry e : scan.directories().get(0).entries()) {
      order.add(new String(e.name(), StandardCharsets.UTF_8));
    }
    assertThat(order.subList(2, order.size())).isSorted().hasSize(100);
    for (String name : List.of("f000", "f042", "f099")) {
      long fsIno = (Long) Files.getAttribute(root.resolve(name), "unix:ino");
      assertThat(names.get(name)).isEqualTo((int) fsIno);
    }
  }

  @Test
  void aFileThatVanishesBeforeItIsStatedIsLeftOutWithAWarning() throws Exception {
    Path root = wideDirectory(40);
    TreeScanner.StatSource stat =
        hooked(
            name -> {
              if (name.equals("f017")) {
                Files.deleteIfExists(root.resolve(name)); // removed between listing and stat
              }
            });

    TreeScanner.Scan scan = TreeScanner.scan(root, with(stat));

    assertThat(names(scan)).hasSize(39).doesNotContainKey("f017").containsKey("f018");
    assertThat(scan.warnings())
        .containsExactly(root.resolve("f017") + ": vanished while being scanned; left out");
  }

  @Test
  void aDirectoryThatVanishesBeforeItIsListedIsDumpedEmptyWithAWarning() throws Exception {
    Path root = dir.resolve("t");
    Files.createDirectories(root.resolve("gone"));
    Files.writeString(root.resolve("gone/f"), "f");
    Files.writeString(root.resolve("kept"), "k");
    TreeScanner.StatSource stat =
        hooked(
            name -> {
              // "gone" has been stated (names in order) but is listed only after its siblings.
              if (name.equals("kept")) {
                Files.deleteIfExists(root.resolve("gone/f"));
                Files.deleteIfExists(root.resolve("gone"));
              }
            });

    TreeScanner.Scan scan = TreeScanner.scan(root, with(stat));

    assertThat(names(scan)).containsOnlyKeys("gone", "kept");
    assertThat(scan.warnings())
        .containsExactly(root.resolve("gone") + ": vanished while being scanned; dumped empty");
  }
}
