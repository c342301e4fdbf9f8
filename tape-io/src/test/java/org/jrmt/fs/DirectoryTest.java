package org.jrmt.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTest {
  @TempDir Path tmp;

  private static FileName n(String s) {
    return FileName.of(s);
  }

  @Test
  void aLinkIsNeverEnteredAsADirectory() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path root = Files.createDirectory(tmp.resolve("root"));
    Files.createSymbolicLink(root.resolve("sub"), outside);
    try (Directory d = Directory.open(root)) {
      assertThatThrownBy(() -> d.directory(n("sub")))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.wrongType()).isTrue());
      assertThatThrownBy(() -> d.walk(List.of(n("sub"))))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.wrongType()).isTrue());
    }
  }

  @Test
  void ensureDirectoryReplacesALinkInsteadOfFollowingIt() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "precious");
    Path root = Files.createDirectory(tmp.resolve("root"));
    Files.createSymbolicLink(root.resolve("sub"), outside);
    try (Directory d = Directory.open(root);
        Directory sub = d.ensureDirectory(n("sub"), 0755);
        FileHandle f =
            sub.open(n("keep"), Directory.Access.WRITE, Directory.Create.NEW, false, 0600)) {
      f.write(ByteBuffer.wrap("new".getBytes(StandardCharsets.US_ASCII)), 0);
    }
    assertThat(Files.isDirectory(root.resolve("sub"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("precious");
    assertThat(Files.readString(root.resolve("sub/keep"))).isEqualTo("new");
  }

  @Test
  void openNeverFollowsALinkAndNeverBlocksOnAFifo() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("root"));
    Files.writeString(tmp.resolve("target"), "x");
    Files.createSymbolicLink(root.resolve("link"), tmp.resolve("target"));
    try (Directory d = Directory.open(root)) {
      assertThatThrownBy(
              () -> d.open(n("link"), Directory.Access.WRITE, Directory.Create.NO, true, 0))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(40));
      d.mknod(n("fifo"), FileStatus.S_IFIFO | 0600, 0);
      try (FileHandle h = d.open(n("fifo"), Directory.Access.READ, Directory.Create.NO, false, 0)) {
        assertThat(h.status().type()).isEqualTo(FileStatus.S_IFIFO);
      }
    }
    assertThat(Files.readString(tmp.resolve("target"))).isEqualTo("x");
  }

  @Test
  void removeTreeRemovesLinksInsideAndNeverWhatTheyPointAt() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "precious");
    Path root = Files.createDirectories(tmp.resolve("root/a/b"));
    Files.createSymbolicLink(tmp.resolve("root/a/b/out"), outside);
    Files.createSymbolicLink(tmp.resolve("root/a/file"), outside.resolve("keep"));
    try (Directory d = Directory.open(tmp.resolve("root"))) {
      assertThat(d.removeTree(n("a"))).isTrue();
      assertThat(d.removeTree(n("a"))).isFalse();
    }
    assertThat(root).doesNotExist();
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("precious");
  }

  @Test
  void namesAreBytesThatNeedNotBeUtf8() throws Exception {
    byte[] e8 = {'c', 'a', 'f', (byte) 0xE8};
    byte[] e9 = {'c', 'a', 'f', (byte) 0xE9};
    try (Directory d = Directory.open(tmp)) {
      d.open(FileName.of(e8), Directory.Access.WRITE, Directory.Create.NEW, false, 0600).close();
      d.open(FileName.of(e9), Directory.Access.WRITE, Directory.Create.NEW, false, 0600).close();
      assertThat(d.list())
          .extracting(Directory.Entry::name)
          .containsExactlyInAnyOrder(FileName.of(e8), FileName.of(e9));
      assertThat(FileName.of(e8).toString()).isEqualTo("caf\\350");
    }
  }

  @Test
  void renameWithoutReplaceRefusesAnExistingName() throws Exception {
    Files.writeString(tmp.resolve("a"), "a");
    Files.writeString(tmp.resolve("b"), "b");
    try (Directory d = Directory.open(tmp)) {
      assertThatThrownBy(() -> d.rename(n("a"), d, n("b"), false))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(17));
      d.rename(n("a"), d, n("b"), true);
    }
    assertThat(Files.readString(tmp.resolve("b"))).isEqualTo("a");
  }

  @Test
  void modeAndTimesApplyToTheNameItselfNeverAThroughALink() throws Exception {
    Path target = Files.writeString(tmp.resolve("target"), "x");
    Files.setLastModifiedTime(target, FileTime.fromMillis(1_000_000_000_000L));
    Files.setPosixFilePermissions(
        target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (Directory d = Directory.open(tmp)) {
      d.symlink("target".getBytes(StandardCharsets.US_ASCII), n("link"));
      assertThat(d.readLink(n("link"))).isEqualTo("target".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> d.chmod(n("link"), 04777)).isInstanceOf(FsException.class);
      d.setTimes(n("link"), 5, 0, 7, 0);
      d.chmod(n("target"), 04750);
    }
    assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(1_000_000_000_000L);
    assertThat(Files.getLastModifiedTime(tmp.resolve("link"), LinkOption.NOFOLLOW_LINKS).toMillis())
        .isEqualTo(7000);
    assertThat(Files.getAttribute(target, "unix:mode")).isEqualTo(0104750);
  }

  @Test
  void readsAndWritesHonourTheBufferPositionsAndTheOffset() throws Exception {
    try (Directory d = Directory.open(tmp);
        FileHandle f =
            d.open(n("f"), Directory.Access.READ_WRITE, Directory.Create.NEW, false, 0600)) {
      ByteBuffer heap = ByteBuffer.wrap("xxhelloyy".getBytes(StandardCharsets.US_ASCII));
      heap.position(2).limit(7);
      f.write(heap, 10);
      assertThat(heap.position()).isEqualTo(7);
      ByteBuffer direct =
          ByteBuffer.allocateDirect(3).put("abc".getBytes(StandardCharsets.US_ASCII)).flip();
      f.write(direct, 0);
      f.truncate(20);
      assertThat(f.status().size()).isEqualTo(20);
      ByteBuffer in = ByteBuffer.allocate(8);
      in.position(1);
      assertThat(f.read(in, 9)).isEqualTo(7);
      assertThat(new String(in.array(), 2, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(f.read(ByteBuffer.allocate(4), 20)).isEqualTo(-1);
    }
    byte[] all = Files.readAllBytes(tmp.resolve("f"));
    assertThat(new String(all, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("abc");
    assertThat(all[3]).isZero();
  }

  @Test
  void aHandleReachesItsInodeAfterItsNameWasSwapped() throws Exception {
    Files.writeString(tmp.resolve("f"), "mine");
    try (Directory d = Directory.open(tmp);
        FileHandle h = d.handle(n("f"))) {
      FileStatus before = h.status();
      Files.move(tmp.resolve("f"), tmp.resolve("moved"));
      Files.createSymbolicLink(tmp.resolve("f"), Path.of("/etc/passwd"));
      assertThat(Files.readString(h.procPath())).isEqualTo("mine");
      assertThat(d.status(n("f")).orElseThrow().isSymbolicLink()).isTrue();
      assertThat(d.status(n("moved")).orElseThrow().sameInode(before)).isTrue();
      assertThat(d.status(n("absent"))).isEmpty();
    }
  }

  @Test
  void fileNamesRefuseWhatIsNotOneComponent() {
    for (String bad : new String[] {"", ".", "..", "a/b", "a\0b"}) {
      assertThatThrownBy(() -> FileName.of(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(FileName.of("...").toString()).isEqualTo("...");
    assertThat(FileName.of("a\nb\\").toString()).isEqualTo("a\\012b\\134");
    assertThat(FileName.of("é").toString()).isEqualTo("é");
  }

  @Test
  void aSwapAfterAStepCannotRedirectTheHandlesAlreadyHeld() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("key"), "secret");
    Path root = Files.createDirectories(tmp.resolve("root/sub"));
    Files.writeString(root.resolve("key"), "inside");
    Files.createSymbolicLink(tmp.resolve("root/swap"), outside);
    try (Directory r = Directory.open(tmp.resolve("root"));
        Directory sub = r.directory(n("sub"))) {
      r.exchange(n("sub"), r, n("swap"));
      assertThat(Files.isSymbolicLink(tmp.resolve("root/sub"))).isTrue();
      try (FileHandle h = sub.handle(n("key"));
          FileHandle f = h.reopen(Directory.Access.READ, false, false)) {
        ByteBuffer b = ByteBuffer.allocate(16);
        f.read(b);
        assertThat(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII))
            .isEqualTo("inside");
      }
      assertThatThrownBy(() -> r.directory(n("sub")))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.wrongType()).isTrue());
      assertThatThrownBy(() -> r.exchange(n("sub"), r, n("absent")))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.notFound()).isTrue());
    }
  }

  @Test
  void reopenReachesTheHeldInodeWithNewFlagsAndBlockingIo() throws Exception {
    Files.writeString(tmp.resolve("f"), "0123456789");
    try (Directory d = Directory.open(tmp);
        FileHandle h = d.handle(n("f"))) {
      Files.move(tmp.resolve("f"), tmp.resolve("moved"));
      Files.createSymbolicLink(tmp.resolve("f"), tmp.resolve("other"));
      try (FileHandle a = h.reopen(Directory.Access.WRITE, true, false)) {
        a.seek(0, FileHandle.SEEK_SET);
        a.write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)));
        assertThat(nonBlocking(a)).isFalse();
      }
      assertThat(Files.readString(tmp.resolve("moved"))).isEqualTo("0123456789ab");
      try (FileHandle t = h.reopen(Directory.Access.READ_WRITE, false, true)) {
        assertThat(t.status().size()).isZero();
        t.write(ByteBuffer.allocateDirect(3).put("xyz".getBytes(StandardCharsets.US_ASCII)).flip());
        assertThat(t.seek(1, FileHandle.SEEK_SET)).isEqualTo(1);
        ByteBuffer in = ByteBuffer.allocate(8);
        assertThat(t.read(in)).isEqualTo(2);
        assertThat(t.read(in)).isEqualTo(-1);
        assertThat(new String(in.array(), 0, 2, StandardCharsets.US_ASCII)).isEqualTo("yz");
        assertThat(t.seek(-1, FileHandle.SEEK_END)).isEqualTo(2);
        assertThatThrownBy(() -> t.seek(-5, FileHandle.SEEK_CUR))
            .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(22));
      }
      assertThat(Files.exists(tmp.resolve("other"))).isFalse();
      // A FIFO without a writer: the open returns at once, and the handle then blocks as usual.
      d.mknod(n("fifo"), FileStatus.S_IFIFO | 0600, 0);
      try (FileHandle p = d.handle(n("fifo"))) {
        try (FileHandle r = p.reopen(Directory.Access.READ, false, false)) {
          assertThat(nonBlocking(r)).isFalse();
        }
        assertThatThrownBy(() -> p.reopen(Directory.Access.WRITE, false, false))
            .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(6));
      }
    }
  }

  /** Whether {@code O_NONBLOCK} is set on the descriptor, as {@code /proc} shows its flags. */
  private static boolean nonBlocking(FileHandle h) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + h.fd()))) {
      if (line.startsWith("flags:")) {
        return (Integer.parseInt(line.substring(6).strip(), 8) & 04000) != 0;
      }
    }
    throw new AssertionError("no flags in fdinfo");
  }

  @Test
  void ownerTimesAndModeSetOnOpenHandlesReachTheInodeNotAName() throws Exception {
    Files.writeString(tmp.resolve("f"), "x");
    Files.createDirectory(tmp.resolve("d"));
    int uid = (Integer) Files.getAttribute(tmp, "unix:uid");
    int gid = (Integer) Files.getAttribute(tmp, "unix:gid");
    try (Directory d = Directory.open(tmp);
        FileHandle f = d.open(n("f"), Directory.Access.WRITE, Directory.Create.NO, false, 0);
        Directory sub = d.directory(n("d"))) {
      // The names are swapped for links before the handles are used: the handles still reach
      // the inodes they were opened on.
      Files.move(tmp.resolve("f"), tmp.resolve("f.moved"));
      Files.move(tmp.resolve("d"), tmp.resolve("d.moved"));
      Files.createSymbolicLink(tmp.resolve("f"), Path.of("/etc/passwd"));
      Files.createSymbolicLink(tmp.resolve("d"), Path.of("/etc"));
      f.chown(uid, gid);
      f.chmod(04711);
      f.setTimes(3, 0, 1_000_000_000, 500);
      sub.chown(uid, gid);
      sub.chmod(01777);
      sub.setTimes(4, 0, 2_000_000_000, 0);
    }
    assertThat(Files.getAttribute(tmp.resolve("f.moved"), "unix:mode")).isEqualTo(0104711);
    assertThat(Files.getLastModifiedTime(tmp.resolve("f.moved")).toMillis())
        .isEqualTo(1_000_000_000_000L);
    assertThat(Files.getAttribute(tmp.resolve("d.moved"), "unix:mode")).isEqualTo(041777);
    assertThat(Files.getLastModifiedTime(tmp.resolve("d.moved")).toMillis())
        .isEqualTo(2_000_000_000_000L);
  }

  @Test
  void chownOnAPathHandleOfALinkChangesTheLinkItself() throws Exception {
    Path target = Files.writeString(tmp.resolve("target"), "x");
    Files.createSymbolicLink(tmp.resolve("link"), target);
    int gid = (Integer) Files.getAttribute(target, "unix:gid");
    int uid = (Integer) Files.getAttribute(target, "unix:uid");
    // As root, give the link another owner; otherwise our own (a no-op that must still work).
    int newUid = uid == 0 ? 4321 : uid;
    try (Directory d = Directory.open(tmp);
        FileHandle h = d.handle(n("link"))) {
      h.chown(newUid, gid);
    }
    assertThat(Files.getAttribute(tmp.resolve("link"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(newUid);
    assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(uid);
  }

  @Test
  void createDirectoryRefusesAnyExistingName() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path root = Files.createDirectory(tmp.resolve("root"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    try (Directory d = Directory.open(root)) {
      assertThatThrownBy(() -> d.createDirectory(n("link"), 0700))
          .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(17));
      d.createDirectory(n("new"), 0750);
    }
    assertThat(Files.getAttribute(root.resolve("new"), "unix:mode")).isEqualTo(040750);
    try (var s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void streamsReadAndWriteTheWholeFileFromItsStart() throws Exception {
    byte[] data = new byte[200_000];
    new java.util.Random(3).nextBytes(data);
    try (Directory d = Directory.open(tmp)) {
      try (FileHandle f =
              d.open(n("s"), Directory.Access.WRITE, Directory.Create.NEW, false, 0600);
          var out = new java.io.BufferedOutputStream(f.outputStream(), 4096)) {
        out.write(data, 0, 10);
        out.write(data[10]);
        out.write(data, 11, data.length - 11);
      }
      try (FileHandle f = d.open(n("s"), Directory.Access.READ, Directory.Create.NO, false, 0)) {
        var in = f.inputStream();
        assertThat(in.read()).isEqualTo(data[0] & 0xFF);
        byte[] rest = in.readAllBytes();
        assertThat(rest.length).isEqualTo(data.length - 1);
        assertThat(java.util.Arrays.equals(rest, 0, rest.length, data, 1, data.length)).isTrue();
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  private static long openDescriptors() throws Exception {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }

  @Test
  void removeTreeTakesAnyDepthWithoutRecursionOrADescriptorPerLevel() throws Exception {
    // 3,000 levels (a 9,000-byte path, far past PATH_MAX), links and files at every 100th, and a
    // wide directory at the bottom; removed on a thread whose stack could not recurse that deep.
    int depth = 3000;
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "precious");
    try (Directory root = Directory.open(tmp)) {
      Directory cur = root.ensureDirectory(n("top"), 0700);
      for (int i = 0; i < depth; i++) {
        if (i % 100 == 0) {
          cur.symlink(outside.toString().getBytes(StandardCharsets.UTF_8), n("out"));
          cur.open(n("f"), Directory.Access.WRITE, Directory.Create.NEW, false, 0600).close();
        }
        Directory next = cur.ensureDirectory(n("dd"), 0700);
        cur.close();
        cur = next;
      }
      for (int i = 0; i < 300; i++) {
        cur.createDirectory(n("w" + i), 0700);
      }
      cur.close();
      long before = openDescriptors();
      long[] during = {0};
      Throwable[] failure = {null};
      Thread t =
          new Thread(
              null,
              () -> {
                try {
                  root.removeTree(n("top"));
                  during[0] = openDescriptors();
                } catch (Throwable e) {
                  failure[0] = e;
                }
              },
              "small-stack",
              256 * 1024);
      t.start();
      t.join();
      assertThat(failure[0]).isNull();
      assertThat(during[0]).isEqualTo(before);
      assertThat(root.status(n("top"))).isEmpty();
    }
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("precious");
  }
}
