package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jnr.ffi.Struct;
import org.jrmt.protocol.OpNumbering;
import org.jrmt.protocol.TapeOp;
import org.jrmt.tape.MtioNative.MtGetFreeBsd;
import org.jrmt.tape.MtioNative.MtGetLinux;
import org.jrmt.tape.MtioNative.MtOp;
import org.jrmt.tape.MtioNative.MtPos;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the Java side of the ioctl binding against what gcc says about {@code <sys/mtio.h>}. */
class MtioLayoutTest {
  private static final Map<String, Long> c = new HashMap<>();

  @BeforeAll
  static void askTheCompiler() throws Exception {
    assumeTrue(MtioLayout.current().orElse(null) == MtioLayout.LINUX, "only Linux is checked");
    Path program = NativeToolchain.compile("mtio_layout.c", "mtio_layout");
    for (String line : NativeToolchain.run(program).split("\n")) {
      String[] kv = line.split("=", 2);
      c.put(kv[0], Long.parseLong(kv[1].trim()));
    }
  }

  @Test
  void requestCodesMatch() {
    assertThat(MtioLayout.LINUX.mtioctop()).isEqualTo(c.get("MTIOCTOP"));
    assertThat(MtioLayout.LINUX.mtiocget()).isEqualTo(c.get("MTIOCGET"));
    assertThat(MtioLayout.LINUX.mtiocpos()).isEqualTo(c.get("MTIOCPOS"));
  }

  @Test
  void opNumbersMatch() {
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.FSF).getAsInt()).isEqualTo(c.get("MTFSF"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.BSF).getAsInt()).isEqualTo(c.get("MTBSF"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.FSR).getAsInt()).isEqualTo(c.get("MTFSR"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.BSR).getAsInt()).isEqualTo(c.get("MTBSR"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.WEOF).getAsInt()).isEqualTo(c.get("MTWEOF"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.REWIND).getAsInt()).isEqualTo(c.get("MTREW"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.OFFLINE).getAsInt())
        .isEqualTo(c.get("MTOFFL"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.NOP).getAsInt()).isEqualTo(c.get("MTNOP"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.EOM).getAsInt()).isEqualTo(c.get("MTEOM"));
    assertThat((long) OpNumbering.LINUX.encode(TapeOp.ERASE).getAsInt())
        .isEqualTo(c.get("MTERASE"));
    assertThat((long) MtioLayout.LINUX.setBlockSizeOp()).isEqualTo(c.get("MTSETBLK"));
  }

  @Test
  void statusBitsMatch() {
    assertThat(MtioLayout.GMT_EOF).isEqualTo(c.get("GMT_EOF"));
    assertThat(MtioLayout.GMT_BOT).isEqualTo(c.get("GMT_BOT"));
    assertThat(MtioLayout.GMT_EOT).isEqualTo(c.get("GMT_EOT"));
    assertThat(MtioLayout.GMT_SM).isEqualTo(c.get("GMT_SM"));
    assertThat(MtioLayout.GMT_EOD).isEqualTo(c.get("GMT_EOD"));
    assertThat(MtioLayout.GMT_WR_PROT).isEqualTo(c.get("GMT_WR_PROT"));
    assertThat(MtioLayout.GMT_ONLINE).isEqualTo(c.get("GMT_ONLINE"));
  }

  @Test
  void structLayoutsMatch() {
    MtOp op = new MtOp(MtioNative.runtime());
    assertThat((long) Struct.size(op)).isEqualTo(c.get("sizeof.mtop"));
    assertThat(op.mtOp.offset()).isEqualTo(c.get("offsetof.mtop.mt_op"));
    assertThat(op.mtCount.offset()).isEqualTo(c.get("offsetof.mtop.mt_count"));

    MtGetLinux get = new MtGetLinux(MtioNative.runtime());
    assertThat((long) Struct.size(get)).isEqualTo(c.get("sizeof.mtget"));
    assertThat(get.mtType.offset()).isEqualTo(c.get("offsetof.mtget.mt_type"));
    assertThat(get.mtResid.offset()).isEqualTo(c.get("offsetof.mtget.mt_resid"));
    assertThat(get.mtDsreg.offset()).isEqualTo(c.get("offsetof.mtget.mt_dsreg"));
    assertThat(get.mtGstat.offset()).isEqualTo(c.get("offsetof.mtget.mt_gstat"));
    assertThat(get.mtErreg.offset()).isEqualTo(c.get("offsetof.mtget.mt_erreg"));
    assertThat(get.mtFileno.offset()).isEqualTo(c.get("offsetof.mtget.mt_fileno"));
    assertThat(get.mtBlkno.offset()).isEqualTo(c.get("offsetof.mtget.mt_blkno"));

    assertThat((long) Struct.size(new MtPos(MtioNative.runtime())))
        .isEqualTo(c.get("sizeof.mtpos"));
  }

  @Test
  void freebsdLayoutFollowsItsHeader() {
    // No FreeBSD compiler here: these are the offsets of sys/mtio.h as the reference gives them.
    MtGetFreeBsd get = new MtGetFreeBsd(MtioNative.runtime());
    assertThat(Struct.size(get)).isEqualTo(76);
    assertThat(get.mtBlksiz.offset()).isEqualTo(8);
    assertThat(get.mtComp.offset()).isEqualTo(16);
    assertThat(get.mtBlksizSlots[0].offset()).isEqualTo(20);
    assertThat(get.mtDensitySlots[0].offset()).isEqualTo(36);
    assertThat(get.mtCompSlots[0].offset()).isEqualTo(52);
    assertThat(get.mtFileno.offset()).isEqualTo(68);
    assertThat(get.mtBlkno.offset()).isEqualTo(72);
    // _IOW('m', 1, 8 bytes) and _IOR('m', 2, 76 bytes) in FreeBSD's ioccom.h encoding.
    assertThat(MtioLayout.FREEBSD.mtioctop()).isEqualTo(0x80000000L | 8 << 16 | 'm' << 8 | 1);
    assertThat(MtioLayout.FREEBSD.mtiocget()).isEqualTo(0x40000000L | 76 << 16 | 'm' << 8 | 2);
  }

  @Test
  void linuxStatusDecodesTheGstatBitsAndDsreg() {
    TapeStatus s =
        MtioLayout.decodeLinux(
            0x25_000200L,
            MtioLayout.GMT_BOT | MtioLayout.GMT_ONLINE | MtioLayout.GMT_WR_PROT,
            0,
            0);
    assertThat(s.beginningOfTape()).isTrue();
    assertThat(s.online()).isTrue();
    assertThat(s.writeProtected()).isTrue();
    assertThat(s.endOfData()).isFalse();
    assertThat(s.blockSize()).isEqualTo(512);
    assertThat(s.density()).isEqualTo(0x25);
  }
}
