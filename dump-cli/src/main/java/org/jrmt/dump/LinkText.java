package org.jrmt.dump;

import java.util.Arrays;

/**
 * The text of a symbolic link as its data records arrive: grown as bytes come, never sized by the
 * header, and kept to {@value #MAX} bytes (Linux's {@code PATH_MAX}, which no link text reaches).
 */
final class LinkText {
  /** The most bytes kept. */
  static final int MAX = 4096;

  private byte[] buf = new byte[0];

  /** {@code length} bytes of the link's data at byte {@code offset}. */
  void add(long offset, byte[] record, int length) {
    if (offset >= MAX) {
      return;
    }
    int end = (int) Math.min(MAX, offset + length);
    if (end > buf.length) {
      buf = Arrays.copyOf(buf, end);
    }
    System.arraycopy(record, 0, buf, (int) offset, end - (int) offset);
  }

  /** The text: the bytes up to the first NUL. */
  byte[] text() {
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return Arrays.copyOf(buf, n);
  }
}
