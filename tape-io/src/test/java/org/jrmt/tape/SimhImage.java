package org.jrmt.tape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds SIMH tape images byte by byte, independently of {@link SimhTape}, as other tools do. */
final class SimhImage {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  SimhImage word(int w) {
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(w).array());
    return this;
  }

  SimhImage record(byte[] data) {
    return record(0, data);
  }

  /** A record with the given class nibble (0 good, 8 bad, others private). */
  SimhImage record(int cls, byte[] data) {
    int w = (cls << 28) | data.length;
    word(w);
    out.writeBytes(data);
    if ((data.length & 1) != 0) {
      out.write(0);
    }
    return word(w);
  }

  SimhImage mark() {
    return word(0);
  }

  SimhImage raw(byte... bytes) {
    out.writeBytes(bytes);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  Path writeTo(Path file) throws IOException {
    return Files.write(file, bytes());
  }

  static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }
}
