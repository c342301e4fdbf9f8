package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Per-identity rules and the three grants, enforced by the session. */
class PolicyTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
  private static final OpenFlags RO = OpenFlags.of(AccessMode.READ_ONLY);
  private static final OpenFlags RW = OpenFlags.of(AccessMode.READ_WRITE, OpenFlag.CREAT);
  private static final OpenFlags TRUNC =
      OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.TRUNC);

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
    assertThat(stranger.execute(new Request.Open("vault1", RO)))
        .isEqualTo(denied("no rule grants tape:vault1 to cert:mallory"));
    Session backup = as("backup-web1");
    assertThat(backup.execute(new Request.Open("other", RO)))
        .as("backup clients get only their vault and scratch tapes")
        .isEqualTo(denied("no rule grants tape:other to cert:backup-web1"));
    assertThat(backup.execute(new Request.Open("scratch", TRUNC))).isEqualTo(new Reply.Ack(0));
    backup.close();
  }

  @Test
  void readOnlyRefusesEveryWritingOpen() {
    Session op = as("operator");
    op.execute(new Request.Open("vault1", TRUNC));
    op.close();
    Session auditor = as("auditor");
    Reply refused = denied("no write open: tape:vault1 read-only (rule 1, cert:auditor)");
    assertThat(auditor.execute(new Request.Open("vault1", RW))).isEqualTo(refused);
    assertThat(auditor.execute(new Request.Open("vault1", OpenFlags.of(AccessMode.WRITE_ONLY))))
        .isEqualTo(refused);
    assertThat(auditor.execute(new Request.Open("vault1", RO))).isEqualTo(new Reply.Ack(0));
    auditor.close();
  }

  @Test
  void readOnlyRefusesEveryWriteOnAReadOpen() throws Exception {
    Path archive = dir.resolve("archive.log");
    Files.writeString(archive, "old;");
    Session auditor = as("auditor");
    assertThat(auditor.execute(new Request.Open("archive", RO))).isEqualTo(new Reply.Ack(0));
    assertThat(auditor.execute(write("new;")))
        .isEqualTo(denied("no write: archive read-only (rule 1, cert:auditor)"));
    auditor.close();
    assertThat(Files.readString(archive)).isEqualTo("old;");
  }

  /** Issue 16: every backup under append-only becomes the next file, O_TRUNC or not. */
  @Test
  void appendOnlyWriteOpensAppendTheNextFile() {
    Session b = as("backup-web1");
    assertThat(b.execute(new Request.Open("vault1", TRUNC)))
        .as("the first backup, on a blank tape")
        .isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(write("monday"))).isEqualTo(new Reply.Ack(6));
    assertThat(b.execute(new Request.Close())).isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(new Request.Open("vault1", TRUNC)))
        .as("O_TRUNC is ignored, as a drive ignores it")
        .isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(write("tuesday"))).isEqualTo(new Reply.Ack(7));
    assertThat(b.execute(write("more"))).isEqualTo(new Reply.Ack(4));
    assertThat(b.execute(new Request.Close())).isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(new Request.Open("vault1", RW))).isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(write("wednesday"))).isEqualTo(new Reply.Ack(9));
    b.close();

    assertThat(contents("vault1"))
        .containsExactly("monday", "", "tuesday", "more", "", "wednesday", "");
  }

  @Test
  void appendOnlyWritesOnlyAtTheEndOfData() {
    recordMonday();

    Session b = as("backup-web1");
    String policy = ": tape:vault1 append-only (rule 2, cert:backup-web1)";
    Reply records = denied("records only at end of data" + policy);
    assertThat(b.execute(new Request.Open("vault1", RW))).isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(new Request.Ioctl(13, 1, false)))
        .as("erase, even at the end of data")
        .isEqualTo(denied("no erase" + policy));
    assertThat(b.execute(new Request.Ioctl(6, 1, false))).as("rewind").isEqualTo(new Reply.Ack(1));
    assertThat(b.execute(write("overwrite!"))).as("rewound: refused").isEqualTo(records);
    assertThat(b.execute(new Request.Ioctl(5, 1, false)))
        .as("filemark at BOT")
        .isEqualTo(denied("filemarks only at end of data" + policy));
    assertThat(b.execute(new Request.Ioctl(12, 1, false))).as("eom").isEqualTo(new Reply.Ack(1));
    assertThat(b.execute(write("tuesday"))).isEqualTo(new Reply.Ack(7));
    assertThat(b.execute(new Request.Ioctl(5, 1, false)))
        .as("WEOF at EOD")
        .isEqualTo(new Reply.Ack(1));
    assertThat(text(b.execute(new Request.Read(100)))).as("a read at the end of data").isEmpty();
    assertThat(b.execute(write("again"))).as("a read may move: refused").isEqualTo(records);
    assertThat(b.execute(new Request.Ioctl(4, 1, true))).as("i4: EOM").isEqualTo(new Reply.Ack(1));
    assertThat(b.execute(write("wednesday"))).isEqualTo(new Reply.Ack(9));
    b.close();

    assertThat(contents("vault1")).containsExactly("monday", "", "tuesday", "", "wednesday", "");
  }

  @Test
  void appendOnlyReadOpenDoesNotMoveTheTape() {
    recordMonday();
    Session b = as("backup-web1");
    assertThat(b.execute(new Request.Open("vault1", RO))).isEqualTo(new Reply.Ack(0));
    assertThat(text(b.execute(new Request.Read(100)))).isEqualTo("monday");
    b.close();
  }

  /** The operator's first backup on vault1: "monday" and its filemark. */
  private void recordMonday() {
    Session op = as("operator");
    op.execute(new Request.Open("vault1", TRUNC));
    op.execute(write("monday"));
    op.execute(new Request.Close());
  }

  /** Every record and filemark ("") of a virtual tape, read by the auditor. */
  private List<String> contents(String tape) {
    Session check = as("auditor");
    assertThat(check.execute(new Request.Open(tape, RO))).isEqualTo(new Reply.Ack(0));
    List<String> out = new ArrayList<>();
    for (Reply r; (r = check.execute(new Request.Read(100))) instanceof Reply.Data; ) {
      out.add(text(r));
    }
    check.close();
    // The first read at the end of data returns 0 as a filemark does, the next one fails.
    return out.subList(0, out.size() - 1);
  }

  /**
   * The bypasses of issue 14 item 2: a backward motion that fails (answered E5 once it reached the
   * beginning of the tape or crossed a filemark) must not leave the session believing it is still
   * at the end of data. Linux numbers: BSF 2, BSR 4, BSFM 10, EOM 12; {@code i5} is NBSF.
   */
  @ParameterizedTest
  @ValueSource(strings = {"I2 huge BSF", "I10 huge BSFM", "i5 huge NBSF", "I4 BSR", "I4 huge BSR"})
  void aFailedBackwardSpaceDoesNotLetTheNextWriteOverwrite(String attack) throws Exception {
    String[] words = attack.split(" ");
    boolean extended = words[0].charAt(0) == 'i';
    int op = Integer.parseInt(words[0].substring(1));
    int count = words[1].equals("huge") ? Integer.MAX_VALUE : 3;
    recordMonday();
    byte[] recorded = Files.readAllBytes(dir.resolve("tapes/vault1.tap"));

    Session b = as("backup-web1");
    assertThat(b.execute(new Request.Open("vault1", RW))).isEqualTo(new Reply.Ack(0));
    assertThat(b.execute(new Request.Ioctl(12, 1, false))).as("eom").isEqualTo(new Reply.Ack(1));
    assertThat(b.execute(write("tuesday"))).isEqualTo(new Reply.Ack(7));
    Reply motion = b.execute(new Request.Ioctl(op, count, extended));
    assertThat(motion).as(attack).isInstanceOf(Reply.Error.class);
    assertThat(((Reply.Error) motion).errno()).isEqualTo(Errno.EIO.number());
    Reply overwrite = b.execute(write("cut"));
    assertThat(overwrite)
        .as("the write after the failed " + attack)
        .isInstanceOf(Reply.Error.class);
    assertThat(((Reply.Error) overwrite).errno()).isEqualTo(Errno.EACCES.number());
    b.close();

    byte[] after = Files.readAllBytes(dir.resolve("tapes/vault1.tap"));
    assertThat(Arrays.copyOf(after, recorded.length)).isEqualTo(recorded);
  }

  @Test
  void appendOnlyFileRefusesTruncation() throws Exception {
    Path archive = dir.resolve("archive.log");
    Files.writeString(archive, "old;");
    Session b = as("backup-db");
    assertThat(b.execute(new Request.Open("archive", TRUNC)))
        .isEqualTo(denied("no O_TRUNC: archive append-only (rule 2, cert:backup-db)"));
    b.close();
    assertThat(Files.readString(archive)).isEqualTo("old;");
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
    assertThat(s.execute(new Request.Open("/etc/passwd", RO)))
        .isEqualTo(denied(DeviceCatalog.NOT_SERVED));
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

  /** An EACCES refusal with its message as the client gets it (one line of at most 60 bytes). */
  private static Reply denied(String message) {
    return new Reply.Error(Errno.EACCES.number(), message);
  }

  private static String text(Reply r) {
    var p = ((Reply.Data) r).payload();
    String s = p.toString(StandardCharsets.US_ASCII);
    p.release();
    return s;
  }
}
