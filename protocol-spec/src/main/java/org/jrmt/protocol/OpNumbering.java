package org.jrmt.protocol;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The numbers {@code I} and {@code i} requests use for tape operations.
 *
 * <p>Classic clients put their own OS's mt_op numbers on the wire, so a Linux "rewind" ({@code I6})
 * is "offline" on a FreeBSD server. After the version-1 handshake ({@code I-1}), {@code I} uses the
 * portable {@link #V1} numbers and {@code i} the {@link #EXTENDED} ones.
 */
public enum OpNumbering {
  /** Linux {@code <linux/mtio.h>}. */
  LINUX(
      new Object[][] {
        {TapeOp.RESET, 0},
        {TapeOp.FSF, 1},
        {TapeOp.BSF, 2},
        {TapeOp.FSR, 3},
        {TapeOp.BSR, 4},
        {TapeOp.WEOF, 5},
        {TapeOp.REWIND, 6},
        {TapeOp.OFFLINE, 7},
        {TapeOp.NOP, 8},
        {TapeOp.RETENSION, 9},
        {TapeOp.BSFM, 10},
        {TapeOp.FSFM, 11},
        {TapeOp.EOM, 12},
        {TapeOp.ERASE, 13},
        {TapeOp.SETBLK, 20},
        {TapeOp.SETDENSITY, 21},
        {TapeOp.SEEK, 22},
        {TapeOp.TELL, 23},
        {TapeOp.SETDRVBUFFER, 24},
        {TapeOp.FSS, 25},
        {TapeOp.BSS, 26},
        {TapeOp.WSM, 27},
        {TapeOp.LOCK, 28},
        {TapeOp.UNLOCK, 29},
        {TapeOp.LOAD, 30},
        {TapeOp.UNLOAD, 31},
        {TapeOp.COMPRESSION, 32},
        {TapeOp.SETPART, 33},
        {TapeOp.MKPART, 34},
        {TapeOp.WEOFI, 35}
      }),
  /** FreeBSD {@code <sys/mtio.h>}. */
  FREEBSD(
      new Object[][] {
        {TapeOp.WEOF, 0},
        {TapeOp.FSF, 1},
        {TapeOp.BSF, 2},
        {TapeOp.FSR, 3},
        {TapeOp.BSR, 4},
        {TapeOp.REWIND, 5},
        {TapeOp.OFFLINE, 6},
        {TapeOp.NOP, 7},
        {TapeOp.CACHE, 8},
        {TapeOp.NOCACHE, 9},
        {TapeOp.SETBLK, 10},
        {TapeOp.SETDENSITY, 11},
        {TapeOp.ERASE, 12},
        {TapeOp.EOM, 13},
        {TapeOp.COMPRESSION, 14},
        {TapeOp.RETENSION, 15},
        {TapeOp.WSM, 16},
        {TapeOp.FSS, 17},
        {TapeOp.BSS, 18},
        {TapeOp.LOAD, 19},
        {TapeOp.WEOFI, 20}
      }),
  /**
   * The portable version-1 numbers for {@code I} after {@code I-1}: BSD's 0 to 7, plus Linux dump's
   * 8 (retension), 9 (erase) and 10 (end of data), which jrmt accepts too.
   */
  V1(
      new Object[][] {
        {TapeOp.WEOF, 0},
        {TapeOp.FSF, 1},
        {TapeOp.BSF, 2},
        {TapeOp.FSR, 3},
        {TapeOp.BSR, 4},
        {TapeOp.REWIND, 5},
        {TapeOp.OFFLINE, 6},
        {TapeOp.NOP, 7},
        {TapeOp.RETENSION, 8},
        {TapeOp.ERASE, 9},
        {TapeOp.EOM, 10}
      }),
  /** The {@code i} extension's numbers. */
  EXTENDED(
      new Object[][] {
        {TapeOp.CACHE, 0},
        {TapeOp.NOCACHE, 1},
        {TapeOp.RETENSION, 2},
        {TapeOp.ERASE, 3},
        {TapeOp.EOM, 4},
        {TapeOp.NBSF, 5}
      });

  private final Map<Integer, TapeOp> byNumber = new HashMap<>();
  private final Map<TapeOp, Integer> byOp = new EnumMap<>(TapeOp.class);

  OpNumbering(Object[][] table) {
    for (Object[] row : table) {
      TapeOp op = (TapeOp) row[0];
      int number = (Integer) row[1];
      byNumber.put(number, op);
      byOp.putIfAbsent(op, number);
    }
  }

  /** The operation a wire number stands for, if any. */
  public Optional<TapeOp> decode(int number) {
    return Optional.ofNullable(byNumber.get(number));
  }

  /** The wire number of an operation, if this numbering has one. */
  public OptionalInt encode(TapeOp op) {
    Integer n = byOp.get(op);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  /** The numbering of the system this JVM runs on (FreeBSD or, by default, Linux). */
  public static OpNumbering ofRunningSystem() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return os.contains("freebsd") ? FREEBSD : LINUX;
  }
}
