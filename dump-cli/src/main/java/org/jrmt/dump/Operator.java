package org.jrmt.dump;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The operator at the terminal ({@code /dev/tty}, not standard input, which may carry the dump),
 * asked one question at a time, as dump and restore ask for volumes.
 */
final class Operator {
  /** There is no terminal to ask on (a daemon, cron, CI). */
  static final class NoTerminalException extends IOException {
    NoTerminalException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private Operator() {}

  /**
   * Prints {@code lines} on {@code tty} (the last one is the prompt, left open for the answer) and
   * returns the answer stripped, or null when the operator ends the input.
   *
   * @throws NoTerminalException when {@code tty} cannot be opened
   */
  static String ask(Path tty, String... lines) throws IOException {
    BufferedReader in;
    PrintStream out;
    try {
      in = Files.newBufferedReader(tty, StandardCharsets.UTF_8);
      out = new PrintStream(Files.newOutputStream(tty), true, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NoTerminalException(e);
    }
    try (in;
        out) {
      for (int i = 0; i < lines.length - 1; i++) {
        out.println(lines[i]);
      }
      out.print(lines[lines.length - 1]);
      out.flush();
      String line = in.readLine();
      return line == null ? null : line.strip();
    }
  }
}
