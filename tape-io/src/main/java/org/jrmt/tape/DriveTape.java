package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;
import org.jrmt.tape.MtioNative.MtGetFreeBsd;
import org.jrmt.tape.MtioNative.MtGetLinux;
import org.jrmt.tape.MtioNative.MtOp;
import org.jrmt.tape.MtioNative.MtPos;

/**
 * A real tape drive (Linux st such as {@code /dev/nst0}, FreeBSD sa such as {@code /dev/nsa0}),
 * driven with {@code open}, {@code read}, {@code write} and the {@code MTIOCTOP}/{@code
 * MTIOCGET}/{@code MTIOCPOS} ioctls.
 *
 * <p>The driver does the work; this class translates. Errors keep the driver's errno. Reads and
 * writes transfer one block each. A write the driver refuses at the end of the tape (ENOSPC on
 * Linux, a 0-byte write on FreeBSD) is reported per the configured {@link EndOfTapeMode}, which
 * defaults to the running system's own behaviour. Not thread-safe.
 */
public final class DriveTape implements Tape {

  /**
   * How a drive is opened.
   *
   * @param endOfTapeMode how a write at the end of the tape is reported
   * @param variableBlockOnOpen set variable-block mode (MTSETBLK 0) right after opening, so each
   *     write is one record of its own length
   */
  public record Options(EndOfTapeMode endOfTapeMode, boolean variableBlockOnOpen) {
    /** Validates the options. */
    public Options {
      Objects.requireNonNull(endOfTapeMode, "endOfTapeMode");
    }

    /** The driver's own end-of-tape reporting, and variable-block mode. */
    public static Options defaults() {
      EndOfTapeMode mode =
          MtioLayout.current().map(MtioLayout::driverEndOfTapeMode).orElse(EndOfTapeMode.ENOSPC);
      return new Options(mode, true);
    }
  }

  private final Path device;
  private final MtioLayout layout;
  private final Options options;
  private final POSIX posix;
  private final MtioNative.LibC libc;
  private final int fd;
  private boolean closed;

  private DriveTape(
      Path device, MtioLayout layout, Options options, POSIX posix, MtioNative.LibC libc, int fd) {
    this.device = device;
    this.layout = layout;
    this.options = options;
    this.posix = posix;
    this.libc = libc;
    this.fd = fd;
  }

  /** Opens a drive with {@link Options#defaults()}. */
  public static DriveTape open(Path device, OpenMode mode) throws TapeException {
    return open(device, mode, Options.defaults());
  }

  /**
   * Opens a drive device.
   *
   * @throws TapeException {@code ENOSYS} on systems without a known tape driver or without native
   *     access; the driver's errno if {@code open(2)} fails (EBUSY, EROFS, ENOMEDIUM …); {@code
   *     ENOTTY} when the device is no tape and variable-block mode was asked for
   */
  public static DriveTape open(Path device, OpenMode mode, Options options) throws TapeException {
    MtioLayout layout =
        MtioLayout.current()
            .orElseThrow(
                () ->
                    new TapeException(
                        Errno.ENOSYS,
                        "no tape driver support on " + System.getProperty("os.name")));
    POSIX posix = POSIXFactory.getNativePOSIX();
    MtioNative.LibC libc;
    try {
      libc = MtioNative.libc();
    } catch (LinkageError e) {
      throw new TapeException(Errno.ENOSYS, "cannot bind ioctl: " + e.getMessage(), e);
    }
    if (!posix.isNative()) {
      throw new TapeException(Errno.ENOSYS, "no native POSIX access");
    }
    int fd = posix.open(device.toString(), openFlags(mode), 0666);
    if (fd < 0) {
      Errno errno = layout.errno(posix.errno());
      throw new TapeException(errno, "open " + device + ": " + errno.message());
    }
    DriveTape tape = new DriveTape(device, layout, options, posix, libc, fd);
    if (options.variableBlockOnOpen()) {
      try {
        tape.ioctl(layout.setBlockSizeOp(), 0);
      } catch (TapeException e) {
        posix.close(fd);
        throw e;
      }
    }
    return tape;
  }

  private static int openFlags(OpenMode mode) {
    int flags =
        switch (mode.access()) {
          case READ_ONLY -> OpenFlags.O_RDONLY.intValue();
          case WRITE_ONLY -> OpenFlags.O_WRONLY.intValue();
          case READ_WRITE -> OpenFlags.O_RDWR.intValue();
        };
    if (mode.has(OpenMode.Flag.CREATE)) {
      flags |= OpenFlags.O_CREAT.intValue();
    }
    if (mode.has(OpenMode.Flag.TRUNCATE)) {
      flags |= OpenFlags.O_TRUNC.intValue();
    }
    if (mode.has(OpenMode.Flag.EXCLUSIVE)) {
      flags |= OpenFlags.O_EXCL.intValue();
    }
    if (mode.has(OpenMode.Flag.APPEND)) {
      flags |= OpenFlags.O_APPEND.intValue();
    }
    return flags;
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    checkOpen();
    int n = posix.read(fd, dst.slice(), dst.remaining());
    if (n < 0) {
      throw failure("read", posix.errno());
    }
    dst.position(dst.position() + n);
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    checkOpen();
    int length = src.remaining();
    if (length == 0) {
      return 0;
    }
    int n = posix.write(fd, src.slice(), length);
    if (n < 0) {
      int errno = posix.errno();
      if (layout.errno(errno) == Errno.ENOSPC) {
        return endOfTape();
      }
      throw failure("write", errno);
    }
    if (n == 0) {
      return endOfTape();
    }
    src.position(src.position() + n);
    return n;
  }

  private int endOfTape() throws TapeException {
    if (options.endOfTapeMode() == EndOfTapeMode.ZERO) {
      return 0;
    }
    throw new TapeException(Errno.ENOSPC, "end of tape on " + device);
  }

  /**
   * Performs {@code MTIOCTOP} with a native {@code mt_op} number, for operations the portable set
   * lacks or numbers a server passes through after mapping them to this system.
   */
  public void ioctl(int nativeOp, int count) throws TapeException {
    checkOpen();
    if (nativeOp < Short.MIN_VALUE || nativeOp > Short.MAX_VALUE) {
      throw new TapeException(Errno.EINVAL, "mt_op out of range: " + nativeOp);
    }
    MtOp op = new MtOp(MtioNative.runtime());
    op.mtOp.set((short) nativeOp);
    op.mtCount.set(count);
    if (libc.ioctl(fd, layout.mtioctop(), op) < 0) {
      throw failure("MTIOCTOP " + nativeOp + "," + count, MtioNative.lastErrno());
    }
  }

  private void op(TapeOp op, int count) throws TapeException {
    ioctl(layout.opNumber(op), count);
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    if (count < 0) {
      throw new TapeException(Errno.EINVAL, "negative filemark count " + count);
    }
    op(TapeOp.WEOF, count);
  }

  @Override
  public void spaceFiles(int count) throws TapeException {
    if (count > 0) {
      op(TapeOp.FSF, count);
    } else if (count < 0) {
      op(TapeOp.BSF, negate(count));
    }
  }

  @Override
  public void spaceRecords(int count) throws TapeException {
    if (count > 0) {
      op(TapeOp.FSR, count);
    } else if (count < 0) {
      op(TapeOp.BSR, negate(count));
    }
  }

  private static int negate(int count) throws TapeException {
    if (count == Integer.MIN_VALUE) {
      throw new TapeException(Errno.EINVAL, "count out of range " + count);
    }
    return -count;
  }

  @Override
  public void rewind() throws TapeException {
    op(TapeOp.REWIND, 1);
  }

  @Override
  public void unload() throws TapeException {
    op(TapeOp.OFFLINE, 1);
  }

  @Override
  public void seekEndOfData() throws TapeException {
    op(TapeOp.EOM, 1);
  }

  @Override
  public void erase() throws TapeException {
    op(TapeOp.ERASE, 1);
  }

  @Override
  public TapePosition position() throws TapeException {
    return status().position();
  }

  @Override
  public TapeStatus status() throws TapeException {
    checkOpen();
    if (layout == MtioLayout.LINUX) {
      MtGetLinux get = new MtGetLinux(MtioNative.runtime());
      if (libc.ioctl(fd, layout.mtiocget(), get) < 0) {
        throw failure("MTIOCGET", MtioNative.lastErrno());
      }
      return MtioLayout.decodeLinux(
          get.mtDsreg.get(), get.mtGstat.get(), get.mtFileno.get(), get.mtBlkno.get());
    }
    MtGetFreeBsd get = new MtGetFreeBsd(MtioNative.runtime());
    if (libc.ioctl(fd, layout.mtiocget(), get) < 0) {
      throw failure("MTIOCGET", MtioNative.lastErrno());
    }
    return MtioLayout.decodeFreebsd(
        get.mtBlksiz.get(), get.mtDensity.get(), get.mtFileno.get(), get.mtBlkno.get());
  }

  /**
   * The drive's logical block address ({@code MTIOCPOS}), counted from the beginning of the tape
   * over records and filemarks alike.
   *
   * @throws TapeException {@code ENOTTY} on systems without MTIOCPOS
   */
  public long logicalBlock() throws TapeException {
    checkOpen();
    if (layout.mtiocpos() < 0) {
      throw new TapeException(Errno.ENOTTY, "MTIOCPOS is not available here");
    }
    MtPos pos = new MtPos(MtioNative.runtime());
    if (libc.ioctl(fd, layout.mtiocpos(), pos) < 0) {
      throw failure("MTIOCPOS", MtioNative.lastErrno());
    }
    return pos.mtBlkno.get();
  }

  @Override
  public void close() throws TapeException {
    if (closed) {
      return;
    }
    closed = true;
    if (posix.close(fd) < 0) {
      throw failure("close", posix.errno());
    }
  }

  private TapeException failure(String what, int nativeErrno) {
    Errno errno = layout.errno(nativeErrno);
    return new TapeException(
        errno, what + " on " + device + ": " + errno.message() + " (errno " + nativeErrno + ")");
  }

  private void checkOpen() throws TapeException {
    if (closed) {
      throw new TapeException(Errno.EBADF, "drive is closed");
    }
  }
}
