package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrmt.protocol.AccessMode;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.MtGet;
import org.jrmt.protocol.MtGetLayout;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.testing.LogCapture;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session engine against virtual tapes: one test per decision of PROTOCOL.md §3 and §6. */
class SessionTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
  private static final OpenFlags CREATE =
      OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.TRUNC);

  @TempDir Path dir;
  private final DeviceLocks locks = new DeviceLocks();

  private Session session(ServerConfig config) {
    return new Session(
        config, new DeviceCatalog(config), locks, ALLOC, new SessionStats("t"), Identity.user("t"));
  }

  private ServerConfig config() {
    return ServerConfig.defaults(dir.resolve("tapes"));
  }

  private ServerConfig small(EndOfTapeMode mode) {
    // Each 100-byte record takes 108 bytes with SIMH framing: 3 fit in 350 bytes, and then a
    // 10-byte
    // record (18 bytes) still would.
    return config()
        .withTapeOptions(SimhTape.Options.defaults().withCapacity(350).withEndOfTapeMode(mode));
  }

  private static Request.Write write(int n, char fill) {
    byte[] b = String.valueOf(fill).repeat(n).getBytes(StandardCharsets.US_ASCII);
    return new Request.Write(ALLOC.buffer(n).writeBytes(b));
  }

  private static int count(Reply r) {
    Reply.Data d = (Reply.Data) r;
    int n = d.count();
    d.release();
    return n;
  }

  private static String text(Reply r) {
    ByteBuf p = ((Reply.Data) r).payload();
    String s = p.toString(StandardCharsets.US_ASCII);
    p.release();
    return s;
  }

  @Test
  void writesAndReadsBackAVirtualTape() {
    Session s = session(config());
    assertThat(s.execute(new Request.Open("t1", CREATE))).isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(write(10, 'a'))).isEqualTo(new Reply.Ack(10));
    assertThat(s.execute(write(5, 'b'))).isEqualTo(new Reply.Ack(5));
    assertThat(s.execute(new Request.Close())).isEqualTo(new Reply.Ack(0));
    assertThat(Files.exists(dir.resolve("tapes/t1.tap"))).isTrue();

    s.execute(new Request.Open("t1", OpenFlags.of(AccessMode.READ_ONLY)));
    assertThat(text(s.execute(new Request.Read(100)))).isEqualTo("aaaaaaaaaa");
    assertThat(text(s.execute(new Request.Read(100)))).isEqualTo("bbbbb");
    assertThat(((Reply.Data) s.execute(new Request.Read(100))).count())
        .as("filemark written on close reads as A0")
        .isZero();
    s.close();
  }

  @Test
  void endOfTapeIsE28AndNotStickyWithoutNegotiation() {
    Session s = session(small(EndOfTapeMode.ENOSPC));
    s.execute(new Request.Open("t", CREATE));
    for (int i = 0; i < 3; i++) {
      assertThat(s.execute(write(100, 'x'))).isEqualTo(new Reply.Ack(100));
    }
    assertThat(s.execute(write(100, 'y'))).isEqualTo(Reply.Error.of(Errno.ENOSPC));
    assertThat(s.execute(write(10, 'z')))
        .as("a classic client may still write a short record that fits")
        .isEqualTo(new Reply.Ack(10));
    s.close();
  }

  @Test
  void stickyEndOfTapeRefusesEveryLaterWriteUntilRepositioned() throws Exception {
    Session s = session(small(EndOfTapeMode.ZERO));
    assertThat(text(s.execute(new Request.Negotiate(1, List.of("pipeline", "sticky-eot")))))
        .isEqualTo("1 pipeline sticky-eot window=67108864 max-record=16777216");
    s.execute(new Request.Open("t", CREATE));
    for (int i = 0; i < 3; i++) {
      s.execute(write(100, 'x'));
    }
    assertThat(s.execute(write(100, 'y'))).as("zero mode").isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(write(10, 'z')))
        .as("sticky, though it would fit")
        .isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(new Request.Ioctl(5, 1, false)))
        .as("filemarks are not records and are not blocked")
        .isEqualTo(new Reply.Ack(1));
    assertThat(s.execute(new Request.Ioctl(6, 1, false))).as("rewind").isEqualTo(new Reply.Ack(1));
    assertThat(s.execute(write(10, 'w')))
        .as("repositioned: writes again")
        .isEqualTo(new Reply.Ack(10));
    s.close();

    try (SimhTape t = SimhTape.open(dir.resolve("tapes/t.tap"), OpenMode.readOnly())) {
      ByteBuffer b = ByteBuffer.allocate(200);
      assertThat(t.read(b)).isEqualTo(10);
    }
  }

  @Test
  void versionOneMapsOperationNumbers() {
    Session s = session(config());
    s.execute(new Request.Open("t", CREATE));
    s.execute(write(10, 'a'));
    assertThat(s.execute(new Request.Ioctl(-1, 0, false))).isEqualTo(new Reply.Ack(1));
    // Version 1 op 5 is rewind (it would be "write filemark" in Linux numbering).
    assertThat(s.execute(new Request.Ioctl(5, 1, false))).isEqualTo(new Reply.Ack(1));
    assertThat(s.execute(new Request.StatusField('f')))
        .isEqualTo(new Reply.Ack(MtGet.GMT_BOT | MtGet.GMT_ONLINE));
    assertThat(s.execute(new Request.Ioctl(4, 1, true)))
        .as("i4 = end of data")
        .isEqualTo(new Reply.Ack(1));
    // The rewind after the write ended the file with a filemark, as st does: end of data is at
    // the start of file 1.
    assertThat(s.execute(new Request.StatusField('F'))).isEqualTo(new Reply.Ack(1));
    assertThat(s.execute(new Request.StatusField('B'))).isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(new Request.Ioctl(99, 1, false))).isEqualTo(Reply.Error.of(Errno.EINVAL));
    s.close();
  }

  @Test
  void ioctlAnswersZeroWhenConfiguredLikeGnu() {
    Session s = session(config().withIoctlRepliesCount(false));
    s.execute(new Request.Open("t", CREATE));
    assertThat(s.execute(new Request.Ioctl(5, 2, false))).isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(new Request.Ioctl(8, -1, false))).isEqualTo(Reply.Error.of(Errno.EINVAL));
    s.close();
  }

  @Test
  void binaryStatusIsTheLinuxLayout() {
    Session s = session(config());
    s.execute(new Request.Open("t", CREATE));
    Reply r = s.execute(new Request.Status());
    ByteBuf p = ((Reply.Data) r).payload();
    byte[] b = new byte[p.readableBytes()];
    p.readBytes(b);
    p.release();
    MtGet st = MtGetLayout.LINUX_LP64.decode(b);
    assertThat(st.type()).isEqualTo(MtGet.MT_ISSCSI2);
    assertThat(st.has(MtGet.GMT_BOT | MtGet.GMT_ONLINE)).isTrue();
    assertThat(st.fileno()).isZero();
    s.close();
  }

  @Test
  void portableStatusOnlyAfterNegotiation() {
    Session s = session(config());
    s.execute(new Request.Open("t", CREATE));
    assertThat(s.execute(new Request.PortableStatus()))
        .isEqualTo(new Reply.Error(22, "Garbage command"));
    assertThat(s.ended()).isTrue();

    Session n = session(config());
    n.execute(new Request.Negotiate(1, List.of("status", "teleport")));
    n.execute(new Request.Open("u", CREATE));
    assertThat(text(n.execute(new Request.PortableStatus())))
        .contains(
            "bot=1\n",
            "online=1\n",
            "file=0\n",
            "block=0\n",
            "write-protected=0\n",
            "kind=virtual\n");
    n.close();
    s.close();
  }

  @Test
  void oneSessionPerDevice() {
    Session a = session(config());
    Session b = session(config());
    assertThat(a.execute(new Request.Open("t", CREATE))).isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(new Request.Open("t", CREATE))).isEqualTo(Reply.Error.of(Errno.EBUSY));
    assertThat(b.execute(new Request.Open("other", CREATE))).isEqualTo(new Reply.Ack(0));
    a.close();
    assertThat(b.execute(new Request.Open("t", OpenFlags.of(AccessMode.READ_ONLY))))
        .as("the lock is released when the owner ends")
        .isEqualTo(new Reply.Ack(0));
    b.close();
  }

  @Test
  void pathsOutsidePolicyAreRefused() throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Files.writeString(files.resolve("ok"), "x");
    Files.createSymbolicLink(files.resolve("link"), Path.of("/etc/passwd"));
    Session s = session(config().withFileDirs(List.of(files)));
    OpenFlags ro = OpenFlags.of(AccessMode.READ_ONLY);
    assertThat(s.execute(new Request.Open(files + "/ok", ro))).isEqualTo(new Reply.Ack(0));
    for (String p :
        List.of(
            "/etc/passwd",
            files + "/../ok",
            files.toString(),
            "../tapes/t",
            "a/b",
            ".hidden",
            "")) {
      assertThat(s.execute(new Request.Open(p, ro)))
          .as(p)
          .isEqualTo(new Reply.Error(13, DeviceCatalog.NOT_SERVED));
    }
    assertThat(s.execute(new Request.Open(files + "/link", ro)))
        .isEqualTo(new Reply.Error(Errno.EACCES.number(), "Symbolic link, not followed"));
    s.close();
  }

  @Test
  void unknownTapeNameWithoutCreateIsEnoent() {
    Session s = session(config());
    assertThat(s.execute(new Request.Open("missing", OpenFlags.of(AccessMode.READ_ONLY))))
        .isEqualTo(Reply.Error.of(Errno.ENOENT));
  }

  @Test
  void violationEndsTheSessionAndClosesTheDevice() {
    Session s = session(config());
    s.execute(new Request.Open("t", CREATE));
    assertThat(s.execute(new Request.Violation(Errno.EINVAL, "Garbage command")))
        .isEqualTo(new Reply.Error(22, "Garbage command"));
    assertThat(s.ended()).isTrue();
    s.close();
    assertThat(locks.isHeld("tape:" + dir.resolve("tapes/t.tap").toAbsolutePath().normalize()))
        .isFalse();
  }

  /**
   * {@code R16777216} on a tape of 10-byte records allocates 10 bytes, not 16 MiB: the buffer is
   * the record's length where the tape can tell (SIMH, plain files), else a per-session buffer of
   * the count asked, reused, with replies of the record's true length.
   */
  @Test
  void aReadAllocatesWhatItReturnsNotTheCountAsked() throws Exception {
    Path file = Files.createDirectories(dir.resolve("files")).resolve("f");
    Files.write(file, new byte[100]);
    ServerConfig config =
        config().withFileDirs(List.of(dir.resolve("files"), Path.of("/dev/zero")));
    TestAllocator alloc = TestAllocator.counting();
    Session s =
        new Session(
            config,
            new DeviceCatalog(config),
            locks,
            alloc,
            new SessionStats("t"),
            Identity.user("t"));
    s.execute(new Request.Open("t1", CREATE));
    s.execute(write(10, 'a'));
    s.execute(write(5, 'b'));
    s.execute(new Request.Close());
    s.execute(new Request.Open("t1", OpenFlags.of(AccessMode.READ_ONLY)));
    int huge = 16 << 20;
    assertThat(text(s.execute(new Request.Read(huge)))).isEqualTo("aaaaaaaaaa");
    assertThat(text(s.execute(new Request.Read(huge)))).isEqualTo("bbbbb");
    assertThat(count(s.execute(new Request.Read(huge)))).isZero();
    // A record longer than the count is still the tape's error, not a bigger buffer.
    s.execute(new Request.Ioctl(6, 1, false));
    assertThat(s.execute(new Request.Read(4))).isEqualTo(Reply.Error.of(Errno.ENOMEM));
    s.execute(new Request.Open(file.toString(), OpenFlags.of(AccessMode.READ_ONLY)));
    assertThat(count(s.execute(new Request.Read(huge)))).isEqualTo(100);
    assertThat(alloc.largest()).isLessThanOrEqualTo(100);
    // /dev/zero cannot tell: a buffer of the count, and the reply exactly what was read.
    s.execute(new Request.Open("/dev/zero", OpenFlags.of(AccessMode.READ_ONLY)));
    for (int i = 0; i < 3; i++) {
      assertThat(count(s.execute(new Request.Read(4096)))).isEqualTo(4096);
    }
    assertThat(alloc.largest()).isEqualTo(4096);
    s.close();
    assertThat(alloc.used()).as("nothing kept after the session").isZero();
  }

  /**
   * A failure the engine did not foresee is answered {@code EIO} and logged in one line, not a
   * stack trace per request, and a flood of them is rate-limited.
   */
  @Test
  void unexpectedFailuresAreOneLineEachAndRateLimited() throws Exception {
    ServerConfig config = config();
    Session s =
        new Session(
            config,
            new DeviceCatalog(config),
            locks,
            TestAllocator.brokenFrom(0),
            new SessionStats("t"),
            Identity.user("t"));
    assertThat(s.execute(new Request.Open("t1", CREATE))).isEqualTo(new Reply.Ack(0));
    String log;
    try (LogCapture capture = new LogCapture()) {
      for (int i = 0; i < 1000; i++) {
        assertThat(s.execute(new Request.Status())).isEqualTo(Reply.Error.of(Errno.EIO));
      }
      log = capture.text();
    }
    assertThat(log).doesNotContain("\tat ");
    assertThat(log.lines().filter(l -> l.contains("IllegalStateException")).count())
        .isLessThanOrEqualTo(10);
    assertThat(s.ended()).as("the session goes on").isFalse();
    s.close();
  }
}
