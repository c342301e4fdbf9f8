package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;
import org.jrmt.fs.Xattr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What jdump carries besides data, decoded from the stream it writes: names as any bytes, inode
 * flags in di_flags, extended attributes in EA records; and what it cannot carry, named in the
 * summary with exit status 2.
 */
class JdumpCarriesTest {
  @TempDir Path tmp;

  private static final class Run {
    final int status;
    final String err;
    final MemoryRestore dump;

    Run(int status, String err, MemoryRestore dump) {
      this.status = status;
      this.err = err;
      this.dump = dump;
    }
  }

  private static Run jdump(Path src, Path work, TreeScanner.StatSource stat) throws IOException {
    Path out = work.resolve("out-" + System.nanoTime() + ".dump");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Jdump.run(
            new String[] {
              "-0", "-f", out.toString(), "-D", work.resolve("dumpdates").toString(), src.toString()
            },
            new PrintStream(err, true, StandardCharsets.UTF_8),
            stat);
    MemoryRestore r = MemoryRestore.read(new ByteArrayInputStream(Files.readAllBytes(out)));
    Files.delete(out);
    return new Run(status, err.toString(StandardCharsets.UTF_8), r);
  }

  private static Run jdump(Path src, Path work) throws IOException {
    return jdump(src, work, TreeScanner.StatSource.SYSTEM);
  }

  private static List<byte[]> rootNames(MemoryRestore r) {
    List<byte[]> out = new ArrayList<>();
    for (DirectoryEntry e : DirectoryEntry.decode(r.data.get(2), r.problems)) {
      byte[] n = e.name();
      if (!Arrays.equals(n, new byte[] {'.'}) && !Arrays.equals(n, new byte[] {'.', '.'})) {
        out.add(n);
      }
    }
    return out;
  }

  @Property(tries = 40)
  void anyNamesAreWrittenWithTheirExactBytes(@ForAll("names") Set<FileName> names)
      throws Exception {
    // jqwik runs properties without JUnit's @TempDir.
    Path work = Files.createTempDirectory("jdump-names");
    Path src = Files.createDirectory(work.resolve("src"));
    try {
      try (Directory d = Directory.open(src)) {
        for (FileName n : names) {
          try (FileHandle f =
              d.open(n, Directory.Access.WRITE, Directory.Create.NEW, false, 0600)) {
            f.write(ByteBuffer.wrap(n.bytes()), 0);
          }
        }
      }
      Run run = jdump(src, work);
      assertThat(run.status).as(run.err).isZero();
      assertThat(run.err).doesNotContain("Warning");
      List<byte[]> written = rootNames(run.dump);
      Set<FileName> back = new HashSet<>();
      written.forEach(b -> back.add(FileName.of(b)));
      assertThat(back).isEqualTo(names);
      // Each name's file holds its own name: the data went with the right entry.
      for (DirectoryEntry e : DirectoryEntry.decode(run.dump.data.get(2), run.dump.problems)) {
        if (e.ino() != 2 && run.dump.data.containsKey(e.ino()) && e.name()[0] != '.') {
          assertThat(run.dump.data.get(e.ino())).isEqualTo(e.name());
        }
      }
    } finally {
      try (Directory parent = Directory.open(work.getParent())) {
        parent.removeTree(FileName.of(work.getFileName().toString()));
      }
    }
  }

  @Provide
  Arbitrary<Set<FileName>> names() {
    return Arbitraries.bytes()
        .filter(b -> b != 0 && b != '/')
        .array(byte[].class)
        .ofMinSize(1)
        .ofMaxSize(DirectoryEntry.MAX_NAME)
        .filter(b -> FileName.isComponent(b) && b[0] != '.')
        .map(FileName::of)
        .set()
        .ofMinSize(1)
        .ofMaxSize(30);
  }

  @Test
  void namesThatAreNotUtf8AreCarriedSideBySide() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    try (Directory d = Directory.open(src)) {
      for (byte last : new byte[] {(byte) 0xE8, (byte) 0xE9}) {
        d.open(
                FileName.of(new byte[] {'c', 'a', 'f', last}),
                Directory.Access.WRITE,
                Directory.Create.NEW,
                false,
                0644)
            .close();
      }
    }
    Run run = jdump(src, tmp);
    assertThat(run.status).as(run.err).isZero();
    assertThat(rootNames(run.dump))
        .containsExactlyInAnyOrder(
            new byte[] {'c', 'a', 'f', (byte) 0xE8}, new byte[] {'c', 'a', 'f', (byte) 0xE9});
  }

  private static void setUser(Path p, String name, byte[] value) throws IOException {
    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
        .write(name, ByteBuffer.wrap(value));
  }

  private static Xattr user(String name, String value) {
    return new Xattr(
        ("user." + name).getBytes(StandardCharsets.US_ASCII),
        value.getBytes(StandardCharsets.US_ASCII));
  }

  private static int ino(Path p) throws IOException {
    return ((Long) Files.getAttribute(p, "unix:ino")).intValue();
  }

  private static int flags(Path dir, String name) throws FsException {
    try (Directory d = Directory.open(dir);
        FileHandle f =
            d.open(FileName.of(name), Directory.Access.READ, Directory.Create.NO, false, 0)) {
      return f.inodeFlags();
    }
  }

  @Test
  void flagsGoInTheHeaderAndAttributesInAnEaRecordAfterTheData() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    Path sub = Files.createDirectory(src.resolve("sub"));
    Path data = Files.writeString(src.resolve("data.txt"), "some data\n");
    Path empty = Files.createFile(src.resolve("empty"));
    Files.writeString(src.resolve("plain"), "no attributes\n");
    setUser(data, "color", "blue".getBytes(StandardCharsets.US_ASCII));
    setUser(empty, "e", "1".getBytes(StandardCharsets.US_ASCII));
    setUser(sub, "dir", "yes".getBytes(StandardCharsets.US_ASCII));
    // chattr +A where the file system has flags; the header must say what the ioctl says.
    new ProcessBuilder("chattr", "+A", data.toString()).start().waitFor();

    Run run = jdump(src, tmp);
    assertThat(run.status).as(run.err).isZero();
    MemoryRestore r = run.dump;
    assertThat(r.problems).isEmpty();
    assertThat(r.inodes.get(ino(data)).fileFlags()).isEqualTo(flags(src, "data.txt"));
    assertThat(r.inodes.get(ino(sub)).fileFlags()).isEqualTo(flags(src, "sub"));
    assertThat(r.data.get(ino(data))).isEqualTo("some data\n".getBytes(StandardCharsets.US_ASCII));
    List<String> problems = new ArrayList<>();
    assertThat(decode(r, ino(data), problems)).containsExactly(user("color", "blue"));
    assertThat(decode(r, ino(empty), problems)).containsExactly(user("e", "1"));
    assertThat(decode(r, ino(sub), problems)).containsExactly(user("dir", "yes"));
    assertThat(problems).isEmpty();
    assertThat(r.eaRecords).doesNotContainKey(ino(src.resolve("plain")));

    // Each EA record follows its inode's own records and repeats its fields.
    List<DumpHeader> eas = r.headers.stream().filter(DumpHeader::isExtendedAttributes).toList();
    assertThat(eas).hasSize(3);
    for (DumpHeader ea : eas) {
      int at = r.headers.indexOf(ea);
      DumpHeader before = r.headers.get(at - 1);
      assertThat(before.inumber()).isEqualTo(ea.inumber());
      assertThat(before.isExtendedAttributes()).isFalse();
      assertThat(ea.type()).isEqualTo(HeaderType.INODE);
      assertThat(ea.extAttributes()).isEqualTo(XattrBlock.EXT_XATTR);
      assertThat(ea.mode()).isEqualTo(before.mode());
      assertThat(ea.fileFlags()).isEqualTo(before.fileFlags());
      assertThat(ea.size()).isEqualTo(1024);
    }
  }

  private static List<Xattr> decode(MemoryRestore r, int ino, List<String> problems) {
    byte[] ea = r.eaRecords.get(ino);
    assertThat(ea).as("EA record of inode " + ino).isNotNull();
    return XattrBlock.decode(ea, ea.length, problems);
  }

  @Test
  void attributesThatDoNotFitAreNamedAndTheFileIsStillDumped() throws Exception {
    Path shm = Path.of("/dev/shm");
    // tmpfs holds more attributes per file than ext4's one block: enough to pass the format's.
    Path src = Files.createTempDirectory(Files.isWritable(shm) ? shm : tmp, "jdump-big-xattrs");
    try {
      Path f = Files.writeString(src.resolve("f"), "data\n");
      byte[] a = new byte[3000];
      byte[] b = new byte[3001];
      Arrays.fill(a, (byte) 'a');
      Arrays.fill(b, (byte) 'b');
      setUser(f, "a", a);
      setUser(f, "b", b);
      Run run = jdump(src, tmp);
      assertThat(run.status).as(run.err).isEqualTo(Jdump.NOT_ALL_CARRIED);
      String line =
          src.resolve("f")
              + ": extended attribute user.b not carried: the dump format holds at"
              + " most 4096 bytes of attributes per file";
      assertThat(run.err)
          .contains("  DUMP: Warning: " + line)
          .contains(
              "  DUMP: Some files were not carried in full (exit status 2):\n  DUMP:   " + line)
          .contains("DUMP IS DONE");
      assertThat(run.dump.data.get(ino(f))).isEqualTo("data\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(decode(run.dump, ino(f), new ArrayList<>()))
          .containsExactly(new Xattr("user.a".getBytes(StandardCharsets.US_ASCII), a));
    } finally {
      try (Directory parent = Directory.open(src.getParent())) {
        parent.removeTree(FileName.of(src.getFileName().toString()));
      }
    }
  }

  @Test
  void timesTheFormatCannotHoldAreNamedNotWrapped() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    Path old = Files.writeString(src.resolve("old"), "1960\n");
    Path future = Files.writeString(src.resolve("future"), "2200\n");
    Path fine = Files.writeString(src.resolve("fine"), "2100\n");
    Instant y1960 = Instant.parse("1960-01-01T00:00:00Z");
    Instant y2200 = Instant.parse("2200-01-01T00:00:00Z");
    Instant y2100 = Instant.parse("2100-01-01T00:00:00Z");
    Files.setLastModifiedTime(old, FileTime.from(y1960));
    Files.setLastModifiedTime(future, FileTime.from(y2200));
    Files.setLastModifiedTime(fine, FileTime.from(y2100));
    Run run = jdump(src, tmp);
    assertThat(run.status).as(run.err).isEqualTo(Jdump.NOT_ALL_CARRIED);
    assertThat(run.err)
        .contains(
            old
                + ": its modification time 1960-01-01T00:00:00Z is outside what the dump format"
                + " holds (1970 to 2106); recorded as 1970-01-01T00:00:00Z")
        .contains(future + ": its modification time 2200-01-01T00:00:00Z is outside")
        .contains("recorded as 2106-02-07T06:28:15Z")
        .doesNotContain(fine.toString());
    assertThat(run.dump.inodes.get(ino(old)).mtime()).isZero();
    assertThat(run.dump.inodes.get(ino(future)).mtime()).isEqualTo(-1); // 0xFFFFFFFF unsigned
    assertThat(Integer.toUnsignedLong(run.dump.inodes.get(ino(fine)).mtime()))
        .isEqualTo(y2100.getEpochSecond());
  }

  @Test
  void aFileThatVanishesIsNamedInTheSummaryAndTheStatusSaysSo() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    Files.writeString(src.resolve("stays"), "s");
    Path goes = Files.writeString(src.resolve("goes"), "g");
    TreeScanner.StatSource vanishing =
        new TreeScanner.StatSource() {
          @Override
          public Optional<FileStatus> status(Directory dir, FileName name) throws FsException {
            if (name.toString().equals("goes")) {
              try {
                Files.deleteIfExists(goes);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            }
            return dir.status(name);
          }

          @Override
          public int flags(Directory dir, FileName name, FileStatus status) {
            return 0;
          }
        };
    Run run = jdump(src, tmp, vanishing);
    assertThat(run.status).isEqualTo(Jdump.NOT_ALL_CARRIED);
    assertThat(run.err)
        .contains("DUMP:   " + goes + ": vanished while being scanned; left out")
        .contains("DUMP IS DONE");
  }
}
