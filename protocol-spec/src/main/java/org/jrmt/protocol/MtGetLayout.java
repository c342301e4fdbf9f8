package org.jrmt.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layouts of struct mtget that clients copy the {@code S} reply into.
 *
 * <p>The receiver memcpy's the bytes, so the server must send the layout of the client's platform.
 * All layouts here are little-endian, as on every platform rmt clients run on today.
 */
public enum MtGetLayout {
  /** Linux LP64 (x86-64, aarch64): five longs then two ints, 48 bytes. */
  LINUX_LP64(48),
  /** 32-bit Linux: five longs of 4 bytes then two ints, 28 bytes. */
  LINUX_ILP32(28),
  /**
   * FreeBSD (amd64 and i386): four shorts, block sizes, densities and compression per mode, then
   * file and block number, 76 bytes.
   */
  FREEBSD(76),
  /** The first 24 bytes of {@link #FREEBSD}, which is all FreeBSD's own rmt sends. */
  FREEBSD_SHORT(24);

  private final int size;

  MtGetLayout(int size) {
    this.size = size;
  }

  /** The number of bytes this layout takes on the wire. */
  public int size() {
    return size;
  }

  /** Writes {@code status} in this layout. */
  public byte[] encode(MtGet status) {
    ByteBuffer b = ByteBuffer.allocate(this == FREEBSD_SHORT ? 76 : size);
    b.order(ByteOrder.LITTLE_ENDIAN);
    switch (this) {
      case LINUX_LP64 -> {
        b.putLong(status.type()).putLong(status.resid()).putLong(status.dsreg());
        b.putLong(status.gstat()).putLong(status.erreg());
        b.putInt(status.fileno()).putInt(status.blkno());
      }
      case LINUX_ILP32 -> {
        b.putInt((int) status.type()).putInt((int) status.resid()).putInt((int) status.dsreg());
        b.putInt((int) status.gstat()).putInt((int) status.erreg());
        b.putInt(status.fileno()).putInt(status.blkno());
      }
      case FREEBSD, FREEBSD_SHORT -> {
        b.putShort((short) status.type()).putShort((short) status.dsreg());
        b.putShort((short) status.erreg()).putShort((short) status.resid());
        b.putInt(status.blockSize()).putInt(status.density()).putInt(0);
        for (int i = 0; i < 4; i++) {
          b.putInt(status.blockSize());
        }
        for (int i = 0; i < 4; i++) {
          b.putInt(status.density());
        }
        for (int i = 0; i < 4; i++) {
          b.putInt(0);
        }
        b.putInt(status.fileno()).putInt(status.blkno());
      }
      default -> throw new AssertionError(this);
    }
    byte[] out = new byte[size];
    System.arraycopy(b.array(), 0, out, 0, size);
    return out;
  }

  /**
   * Reads a status in this layout. A FreeBSD status carries no generic status bits, so {@code
   * gstat} is 0, and its block size and density are folded into a Linux-style {@code dsreg}.
   *
   * @throws IllegalArgumentException if {@code bytes} is not exactly {@link #size()} long
   */
  public MtGet decode(byte[] bytes) {
    if (bytes.length != size) {
      throw new IllegalArgumentException(
          "struct mtget of " + bytes.length + " bytes, expected " + size);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    return switch (this) {
      case LINUX_LP64 ->
          new MtGet(
              b.getLong(),
              b.getLong(),
              b.getLong(),
              b.getLong(),
              b.getLong(),
              b.getInt(),
              b.getInt());
      case LINUX_ILP32 ->
          new MtGet(
              b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
      case FREEBSD, FREEBSD_SHORT -> {
        long type = b.getShort();
        b.getShort(); // FreeBSD dsreg is a driver state, not Linux's block size/density word
        long erreg = b.getShort();
        long resid = b.getShort();
        long blksiz = b.getInt() & 0xFFFFFFL;
        long density = b.getInt() & 0xFF;
        int fileno = -1;
        int blkno = -1;
        if (this == FREEBSD) {
          fileno = b.getInt(68);
          blkno = b.getInt(72);
        }
        yield new MtGet(type, resid, (density << 24) | blksiz, 0, erreg, fileno, blkno);
      }
    };
  }

  /** The layout whose size is {@code size}, or null if none is. */
  public static MtGetLayout ofSize(int size) {
    for (MtGetLayout l : values()) {
      if (l.size == size) {
        return l;
      }
    }
    return null;
  }
}
