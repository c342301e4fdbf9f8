package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;
import org.jrmt.protocol.AccessMode;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client may open below a {@code --file-dir}, attacked as a local user who can write there
 * would: links swapped in between two steps, FIFOs and sockets that would block the session, hard
 * links to files elsewhere, links planted where a file is to be created, and paths that no file can
 * have.
 */
class FileDirsTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
  private static final OpenFlags RO = OpenFlags.of(AccessMode.READ_ONLY);
  private static final OpenFlags WO = OpenFlags.of(AccessMode.WRITE_ONLY);
  private static final OpenFlags RW = OpenFlags.of(AccessMode.READ_WRITE);
  private static final OpenFlags CREATE = OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT);
  private static final Duration NEVER_BLOCKS = Duration.ofSeconds(20);

  @TempDir Path tmp;
  private Path files;
  private Path outside;

  @BeforeEach
  void tree() throws Exception {
    files = Files.createDirectories(tmp.resolve("files/sub"));
    files = tmp.resolve("files");
    Files.writeString(files.resolve("sub/key"), "inside");
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("key"), "secret");
  }

  private ServerConfig config(Path... dirs) {
    return ServerConfig.defaults(tmp.resolve("tapes")).withFileDirs(List.of(dirs));
  }

  private Session session(ServerConfig config) {
    return new Session(
        config,
        new DeviceCatalog(config),
        new DeviceLocks(),
        ALLOC,
        new SessionStats("t"),
        Identity.user("t"));
  }

  private static Reply refused(Errno errno, String message) {
    return new Reply.Error(errno.number(), message);
  }

  private static String read(Session s) {
    ByteBuf p = ((Reply.Data) s.execute(new Request.Read(100))).payload();
    String text = p.toString(StandardCharsets.ISO_8859_1);
    p.release();
    return text;
  }

  private static FileName n(String s) {
    return FileName.of(s);
  }

  @Test
  void aDirectorySwappedForALinkAfterResolutionLeadsNowhere() throws Exception {
    Files.createSymbolicLink(files.resolve("swap"), outside);
    DeviceCatalog catalog = new DeviceCatalog(config(files));
    DeviceCatalog.Device d = catalog.resolve(files + "/sub/key", Identity.user("t"));
    // The local user's move, between the catalog's two steps: sub becomes a link to outside.
    try (Directory dir = Directory.open(files)) {
      dir.exchange(n("sub"), dir, n("swap"));
    }
    assertThatThrownBy(
            () -> {
              try (Tape t = catalog.open(d, RO)) {
                ByteBuffer b = ByteBuffer.allocate(100);
                t.read(b);
                throw new AssertionError(
                    "read " + new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
              }
            })
        .isInstanceOfSatisfying(
            TapeException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(Errno.EACCES);
              assertThat(e.reason()).contains("Symbolic link, not followed");
              assertThat(e.getMessage())
                  .isEqualTo("Symbolic link, not followed: " + files + "/sub");
            });
  }

  @Test
  void fifosAndSocketsAreRefusedWithoutBlocking() throws Exception {
    try (Directory dir = Directory.open(files)) {
      dir.mknod(n("fifo"), FileStatus.S_IFIFO | 0666, 0);
      dir.mknod(n("socket"), FileStatus.S_IFSOCK | 0666, 0);
    }
    Session s = session(config(files));
    assertTimeoutPreemptively(
        NEVER_BLOCKS,
        () -> {
          for (OpenFlags flags : List.of(RO, WO, RW, CREATE)) {
            assertThat(s.execute(new Request.Open(files + "/fifo", flags)))
                .as("%s", flags)
                .isEqualTo(refused(Errno.EACCES, "Not a regular file (a FIFO)"));
          }
          assertThat(s.execute(new Request.Open(files + "/socket", RW)))
              .isEqualTo(refused(Errno.EACCES, "Not a regular file (a socket)"));
        });
    assertThat(s.execute(new Request.Open(files + "/sub/key", RO))).isEqualTo(new Reply.Ack(0));
    assertThat(read(s)).isEqualTo("inside");
    s.close();
  }

  @Test
  void aDeviceNodeBelowAFileDirIsRefused() throws Exception {
    try (Directory dir = Directory.open(files)) {
      dir.mknod(n("null"), FileStatus.S_IFCHR | 0666, FileStatus.makedev(1, 3));
    } catch (FsException e) {
      assumeTrue(false, "mknod of a device node needs CAP_MKNOD: " + e.getMessage());
    }
    Session s = session(config(files));
    assertThat(s.execute(new Request.Open(files + "/null", RW)))
        .isEqualTo(refused(Errno.EACCES, "Not a regular file (a character device)"));
    assertThat(s.execute(new Request.Open(files + "/sub", RO)))
        .isEqualTo(Reply.Error.of(Errno.EISDIR));
    s.close();
  }

  @Test
  void noLinkIsFollowedInAnyComponent() throws Exception {
    Files.createSymbolicLink(files.resolve("up"), outside);
    Files.createSymbolicLink(files.resolve("key"), outside.resolve("key"));
    Files.createSymbolicLink(files.resolve("planted"), outside.resolve("new"));
    Session s = session(config(files));
    for (OpenFlags flags :
        List.of(RO, CREATE, OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.TRUNC))) {
      assertThat(s.execute(new Request.Open(files + "/up/key", flags)))
          .isEqualTo(refused(Errno.EACCES, "Symbolic link, not followed"));
      assertThat(s.execute(new Request.Open(files + "/key", flags)))
          .isEqualTo(refused(Errno.EACCES, "Symbolic link, not followed"));
      assertThat(s.execute(new Request.Open(files + "/planted", flags)))
          .isEqualTo(refused(Errno.EACCES, "Symbolic link, not followed"));
    }
    assertThat(Files.readString(outside.resolve("key"))).isEqualTo("secret");
    assertThat(outside.resolve("new")).doesNotExist();
    s.close();
  }

  @Test
  void aFileWithASecondNameIsRefused() throws Exception {
    // A hard link a local user made to a file elsewhere (fs.protected_hardlinks=0 lets them link
    // even files they cannot read): it is the outside file itself, so it is not served.
    Files.createLink(files.resolve("linked"), outside.resolve("key"));
    Session s = session(config(files));
    assertThat(s.execute(new Request.Open(files + "/linked", RO)))
        .isEqualTo(refused(Errno.EACCES, "More than one name (a hard link)"));
    assertThat(s.execute(new Request.Open(files + "/linked", CREATE)))
        .isEqualTo(refused(Errno.EACCES, "More than one name (a hard link)"));
    s.close();
  }

  @Test
  void createTruncateAndExclusiveWorkOnRegularFiles() throws Exception {
    Session s = session(config(files));
    assertThat(s.execute(new Request.Open(files + "/sub/new", CREATE))).isEqualTo(new Reply.Ack(0));
    byte[] b = "fresh".getBytes(StandardCharsets.US_ASCII);
    assertThat(s.execute(new Request.Write(ALLOC.buffer(5).writeBytes(b))))
        .isEqualTo(new Reply.Ack(5));
    assertThat(s.execute(new Request.Close())).isEqualTo(new Reply.Ack(0));
    assertThat(Files.readString(files.resolve("sub/new"))).isEqualTo("fresh");
    assertThat(s.execute(new Request.Open(files + "/sub/new", CREATE.with(OpenFlag.EXCL))))
        .isEqualTo(Reply.Error.of(Errno.EEXIST));
    assertThat(s.execute(new Request.Open(files + "/sub/new", CREATE))).isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(new Request.Close())).isEqualTo(new Reply.Ack(0));
    assertThat(Files.readString(files.resolve("sub/new"))).isEqualTo("fresh");
    assertThat(s.execute(new Request.Open(files + "/sub/new", WO.with(OpenFlag.TRUNC))))
        .isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(new Request.Close())).isEqualTo(new Reply.Ack(0));
    assertThat(Files.readString(files.resolve("sub/new"))).isEmpty();
    assertThat(s.execute(new Request.Open(files + "/sub/none/x", CREATE)))
        .isEqualTo(Reply.Error.of(Errno.ENOENT));
    assertThat(s.execute(new Request.Open(files + "/sub/key/x", RO)))
        .isEqualTo(Reply.Error.of(Errno.ENOTDIR));
    assertThat(s.execute(new Request.Open(files + "//sub/./key", RO))).isEqualTo(new Reply.Ack(0));
    assertThat(read(s)).isEqualTo("inside");
    s.close();
  }

  @Test
  void aPathNoFileCanHaveIsInvalid() {
    Session s = session(config(files));
    assertThat(s.execute(new Request.Open(files + "/sub/key\0.txt", RO)))
        .isEqualTo(refused(Errno.EINVAL, "Invalid path: it holds a NUL byte"));
    // What the request parser makes of bytes that are not UTF-8: the file they name cannot be
    // told from others, so none is opened.
    assertThat(s.execute(new Request.Open(files + "/caf\uFFFD", CREATE)))
        .isEqualTo(refused(Errno.EINVAL, "Invalid path: not UTF-8"));
    assertThat(s.execute(new Request.Open("\0", RO)))
        .isEqualTo(refused(Errno.EINVAL, "Invalid path: it holds a NUL byte"));
    assertThat(s.execute(new Request.Open(files + "/sub/key", RO))).isEqualTo(new Reply.Ack(0));
    s.close();
  }

  @Test
  void whatTheConfigurationNamesMayBeACharacterDeviceButNeverAFifo() throws Exception {
    assumeTrue(Files.isWritable(Path.of("/dev/null")), "/dev/null is not available");
    Path fifo = tmp.resolve("named.fifo");
    try (Directory dir = Directory.open(tmp)) {
      dir.mknod(n("named.fifo"), FileStatus.S_IFIFO | 0666, 0);
    }
    Policy policy =
        new Policy(
            List.of(
                new Policy.Device("nul", Path.of("/dev/null"), Policy.Kind.FILE),
                new Policy.Device("pipe", fifo, Policy.Kind.FILE)),
            List.of(new Policy.Rule("*", List.of("*"), Grant.FULL)));
    Session s = session(config(Path.of("/dev/null"), fifo).withPolicy(policy));
    assertTimeoutPreemptively(
        NEVER_BLOCKS,
        () -> {
          for (String name : List.of("nul", "/dev/null")) {
            assertThat(s.execute(new Request.Open(name, RW))).as(name).isEqualTo(new Reply.Ack(0));
            assertThat(s.execute(new Request.Write(ALLOC.buffer(3).writeBytes(new byte[3]))))
                .isEqualTo(new Reply.Ack(3));
            assertThat(read(s)).isEmpty();
            assertThat(s.execute(new Request.Close())).isEqualTo(new Reply.Ack(0));
          }
          for (String name : List.of("pipe", fifo.toString())) {
            assertThat(s.execute(new Request.Open(name, RO)))
                .as(name)
                .isEqualTo(
                    refused(Errno.EACCES, "Not a regular file or character device (a FIFO)"));
          }
        });
    s.close();
  }
}
