package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.jrmt.protocol.TapeOp;

/**
 * Child-process half of {@link DriveTapeShimTest#thePolicyDecoratorsGuardADrive}: {@link
 * AppendOnlyTape} and {@link ReadOnlyTape} over a {@link DriveTape} on a regular file the tape shim
 * makes look like a drive, printing one line per step for the parent to check.
 */
public final class DrivePolicyShimMain {
  private DrivePolicyShimMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String policy = "/dev/nst0 append-only (rule 1, cert:backup)";
    try (AppendOnlyTape tape =
        AppendOnlyTape.forWriting(DriveTape.open(file, OpenMode.readWrite()), policy)) {
      step("append", () -> tape.write(ByteBuffer.wrap(new byte[] {7, 8})));
      step("bsf-huge", () -> tape.execute(TapeOp.BSF, Integer.MAX_VALUE));
      step("write-after-bsf", () -> tape.write(ByteBuffer.wrap(new byte[] {0, 0, 0})));
      step("weof-after-bsf", () -> tape.execute(TapeOp.WEOF, 1));
      step("eom", () -> tape.execute(TapeOp.EOM, 1));
      step("append-again", () -> tape.write(ByteBuffer.wrap(new byte[] {9})));
    }
    try (ReadOnlyTape tape = ReadOnlyTape.of(DriveTape.open(file, OpenMode.readWrite()), "ro")) {
      step("read-only-write", () -> tape.write(ByteBuffer.wrap(new byte[] {0})));
      step("read-only-erase", () -> tape.execute(TapeOp.ERASE, 1));
    }
  }

  private static void step(String name, DriveShimMain.Step step) {
    DriveShimMain.fail(name, step);
  }
}
