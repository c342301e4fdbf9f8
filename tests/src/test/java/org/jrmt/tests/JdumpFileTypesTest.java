package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of file jdump meets, restored by the stock restore 0.4b47 with everything {@link
 * TreeDiff#compareAll} checks intact: from a local file and from a virtual tape on jrmtd. Needs
 * root (device nodes, owners): skipped otherwise, failed under {@code CI=true}.
 */
class JdumpFileTypesTest {
  private static final long GIB = 1L << 30;

  @TempDir Path tmp;
  private Path src;

  private Path jdump() {
    return ProjectRoot.jrmt().resolveSibling("jdump");
  }

  @BeforeEach
  void makeTree() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      Peers.unavailable("device nodes and owners need root");
    }
    src = everyType(tmp.resolve("src"));
  }

  @Test
  void fromALocalFile() throws Exception {
    Path restore = Peers.require("restore");
    Path file = tmp.resolve("all.dump");
    Proc.Result r = Proc.of(jdump(), "-0", "-f", file, src).timeout(TIMEOUT).run().ok();
    assertThat(r.stderr()).contains("DUMP IS DONE");
    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(restore, "-r", "-y", "-f", file).in(out).timeout(TIMEOUT).run().ok();
    assertThat(TreeDiff.compareAll(src, out, StockDumpRoundTrip.RESTORE_FILES)).isEmpty();
    assertThat(TreeDiff.allocated(out.resolve("sparse/huge.bin")))
        .as("the 4 GiB file costs no more disk than its few data blocks")
        .isLessThan(1024);
  }

  @Test
  void fromAVirtualTapeOnJrmtd() throws Exception {
    Path restore = Peers.require("restore");
    Path tapes = tmp.resolve("tapes");
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tapes))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Proc.of(jdump(), "-0", "-b", "32", "-f", "rmt://127.0.0.1:" + a.getPort() + "/all", src)
          .timeout(TIMEOUT)
          .run()
          .ok();
      Path out = Files.createDirectory(tmp.resolve("out"));
      Proc.of(restore, "-r", "-y", "-b", "32", "-f", "localhost:all")
          .env("RSH", RshScript.jrmtRsh(tmp, a.getPort()))
          .in(out)
          .timeout(TIMEOUT)
          .run()
          .ok();
      assertThat(TreeDiff.compareAll(src, out, StockDumpRoundTrip.RESTORE_FILES)).isEmpty();
    }
  }

  private static final java.time.Duration TIMEOUT = java.time.Duration.ofMinutes(3);

  /**
   * A tree with one of everything: empty, small and sparse files (one past 4 GiB, beyond 32-bit
   * sizes, that costs no disk), directories, short and long symbolic links, a file with three hard
   * links, a FIFO, a socket, character and block devices, names with spaces and UTF-8, setuid,
   * setgid and sticky modes, other owners, and distinct whole-second times on everything.
   */
  static Path everyType(Path root) throws Exception {
    Random random = new Random(20_240);
    Files.createDirectories(root.resolve("sparse"));
    Files.createDirectories(root.resolve("links/a"));
    Files.createDirectories(root.resolve("links/b"));
    Files.createDirectories(root.resolve("special"));
    Files.createDirectories(root.resolve("modes/sticky"));
    Files.createDirectories(root.resolve("modes/setgid dir"));
    Files.createDirectories(root.resolve("\u00e9t\u00e9 \u65e5\u672c/leer"));
    Files.write(root.resolve("empty"), new byte[0]);
    Files.write(root.resolve("small.bin"), SampleTree.bytes(random, 3_000));
    Files.writeString(
        root.resolve("\u00e9t\u00e9 \u65e5\u672c/name with  spaces \u00fc.txt"),
        "gr\u00fc\u00dfe\n");

    // Holes at the start, in the middle and at the end; data not aligned to 1 KiB.
    try (RandomAccessFile f =
        new RandomAccessFile(root.resolve("sparse/holes.bin").toFile(), "rw")) {
      f.seek(1_048_576 + 100);
      f.write(SampleTree.bytes(random, 5_000));
      f.seek(3 * 1_048_576);
      f.write(SampleTree.bytes(random, 10));
      f.setLength(5 * 1_048_576);
    }
    try (RandomAccessFile f =
        new RandomAccessFile(root.resolve("sparse/huge.bin").toFile(), "rw")) {
      f.write("first".getBytes(StandardCharsets.US_ASCII));
      f.seek(4 * GIB + 12_345);
      f.write(SampleTree.bytes(random, 9_000));
      f.setLength(4 * GIB + 65_536);
    }

    Files.createSymbolicLink(root.resolve("short link"), Path.of("small.bin"));
    StringBuilder longTarget = new StringBuilder();
    while (longTarget.length() < 3_000) {
      longTarget.append("a-rather-long-directory-name-").append(longTarget.length()).append('/');
    }
    Files.createSymbolicLink(root.resolve("long link"), Path.of(longTarget + "end"));
    Files.createSymbolicLink(root.resolve("links/to dir"), Path.of("../modes"));

    Path linked = root.resolve("links/a/linked.txt");
    Files.writeString(linked, "three names\n");
    Files.createLink(root.resolve("links/b/second.txt"), linked);
    Files.createLink(root.resolve("links/third \u00e4.txt"), linked);

    Path special = root.resolve("special");
    Proc.of(Peers.require("mkfifo"), special.resolve("fifo")).run().ok();
    Path mknod = Peers.require("mknod");
    Proc.of(mknod, special.resolve("null-like"), "c", "1", "3").run().ok();
    Proc.of(mknod, special.resolve("tty-like"), "c", "4", "64").run().ok();
    Proc.of(mknod, special.resolve("loop-like"), "b", "7", "200").run().ok();
    try (ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(special.resolve("socket")));
    }

    Path setuid = root.resolve("modes/setuid");
    Files.writeString(setuid, "#!/bin/sh\n");
    Path chmod = Peers.require("chmod");
    Proc.of(chmod, "4755", setuid).run().ok();
    Proc.of(chmod, "2775", root.resolve("modes/setgid dir")).run().ok();
    Proc.of(chmod, "1777", root.resolve("modes/sticky")).run().ok();
    Path secret = root.resolve("modes/secret");
    Files.writeString(secret, "x\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r--------"));

    Path chown = Peers.require("chown");
    Proc.of(chown, "1234:5678", root.resolve("small.bin"), secret, root.resolve("modes/sticky"))
        .run()
        .ok();
    Proc.of(chown, "4000000000:4000000001", setuid).run().ok();
    Proc.of(chown, "-h", "77:88", root.resolve("short link")).run().ok();
    Proc.of(chown, "99:0", special.resolve("fifo"), special.resolve("loop-like")).run().ok();
    // chown clears setuid: set it again.
    Proc.of(chmod, "4755", setuid).run().ok();

    // Times last, deepest first. relatime updates an access time older than the modification or
    // change time (the change time is now): one an hour ahead stays when jdump, restore and the
    // comparison read the files.
    Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.HOURS);
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    // touch sets times without opening the file (opening a FIFO would block).
    Path touch = Peers.require("touch");
    int i = 0;
    for (Path p : all) {
      if (Files.isSymbolicLink(p)) {
        continue;
      }
      i++;
      Proc.of(touch, "-m", "-d", "@" + base.minusSeconds(100L * i).getEpochSecond(), p).run().ok();
      Proc.of(touch, "-a", "-d", "@" + base.plusSeconds(4 * 3600 + i).getEpochSecond(), p)
          .run()
          .ok();
    }
    return root;
  }

  @Test
  void theTreeHasWhatTheTestsClaim() throws IOException {
    // Guards the fixture: a file past 4 GiB that costs (almost) nothing, three names for one inode.
    assertThat(Files.size(src.resolve("sparse/huge.bin"))).isEqualTo(4 * GIB + 65_536);
    assertThat(TreeDiff.allocated(src.resolve("sparse/huge.bin"))).isLessThan(1024);
    assertThat(Files.getAttribute(src.resolve("links/a/linked.txt"), "unix:nlink")).isEqualTo(3);
    assertThat(Files.readSymbolicLink(src.resolve("long link")).toString().length())
        .isGreaterThan(3_000);
  }
}
