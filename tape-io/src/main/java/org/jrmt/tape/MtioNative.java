package org.jrmt.tape;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The {@code ioctl(2)} binding for tape drives, which jnr-posix lacks: the C library's {@code
 * ioctl} with the three argument types tape ioctls use, and those structs as the C headers lay them
 * out. Loaded on first use; {@link #lastErrno()} must be read right after a call, on the same
 * thread, before anything else can touch errno.
 */
final class MtioNative {
  private MtioNative() {}

  /** The C library's {@code ioctl}, one overload per argument struct. */
  public interface LibC {
    int ioctl(int fd, long request, @In MtOp arg);

    int ioctl(int fd, long request, @Out MtGetLinux arg);

    int ioctl(int fd, long request, @Out MtGetFreeBsd arg);

    int ioctl(int fd, long request, @Out MtPos arg);
  }

  /** {@code struct mtop}: {@code short mt_op; int mt_count;} (8 bytes, the same on both). */
  public static final class MtOp extends Struct {
    final Signed16 mtOp = new Signed16();
    final Signed32 mtCount = new Signed32();

    MtOp(Runtime runtime) {
      super(runtime);
    }
  }

  /** Linux {@code struct mtget} on LP64: five longs then two ints (48 bytes). */
  public static final class MtGetLinux extends Struct {
    final SignedLong mtType = new SignedLong();
    final SignedLong mtResid = new SignedLong();
    final SignedLong mtDsreg = new SignedLong();
    final SignedLong mtGstat = new SignedLong();
    final SignedLong mtErreg = new SignedLong();
    final Signed32 mtFileno = new Signed32();
    final Signed32 mtBlkno = new Signed32();

    MtGetLinux(Runtime runtime) {
      super(runtime);
    }
  }

  /**
   * FreeBSD {@code struct mtget} (76 bytes): four shorts, the current block size, density and
   * compression, those of the four density slots, then file and block numbers.
   */
  public static final class MtGetFreeBsd extends Struct {
    final Signed16 mtType = new Signed16();
    final Signed16 mtDsreg = new Signed16();
    final Signed16 mtErreg = new Signed16();
    final Signed16 mtResid = new Signed16();
    final Signed32 mtBlksiz = new Signed32();
    final Signed32 mtDensity = new Signed32();
    final Unsigned32 mtComp = new Unsigned32();
    final Signed32[] mtBlksizSlots = array(new Signed32[4]);
    final Signed32[] mtDensitySlots = array(new Signed32[4]);
    final Unsigned32[] mtCompSlots = array(new Unsigned32[4]);
    final Signed32 mtFileno = new Signed32();
    final Signed32 mtBlkno = new Signed32();

    MtGetFreeBsd(Runtime runtime) {
      super(runtime);
    }
  }

  /** Linux {@code struct mtpos}: {@code long mt_blkno;} (8 bytes). */
  public static final class MtPos extends Struct {
    final SignedLong mtBlkno = new SignedLong();

    MtPos(Runtime runtime) {
      super(runtime);
    }
  }

  private static final class Holder {
    // Resolve in the process's global scope first, as a C program's call would, so that
    // interposed definitions (LD_PRELOAD) apply; the C library itself is the fallback.
    static final LibC LIBC =
        LibraryLoader.create(LibC.class)
            .library("RTLD_DEFAULT")
            .library(Platform.getNativePlatform().getStandardCLibraryName())
            .load();
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
  }

  /** The binding; throws {@link LinkageError} if the C library cannot be bound. */
  static LibC libc() {
    return Holder.LIBC;
  }

  /** The runtime the structs must be allocated with. */
  static Runtime runtime() {
    return Holder.RUNTIME;
  }

  /** errno as left by the last native call on this thread. */
  static int lastErrno() {
    return Holder.RUNTIME.getLastError();
  }
}
