package org.jrmt.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TablesTest {
  @Test
  void errnoNumbersMatchLinuxAndFreebsd() {
    assertThat(Errno.ENOSPC.number()).isEqualTo(28);
    assertThat(Errno.EAGAIN.number()).isEqualTo(11);
    assertThat(Errno.EAGAIN.freebsdNumber()).isEqualTo(35);
    assertThat(Errno.ofFreebsd(84)).contains(Errno.EOVERFLOW);
    assertThat(Errno.ofLinux(25)).contains(Errno.ENOTTY);
    assertThat(Errno.ofName("EBUSY")).contains(Errno.EBUSY);
    assertThat(Errno.ENOTTY.message()).isEqualTo("Inappropriate ioctl for device");
  }

  @Test
  void everyErrnoMessageFitsAReplyLine() {
    for (Errno e : Errno.values()) {
      assertThat(e.message().length()).isLessThanOrEqualTo(Reply.MAX_MESSAGE);
    }
  }

  @Test
  void linuxAndFreebsdOpNumbersDisagreeAboveFour() {
    assertThat(OpNumbering.LINUX.decode(6)).contains(TapeOp.REWIND);
    assertThat(OpNumbering.FREEBSD.decode(6)).contains(TapeOp.OFFLINE);
    assertThat(OpNumbering.LINUX.decode(5)).contains(TapeOp.WEOF);
    assertThat(OpNumbering.FREEBSD.decode(5)).contains(TapeOp.REWIND);
    assertThat(OpNumbering.V1.decode(5)).contains(TapeOp.REWIND);
    assertThat(OpNumbering.EXTENDED.decode(4)).contains(TapeOp.EOM);
    assertThat(OpNumbering.LINUX.encode(TapeOp.EOM)).hasValue(12);
    assertThat(OpNumbering.FREEBSD.encode(TapeOp.EOM)).hasValue(13);
    assertThat(OpNumbering.V1.encode(TapeOp.SEEK)).isEmpty();
    for (int op = 1; op <= 4; op++) {
      assertThat(OpNumbering.LINUX.decode(op)).isEqualTo(OpNumbering.FREEBSD.decode(op));
    }
  }

  @Test
  void everyNumberingRoundTrips() {
    for (OpNumbering n : OpNumbering.values()) {
      for (TapeOp op : TapeOp.values()) {
        n.encode(op).ifPresent(num -> assertThat(n.decode(num)).contains(op));
      }
    }
  }

  @Test
  void linuxMtgetMatchesTheBytesRmtDumpSent() {
    // The reply rmt-dump gave under the tape shim (reference vector 27).
    MtGet shim = new MtGet(0x72, 0x11, 0x22, 0x41010000L, 0x33, 2, 7);
    String hex =
        "7200000000000000"
            + "1100000000000000"
            + "2200000000000000"
            + "0000014100000000"
            + "3300000000000000"
            + "02000000"
            + "07000000";
    assertThat(HexFormat.of().formatHex(MtGetLayout.LINUX_LP64.encode(shim))).isEqualTo(hex);
    assertThat(MtGetLayout.LINUX_LP64.decode(HexFormat.of().parseHex(hex))).isEqualTo(shim);
    assertThat(shim.has(MtGet.GMT_BOT | MtGet.GMT_ONLINE)).isTrue();
    assertThat(shim.has(MtGet.GMT_EOD)).isFalse();
  }

  @Test
  void freebsdLayoutPutsFileAndBlockAtTheEnd() {
    MtGet s = new MtGet(0x72, 0, (3L << 24) | 65536, 0, 1, 4, 9);
    byte[] b = MtGetLayout.FREEBSD.encode(s);
    assertThat(b).hasSize(76);
    MtGet back = MtGetLayout.FREEBSD.decode(b);
    assertThat(back.fileno()).isEqualTo(4);
    assertThat(back.blkno()).isEqualTo(9);
    assertThat(back.blockSize()).isEqualTo(65536);
    assertThat(back.density()).isEqualTo(3);
    assertThat(MtGetLayout.FREEBSD_SHORT.encode(s)).hasSize(24);
    assertThat(MtGetLayout.ofSize(48)).isEqualTo(MtGetLayout.LINUX_LP64);
    assertThatThrownBy(() -> MtGetLayout.LINUX_LP64.decode(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void openFlagNumbersPerSystem() {
    OpenFlags f = OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.TRUNC);
    assertThat(f.linuxBits()).isEqualTo(577);
    assertThat(f.freebsdBits()).isEqualTo(1 | 0x200 | 0x400);
    assertThat(f.encode(FlagSyntax.NUMBER_AND_NAMES)).isEqualTo("577 O_WRONLY|O_CREAT|O_TRUNC");
    assertThat(f.encode(FlagSyntax.ACCESS_MODE_AND_NAMES)).isEqualTo("1 O_WRONLY|O_CREAT|O_TRUNC");
    assertThat(f.encode(FlagSyntax.NUMERIC_FREEBSD)).isEqualTo("1537");
    assertThat(OpenFlags.fromFreebsdBits(1537)).isEqualTo(f);
    assertThat(OpenFlags.fromLinuxBits(04010000).flags()).containsExactly(OpenFlag.SYNC);
  }

  @Test
  void openFlagAliasesAndIgnoredNames() {
    assertThat(OpenFlags.parse("2 O_RDWR|O_NDELAY|O_TEXT", NumericFlags.ACCESS_MODE_ONLY))
        .isEqualTo(OpenFlags.of(AccessMode.READ_WRITE, OpenFlag.NONBLOCK));
    assertThat(OpenFlags.parse("O_WRONLY|O_FSYNC|O_LARGEFILE", NumericFlags.ACCESS_MODE_ONLY))
        .isEqualTo(OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.SYNC, OpenFlag.LARGEFILE));
    assertThatThrownBy(() -> OpenFlags.parse("", NumericFlags.ACCESS_MODE_ONLY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OpenFlags.parse("1 O_WRONLY||", NumericFlags.ACCESS_MODE_ONLY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dialectTable() {
    assertThat(ServerDialect.GNU.clientSyntax())
        .isEqualTo(new ClientSyntax(SeekOrder.WHENCE_FIRST, FlagSyntax.NUMBER_AND_NAMES, true));
    assertThat(ServerDialect.LINUX_DUMP.statusNewline()).isFalse();
    assertThat(ServerDialect.GNU.exitsAfterClose()).isTrue();
    assertThat(ServerDialect.LINUX_DUMP.exitsAfterClose()).isFalse();
    assertThat(ServerDialect.GNU.version1()).isFalse();
  }

  @Test
  void replyMessagesAreSanitised() {
    Reply.Error e = new Reply.Error(5, "java.io.IOException: line1\nline2 \u00e9" + "x".repeat(80));
    assertThat(e.message()).hasSize(Reply.MAX_MESSAGE).doesNotContain("\n").startsWith("java.io");
    assertThat(e.message()).matches("[\\x20-\\x7e]+");
  }
}
