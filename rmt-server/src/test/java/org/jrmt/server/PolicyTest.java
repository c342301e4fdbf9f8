package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrmt.protocol.AccessMode;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.SeekOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-identity rules and the three grants, enforced by the session. */
class PolicyTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
  private static final OpenFlags RO = OpenFlags.of(AccessMode.READ_ONLY);
  private static final OpenFlags RW = OpenFlags.of(AccessMode.READ_WRITE, OpenFlag.CREAT);
  private static final OpenFlags TRUNC =
      OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.TRUNC);
  private static final Reply DENIED = Reply.Error.of(Errno.EACCES);

  @TempDir Path dir;

  private ServerConfig config() {
    Policy policy =
        new Policy(
            List.of(new Policy.Device("archive", dir.resolve("archive.log"), Policy.Kind.FILE)),
            List.of(
                new Policy.Rule("cert:auditor", List.of("*"), Grant.READ_ONLY),
                new Policy.Rule(
                    "cert:backup-*", List.of("tape:vault*", "archive"), Grant.APPEND_ONLY),
                new Policy.Rule("cert:backup-*", List.of("tape:scratch"), Grant.FULL),
                new Policy.Rule("cert:operator", List.of("tape:*", "archive"), Grant.FULL)));
    return ServerConfig.defaults(dir.resolve("tapes")).withPolicy(policy);
  }

  private Session as(String cert) {
    ServerConfig c = config();
    return new Session(
        c,
        new DeviceCatalog(c),
        new DeviceLocks(),
        ALLOC,
        new SessionStats(cert),
        Identity.certificate(cert));
  }

  private static Request.Write write(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return new Request.Write(ALLOC.buffer(b.length).writeBytes(b));
  }

  @Test
  void rulesMatchIdentityAndDevice() {
    Session op = as("operator");
    assertThat(op.execute(new Request.Open("vault1", TRUNC))).isEqualTo(new Reply.Ack(0));
    op.close();
    Session stranger = as("mallory");
    assertThat(stranger.execute(new Request.Open("vault1", RO))).isEqualTo(DENIED);
    Session backup = as("backup-web1");
    assertThat(backup.execute(new Request.Open("other", RO)))
        .as("backup clients get only their vault and scratch tapes")
        .isEqualTo(DENIED);
    assertThat(backup.execute(new Request.Open("scratch", TRUNC))).isEqualTo(new Reply.Ack(0));
    backup.close();
  }

  @Test
  void readOnlyRefusesEveryWritingOpen() {
    Session op = as("operator");
    op.execute(new Request.Open("vault1", TRUNC));
    op.close();
    Session auditor = as("auditor");
    assertThat(auditor.execute(new Request.Open("vault1", RW))).isEqualTo(DENIED);
    assertThat(auditor.execute(new Request.Open("vault1", OpenFlags.of(AccessMode.WRITE_ONLY))))
        .isEqualTo(DENIED);
    assertThat(auditor.execute(new Request.Open("vault1", RO))).isEqualTo(new Reply.Ack(0));
    auditor.close();
  }

  @Test
  void appendOnlyWritesOnlyAtTheEndOfData() {
    Session op = as("operator");
    op.execute(new Request.Open("vault1", TRUNC));
    op.execute(write("monday"));
    op.execute(new Request.Close());

    Session b = as("backup-web1");
    assertThat(b.execute(new Request.Open("vault1", TRUNC))).as("no O_TRUNC").isEqualTo(DENIED);
    assertThat(b.execute(new Request.Open("vault1", RW))).isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(write("overwrite!"))).as("at the start: refused").isEqualTo(DENIED);
    assertThat(b.execute(new Request.Ioctl(5, 1, false))).as("filemark at BOT").isEqualTo(DENIED);
    assertThat(b.execute(new Request.Ioctl(13, 1, false))).as("erase").isEqualTo(DENIED);
    assertThat(b.execute(new Request.Ioctl(12, 1, false))).as("eom").isEqualTo(new Reply.Ack(1));
    assertThat(b.execute(write("tuesday"))).isEqualTo(new Reply.Ack(7));
    assertThat(b.execute(write("more"))).isEqualTo(new Reply.Ack(4));
    assertThat(b.execute(new Request.Ioctl(6, 1, false))).as("rewind").isEqualTo(new Reply.Ack(1));
    assertThat(b.execute(write("again"))).as("rewound: refused").isEqualTo(DENIED);
    b.close();

    Session check = as("auditor");
    check.execute(new Request.Open("vault1", RO));
    assertThat(text(check.execute(new Request.Read(100)))).isEqualTo("monday");
    assertThat(text(check.execute(new Request.Read(100)))).isEmpty();
    assertThat(text(check.execute(new Request.Read(100)))).isEqualTo("tuesday");
    check.close();
  }

  @Test
  void appendOnlyFileGetsEveryWriteAtItsEnd() throws Exception {
    Path archive = dir.resolve("archive.log");
    Files.writeString(archive, "old;");
    Session b = as("backup-db");
    assertThat(b.execute(new Request.Open("archive", OpenFlags.of(AccessMode.WRITE_ONLY))))
        .isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(write("new;"))).isEqualTo(new Reply.Ack(4));
    b.close();
    assertThat(Files.readString(archive)).isEqualTo("old;new;");
  }

  @Test
  void embeddedDefaultGrantsVirtualTapesToAnyone() {
    ServerConfig c = ServerConfig.defaults(dir.resolve("tapes"));
    Session s =
        new Session(
            c,
            new DeviceCatalog(c),
            new DeviceLocks(),
            ALLOC,
            new SessionStats("x"),
            Identity.address("192.0.2.1"));
    assertThat(s.execute(new Request.Open("anything", TRUNC))).isEqualTo(new Reply.Ack(0));
    assertThat(s.execute(new Request.Open("/etc/passwd", RO))).isEqualTo(DENIED);
    s.close();
  }

  @Test
  void aRuleCanSetTheSeekOrderOfItsIdentities() throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Files.writeString(files.resolve("t10"), "0123456789");
    Policy policy =
        new Policy(
            List.of(),
            List.of(
                new Policy.Rule(
                    "user:newgnu", List.of(files + "/*"), Grant.FULL, SeekOrder.WHENCE_FIRST),
                new Policy.Rule("*", List.of(files + "/*"), Grant.FULL)));
    ServerConfig c =
        ServerConfig.defaults(dir.resolve("tapes")).withFileDirs(List.of(files)).withPolicy(policy);
    String request = "O" + files + "/t10\n0\nR4\nL0\n1\n";
    // Offset first (the default): "tell" answers the position after reading 4 bytes.
    assertThat(serve(c, request, Identity.user("tar134"))).isEqualTo("A0\nA4\n0123A4\n");
    // Whence first for this identity: "seek to absolute 1".
    assertThat(serve(c, request, Identity.user("newgnu"))).isEqualTo("A0\nA4\n0123A1\n");
  }

  private static String serve(ServerConfig c, String request, Identity who) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new StdioServer(c, new DeviceLocks())
        .serve(new ByteArrayInputStream(request.getBytes(StandardCharsets.US_ASCII)), out, who);
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void globs() {
    assertThat(Policy.glob("cert:backup-*", "cert:backup-web1")).isTrue();
    assertThat(Policy.glob("cert:backup-*", "cert:backupweb1")).isFalse();
    assertThat(Policy.glob("*", "addr:10.0.0.1")).isTrue();
    assertThat(Policy.glob("tape:a.b", "tape:aXb")).as("dots are literal").isFalse();
    assertThat(Policy.glob("/srv/*/x", "/srv/a/b/x")).isTrue();
  }

  private static String text(Reply r) {
    var p = ((Reply.Data) r).payload();
    String s = p.toString(StandardCharsets.US_ASCII);
    p.release();
    return s;
  }
}
