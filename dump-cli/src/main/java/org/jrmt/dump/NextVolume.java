package org.jrmt.dump;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jrmt.tape.Tape;

/**
 * Where the next volume comes from when the names given run out, as with dump: the {@code -F}
 * script (run with the device and the number of the volume just finished; exit 0 goes on with the
 * same device, 1 asks the operator, anything else aborts), else the operator on {@code /dev/tty}
 * ("Change Volumes: Mount volume #N"), unless {@code -q} says never to ask.
 */
final class NextVolume implements TapeSink.Volumes {
  private final VolumeNames names;
  private final String script;
  private final boolean neverAsk;
  private final PrintStream err;
  private String last;

  NextVolume(VolumeNames names, String script, boolean neverAsk, PrintStream err) {
    this.names = names;
    this.script = script;
    this.neverAsk = neverAsk;
    this.err = err;
  }

  @Override
  public String name(int n) {
    String given = names.name(n);
    return given != null ? given : last;
  }

  @Override
  public Tape reopen(int n) throws IOException {
    String name = name(n);
    if (name.equals("-")) {
      throw new IOException("standard output cannot be rewritten");
    }
    return names.openNamed(name, n);
  }

  @Override
  public Tape open(int n) throws IOException {
    String given = names.name(n);
    String name;
    if (given != null) {
      name = given;
    } else if (script != null) {
      name = fromScript(n);
    } else {
      name = ask(n, last);
    }
    if (n > 1) {
      err.println("  DUMP: Volume " + (n - 1) + " completed; starting volume " + n + " on " + name);
    }
    last = name;
    return names.openNamed(name, n);
  }

  private String fromScript(int n) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(script, last, Integer.toString(n - 1)).inheritIO();
    int status;
    try {
      Process p = pb.start();
      if (!p.waitFor(1, TimeUnit.HOURS)) {
        p.destroyForcibly();
        throw new IOException("the -F script " + script + " did not finish within an hour");
      }
      status = p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the -F script ran", e);
    }
    return switch (status) {
      case 0 -> last;
      case 1 -> ask(n, last);
      default ->
          throw new IOException("the -F script " + script + " exited " + status + ": aborting");
    };
  }

  private String ask(int n, String previous) throws IOException {
    if (neverAsk) {
      throw new IOException(
          "volume " + n + " needed and -q given: give more names (-f a,b), -M or -F script");
    }
    String line;
    try {
      line =
          Operator.ask(
              Path.of("/dev/tty"),
              String.format("  DUMP: Change Volumes: Mount volume #%d", n),
              String.format(
                  "  DUMP: Device for volume %d (default %s, \"abort\" to stop): ", n, previous));
    } catch (Operator.NoTerminalException e) {
      throw new IOException(
          "volume "
              + n
              + " needed and no terminal to ask on: give more names (-f a,b), -M or -F script");
    }
    if (line == null || line.equals("abort")) {
      throw new IOException("the operator stopped the dump at volume " + n);
    }
    return line.isEmpty() ? previous : line;
  }
}
