package org.jrmt.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A one-connection rmt server on loopback whose answers a test writes, for the replies no real
 * server gives (lies, silence, endless bytes). It reads requests as the classic protocol frames
 * them (a second line for {@code N}, {@code O}, {@code L} and {@code I}, the payload of {@code W},
 * {@code S} without a newline) and hands each request's letter to the {@link Answer}.
 */
final class FakeRmtServer implements AutoCloseable {
  /** What the server sends for one request. */
  interface Answer {
    /**
     * Writes the reply to the request {@code letter}; may write forever (until the client hangs
     * up). Returns false to fall silent: the server then neither reads nor answers until closed.
     */
    boolean to(char letter, OutputStream out) throws IOException;
  }

  private final ServerSocket listener;
  private final CountDownLatch closed = new CountDownLatch(1);

  private FakeRmtServer(Answer answer) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> serve(answer), "fake-rmt");
    t.setDaemon(true);
    t.start();
  }

  /** Starts a server that answers with {@code answer}. */
  static FakeRmtServer start(Answer answer) throws IOException {
    return new FakeRmtServer(answer);
  }

  /** The honest classic reply to {@code letter}: {@code A0}, or E22 for N and I. */
  static String classicReply(char letter) {
    return switch (letter) {
      case 'N' -> "E22\nGarbage command\n";
      case 'I' -> "E22\nInvalid argument\n";
      default -> "A0\n";
    };
  }

  /** Writes {@link #classicReply}. */
  static void classic(char letter, OutputStream out) throws IOException {
    out.write(classicReply(letter).getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The URL of {@code device} on this server. */
  String url(String device) {
    return "rmt://127.0.0.1:" + listener.getLocalPort() + "/" + device;
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    listener.close();
  }

  private void serve(Answer answer) {
    try (Socket s = listener.accept()) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      for (String line; (line = request(in)) != null; ) {
        char letter = line.charAt(0);
        if ("NOLI".indexOf(letter) >= 0) {
          line(in); // the second argument line
        }
        if (letter == 'W') {
          in.skipNBytes(Long.parseLong(line.substring(1).trim()));
        }
        if (!answer.to(letter, out)) {
          closed.await();
          return;
        }
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up, or the test closed the server: what these tests expect
    }
  }

  /** A request's first line; {@code S} (status) has no newline. */
  private static String request(InputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    if (first == 'S') {
      return "S";
    }
    String rest = line(in);
    return rest == null ? null : (char) first + rest;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return null;
  }
}
