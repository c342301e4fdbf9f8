package org.jrmt.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw TCP conversation with jrmtd: bytes out, bytes back, no client library in between. */
final class RawSession implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  RawSession(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
  }

  /** Sends bytes. */
  RawSession send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Sends ASCII text. */
  RawSession send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads exactly {@code n} bytes of reply. */
  String read(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Reads exactly as many bytes as {@code expected} has, as text, for comparing. */
  String readLike(String expected) throws IOException {
    return read(expected.length());
  }

  /** Reads one line of reply, without its newline. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("closed in the middle of a line: " + line);
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Half-closes (the client's EOF) and reads everything until the server closes. */
  String finish() throws IOException {
    socket.shutdownOutput();
    return readToEnd();
  }

  /** Reads until the server closes the connection (or 10 s of silence, which fails). */
  String readToEnd() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("server neither replied nor closed; got so far: " + out, e);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Drops the connection abruptly (RST), as a killed client would. */
  void kill() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
