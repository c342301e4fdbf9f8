package org.jrmt.server;

import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/** Carries out a wire tape operation on a {@link Tape}. */
final class TapeOps {
  private TapeOps() {}

  /**
   * Executes {@code op} with a non-negative {@code count}. Operations a tape cannot do fail with
   * {@code EINVAL}; on a plain file every operation fails with {@code ENOTTY}, as ioctl(2) does.
   */
  static void execute(Tape tape, TapeOp op, int count) throws TapeException {
    switch (op) {
      case WEOF, WEOFI -> tape.writeFilemarks(count);
      case FSF -> tape.spaceFiles(count);
      case BSF, NBSF -> tape.spaceFiles(-count);
      case FSR -> tape.spaceRecords(count);
      case BSR -> tape.spaceRecords(-count);
      case FSFM -> {
        // Forward over count marks, then back over the last one: stop on its near side.
        tape.spaceFiles(count);
        tape.spaceFiles(-1);
      }
      case BSFM -> {
        tape.spaceFiles(-count);
        tape.spaceFiles(1);
      }
      case REWIND, RETENSION -> tape.rewind();
      case OFFLINE, UNLOAD -> tape.unload();
      case NOP, CACHE, NOCACHE, LOCK, UNLOCK, LOAD -> tape.status();
      case EOM -> tape.seekEndOfData();
      case ERASE -> tape.erase();
      case SETBLK -> {
        tape.status();
        if (count != 0) {
          throw new TapeException(Errno.EINVAL, "only variable block size (0) is supported");
        }
      }
      default -> {
        tape.status();
        throw new TapeException(Errno.EINVAL, "operation " + op + " not supported");
      }
    }
  }

  /** True for operations that move the tape, which end a sticky write failure. */
  static boolean moves(TapeOp op) {
    return switch (op) {
      case WEOF, WEOFI, NOP, CACHE, NOCACHE, LOCK, UNLOCK, SETBLK, SETDENSITY, COMPRESSION -> false;
      default -> true;
    };
  }
}
