package org.jrmt.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extended attributes, inode flags and holes by handle; names as any bytes, carried exactly. */
class AttributesTest {
  @TempDir Path tmp;

  private static void setUser(Path p, String name, byte[] value) throws IOException {
    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
        .write(name, ByteBuffer.wrap(value));
  }

  private static Xattr user(String name, byte[] value) {
    return new Xattr(("user." + name).getBytes(StandardCharsets.US_ASCII), value);
  }

  @Test
  void attributesOfFilesAndDirectoriesAreReadByHandleAndByName() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("root"));
    Path file = Files.writeString(root.resolve("f"), "x");
    byte[] big = new byte[3000];
    Arrays.fill(big, (byte) 7);
    setUser(file, "small", "v".getBytes(StandardCharsets.US_ASCII));
    setUser(file, "empty", new byte[0]);
    setUser(file, "big", big);
    setUser(root, "dir", new byte[] {0, 1, 2});
    Files.writeString(root.resolve("plain"), "p");
    Files.createSymbolicLink(root.resolve("link"), file);
    try (Directory d = Directory.open(root);
        FileHandle f =
            d.open(FileName.of("f"), Directory.Access.READ, Directory.Create.NO, false, 0);
        FileHandle plain =
            d.open(FileName.of("plain"), Directory.Access.READ, Directory.Create.NO, false, 0)) {
      List<Xattr> expected =
          List.of(
              user("small", "v".getBytes(StandardCharsets.US_ASCII)),
              user("empty", new byte[0]),
              user("big", big));
      assertThat(f.xattrs()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(d.xattrs(FileName.of("f"))).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(d.xattrs()).containsExactly(user("dir", new byte[] {0, 1, 2}));
      assertThat(plain.xattrs()).isEmpty();
      // The link's own attributes (none), never its target's.
      assertThat(d.xattrs(FileName.of("link"))).isEmpty();
      assertThatThrownBy(() -> d.xattrs(FileName.of("missing")))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.notFound()).isTrue());
    }
  }

  @Test
  void manyNamesAreAllListed() throws Exception {
    Path file = Files.writeString(tmp.resolve("many"), "x");
    Set<Xattr> expected = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      byte[] v = ("value " + i).getBytes(StandardCharsets.US_ASCII);
      setUser(file, "a-rather-long-attribute-name-number-" + i, v);
      expected.add(user("a-rather-long-attribute-name-number-" + i, v));
    }
    try (Directory d = Directory.open(tmp);
        FileHandle f =
            d.open(FileName.of("many"), Directory.Access.READ, Directory.Create.NO, false, 0)) {
      assertThat(new HashSet<>(f.xattrs())).isEqualTo(expected);
    }
  }

  @Test
  void inodeFlagsAreWhatChattrSetAndAPathHandleHasNone() throws Exception {
    Path file = Files.writeString(tmp.resolve("nodump"), "x");
    boolean set = new ProcessBuilder("chattr", "+d", file.toString()).start().waitFor() == 0;
    try (Directory d = Directory.open(tmp);
        FileHandle f =
            d.open(FileName.of("nodump"), Directory.Access.READ, Directory.Create.NO, false, 0);
        FileHandle path = d.handle(FileName.of("nodump"))) {
      // Where the file system keeps no flags chattr fails and the answer is 0, quietly.
      assertThat(f.inodeFlags() & 0x40).isEqualTo(set ? 0x40 : 0);
      assertThat(d.inodeFlags() & 0x40).isZero();
      assertThatThrownBy(path::inodeFlags)
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(9));
    }
  }

  @Test
  void nextDataSkipsHoles() throws Exception {
    try (Directory d = Directory.open(tmp);
        FileHandle f =
            d.open(
                FileName.of("sparse"),
                Directory.Access.READ_WRITE,
                Directory.Create.NEW,
                false,
                0600)) {
      f.write(ByteBuffer.wrap(new byte[] {1}), 10L << 20);
      f.truncate(20L << 20);
      assertThat(f.nextData(0)).isBetween(0L, 10L << 20);
      long at = f.nextData(0);
      if (at > 0) {
        // The file system reports holes: the data is found at the write, none after it.
        assertThat(at).isLessThanOrEqualTo(10L << 20);
        assertThat(f.nextData((10L << 20) + 4096)).isEqualTo(-1);
      }
    }
  }

  @Property(tries = 60)
  void anyNameIsCreatedListedAndStatedWithItsExactBytes(@ForAll("names") List<byte[]> names)
      throws Exception {
    // jqwik runs properties without JUnit's @TempDir.
    Path dir = Files.createTempDirectory("jrmt-names");
    Set<FileName> made = new HashSet<>();
    try (Directory d = Directory.open(dir)) {
      for (byte[] n : names) {
        FileName name = FileName.of(n);
        if (made.add(name)) {
          d.open(name, Directory.Access.WRITE, Directory.Create.NEW, false, 0600).close();
        }
        assertThat(name.bytes()).isEqualTo(n);
        assertThat(name.length()).isEqualTo(n.length);
        assertThat(d.status(name)).isPresent();
      }
      List<FileName> listed = new ArrayList<>();
      for (Directory.Entry e : d.list()) {
        listed.add(e.name());
      }
      assertThat(listed).containsExactlyInAnyOrderElementsOf(made);
    } finally {
      try (Directory parent = Directory.open(dir.getParent())) {
        parent.removeTree(FileName.of(dir.getFileName().toString()));
      }
    }
  }

  @Provide
  Arbitrary<List<byte[]>> names() {
    return Arbitraries.bytes()
        .filter(b -> b != 0 && b != '/')
        .array(byte[].class)
        .ofMinSize(1)
        .ofMaxSize(255)
        .filter(FileName::isComponent)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  @Test
  void namesOrderAsStrcmpAndEscapeWhatATerminalCannotShow() {
    FileName a = FileName.of(new byte[] {'a'});
    FileName ab = FileName.of(new byte[] {'a', 'b'});
    FileName high = FileName.of(new byte[] {'a', (byte) 0xE8});
    assertThat(a).isLessThan(ab);
    assertThat(ab).isLessThan(high);
    assertThat(high.toString()).isEqualTo("a\\350");
    assertThat(FileName.of("caf\u00e9").toString()).isEqualTo("caf\u00e9");
    assertThat(FileName.of(new byte[] {'x', 033, '\\'}).toString()).isEqualTo("x\\033\\134");
    assertThat(FileName.of(new byte[] {'q'}))
        .isEqualTo(FileName.of("q"))
        .hasSameHashCodeAs(FileName.of("q"));
  }
}
