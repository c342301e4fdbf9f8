package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Child-process half of {@link SimhKillTest}: writes records to a SIMH tape with the default
 * options, printing "ack N" after each write returns, then waits on stdin to be killed.
 */
public final class SimhWriterMain {
  private SimhWriterMain() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[1]);
    SimhTape tape =
        SimhTape.open(Path.of(args[0]), OpenMode.writeOnly().with(OpenMode.Flag.CREATE));
    for (int i = 0; i < count; i++) {
      tape.write(ByteBuffer.wrap(SimhImage.bytes(1000 + i, i)));
      System.out.println("ack " + i);
      System.out.flush();
    }
    // Never closed: the parent kills this process while the tape is open.
    System.in.read();
  }
}
