package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.jrmt.protocol.OpNumbering;
import org.jrmt.protocol.TapeOp;

/**
 * Child-process half of {@link DriveTapeShimTest}: drives {@link DriveTape} on a regular file while
 * the tape shim is preloaded, printing one line per step for the parent to check.
 */
public final class DriveShimMain {
  private DriveShimMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    try (DriveTape tape = DriveTape.open(file, OpenMode.readWrite())) {
      show("open", tape);
      ByteBuffer record = ByteBuffer.allocate(12);
      record.put(new byte[] {9, 9}).mark();
      record.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).reset();
      System.out.println("write " + tape.write(record) + " position=" + record.position());
      tape.write(ByteBuffer.wrap(new byte[] {11, 12, 13}));
      show("written", tape);
      tape.writeFilemarks(2);
      show("weof", tape);
      System.out.println("pos " + tape.logicalBlock());
      tape.rewind();
      show("rewind", tape);
      ByteBuffer back = ByteBuffer.allocate(16);
      back.position(4);
      int n = tape.read(back.limit(12));
      System.out.println(
          "read "
              + n
              + " position="
              + back.position()
              + " data="
              + Arrays.toString(Arrays.copyOfRange(back.array(), 4, 4 + n)));
      tape.spaceFiles(2);
      show("fsf", tape);
      tape.spaceFiles(-1);
      show("bsf", tape);
      tape.execute(TapeOp.NOP, 1);
      tape.ioctl(OpNumbering.LINUX.encode(TapeOp.NOP).getAsInt(), 1);
      fail("bsf-past-bot", () -> tape.spaceFiles(-5));
      show("after-bsf-past-bot", tape);
      fail("unknown-op", () -> tape.ioctl(99, 1));
    }
    try (DriveTape tape = DriveTape.open(file, OpenMode.readOnly())) {
      show("read-only", tape);
    }
  }

  interface Step {
    void run() throws TapeException;
  }

  /** Runs a step and prints its name with "ok" or the errno it failed with. */
  static void fail(String name, Step step) {
    try {
      step.run();
      System.out.println(name + " ok");
    } catch (TapeException e) {
      System.out.println(name + " " + e.errno().name());
    }
  }

  private static void show(String step, DriveTape tape) throws TapeException {
    TapeStatus s = tape.status();
    System.out.println(
        step
            + " file="
            + s.fileNumber()
            + " block="
            + s.blockNumber()
            + " bot="
            + s.beginningOfTape()
            + " online="
            + s.online()
            + " wp="
            + s.writeProtected()
            + " blocksize="
            + s.blockSize());
  }
}
