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
 *
 * <p>No device is opened for writing a volume before the {@link VolumeGuard} has seen that it does
 * not hold an earlier volume of this dump. A device it refuses is named, and another is asked for
 * as when the names run out: the script is run again (at most {@link #SCRIPT_RUNS} times for one
 * volume), else the operator is asked; with {@code -q}, or when the script keeps giving a refused
 * device, the dump fails, and nothing is overwritten.
 */
final class NextVolume implements TapeSink.Volumes {
  /** How often the {@code -F} script is run for one volume before the dump gives up. */
  static final int SCRIPT_RUNS = 3;

  private final VolumeNames names;
  private final String script;
  private final boolean neverAsk;
  private final PrintStream err;
  private final VolumeGuard guard;
  private String last;

  NextVolume(
      VolumeNames names, String script, boolean neverAsk, PrintStream err, VolumeGuard guard) {
    this.names = names;
    this.script = script;
    this.neverAsk = neverAsk;
    this.err = err;
    this.guard = guard;
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
    String refusal = guard.refusal(name, n);
    if (refusal != null) {
      throw new IOException(refusal + ": not rewriting volume " + n + " over it");
    }
    return names.openNamed(name, n);
  }

  @Override
  public Tape open(int n) throws IOException {
    String name = names.name(n);
    String refusal = null;
    int runs = 0;
    while (true) {
      if (name == null && script != null) {
        if (runs == SCRIPT_RUNS) {
          throw new IOException(
              refusal
                  + ", after the -F script ran "
                  + SCRIPT_RUNS
                  + " times for volume "
                  + n
                  + ": nothing overwritten");
        }
        runs++;
        name = fromScript(n);
      } else if (name == null) {
        name = ask(n, last, refusal);
      }
      refusal = guard.refusal(name, n);
      if (refusal == null) {
        break;
      }
      err.println("  DUMP: " + refusal + ": not writing volume " + n + " over it");
      last = name;
      name = null;
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
      case 1 -> ask(n, last, null);
      default ->
          throw new IOException("the -F script " + script + " exited " + status + ": aborting");
    };
  }

  /** The operator's device for volume {@code n}; {@code refusal} says why the last one was not. */
  private String ask(int n, String previous, String refusal) throws IOException {
    if (neverAsk) {
      throw new IOException(
          (refusal != null ? refusal + ", and " : "")
              + "volume "
              + n
              + " needed and -q given: give more names (-f a,b), -M or -F script");
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
          (refusal != null ? refusal + ", and " : "")
              + "volume "
              + n
              + " needed and no terminal to ask on: give more names (-f a,b), -M or -F script");
    }
    if (line == null || line.equals("abort")) {
      throw new IOException("the operator stopped the dump at volume " + n);
    }
    return line.isEmpty() ? previous : line;
  }
}
