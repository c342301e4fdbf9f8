package org.jrmt.client;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.TapePosition;
import org.jrmt.tape.TapeStatus;
import org.jrmt.tape.ToolVersion;
import org.jrmt.tape.Whence;

/**
 * {@code jmt [-f DEVICE] COMMAND [COUNT]}: GNU mt's commands on local and remote tapes (any name
 * {@link RemoteTapes} opens). The device defaults to {@code $TAPE}. Exit status as GNU mt: 0 done,
 * 1 usage error, 2 the operation failed (a one-line message on standard error).
 *
 * <p>Commands: {@code status}, {@code rewind}, {@code offline} ({@code rewoffl}, {@code eject}),
 * {@code fsf}, {@code bsf}, {@code fsr}, {@code bsr}, {@code weof} ({@code eof}), {@code eom}
 * ({@code seod}), {@code erase}, {@code tell}, {@code seek}. As in GNU mt, a command may be
 * abbreviated to any unambiguous prefix.
 */
public final class Jmt {
  /** Exit status: done. */
  public static final int OK = 0;

  /** Exit status: bad command line. */
  public static final int USAGE = 1;

  /** Exit status: the operation failed. */
  public static final int FAILED = 2;

  private static final List<String> COMMANDS =
      List.of(
          "status", "rewind", "offline", "rewoffl", "eject", "fsf", "bsf", "fsr", "bsr", "weof",
          "eof", "eom", "seod", "erase", "tell", "seek");

  private Jmt() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs one command; returns the exit status. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String device = env.get("TAPE");
    int i = 0;
    while (i < args.length && args[i].startsWith("-")) {
      String a = args[i];
      if ((a.equals("-f") || a.equals("-t") || a.equals("--file")) && i + 1 < args.length) {
        device = args[i + 1];
        i += 2;
      } else if (a.startsWith("--file=")) {
        device = a.substring("--file=".length());
        i++;
      } else if (a.equals("-h") || a.equals("--help")) {
        usage(out);
        return OK;
      } else if (a.equals("-V") || a.equals("--version")) {
        out.println(ToolVersion.line("jmt"));
        return OK;
      } else {
        err.println("jmt: unknown option " + a);
        usage(err);
        return USAGE;
      }
    }
    if (i >= args.length) {
      err.println("jmt: no command given");
      usage(err);
      return USAGE;
    }
    String command;
    try {
      command = command(args[i++]);
    } catch (IllegalArgumentException e) {
      err.println("jmt: " + e.getMessage());
      usage(err);
      return USAGE;
    }
    long count = 1;
    if (i < args.length) {
      try {
        count = Long.parseLong(args[i++]);
      } catch (NumberFormatException e) {
        err.println("jmt: invalid count: " + args[i - 1]);
        return USAGE;
      }
      boolean seek = command.equals("seek");
      if (count < 0 || (!seek && count > Integer.MAX_VALUE)) {
        err.println("jmt: invalid count: " + args[i - 1]);
        return USAGE;
      }
    }
    if (i < args.length) {
      err.println("jmt: too many arguments");
      usage(err);
      return USAGE;
    }
    if (device == null || device.isBlank()) {
      err.println("jmt: no tape device: give -f DEVICE or set TAPE");
      return USAGE;
    }
    boolean writes = command.equals("weof") || command.equals("erase");
    OpenMode mode = writes ? OpenMode.readWrite() : OpenMode.readOnly();
    Tape tape;
    try {
      tape = RemoteTapes.open(device, mode, ClientConfig.load(), env);
    } catch (TapeException e) {
      err.println("jmt: " + message(device, e));
      return FAILED;
    } catch (IllegalArgumentException e) {
      err.println("jmt: " + e.getMessage());
      return USAGE;
    }
    try {
      execute(tape, command, count, out);
      tape.close();
      return OK;
    } catch (TapeException e) {
      err.println("jmt: " + message(device, e));
      try {
        tape.close();
      } catch (TapeException ignored) {
        // the operation's failure is what counts
      }
      return FAILED;
    }
  }

  private static void execute(Tape tape, String command, long count, PrintStream out)
      throws TapeException {
    int n = (int) Math.min(count, Integer.MAX_VALUE);
    switch (command) {
      case "status" -> printStatus(tape.status(), out);
      case "rewind" -> tape.rewind();
      case "offline", "rewoffl", "eject" -> tape.unload();
      case "fsf" -> tape.spaceFiles(n);
      case "bsf" -> tape.spaceFiles(-n);
      case "fsr" -> tape.spaceRecords(n);
      case "bsr" -> tape.spaceRecords(-n);
      case "weof", "eof" -> tape.writeFilemarks(n);
      case "eom", "seod" -> tape.seekEndOfData();
      case "erase" -> tape.erase();
      case "tell" -> out.println("At block " + tell(tape) + ".");
      case "seek" -> seek(tape, count);
      default -> throw new AssertionError(command);
    }
  }

  /** A tape's block number; a plain file's byte offset. */
  private static long tell(Tape tape) throws TapeException {
    try {
      TapePosition p = tape.position();
      if (p.blockNumber() != TapePosition.UNKNOWN) {
        return p.blockNumber();
      }
    } catch (TapeException e) {
      if (e.errno() != Errno.ENOTTY) {
        throw e;
      }
    }
    return tape.tell();
  }

  /** A plain file's byte offset; on a tape, the SCSI logical block ({@code MTSEEK}). */
  private static void seek(Tape tape, long count) throws TapeException {
    try {
      tape.seek(count, Whence.SET);
    } catch (TapeException e) {
      if (e.errno() != Errno.ESPIPE) {
        throw e;
      }
      if (count > Integer.MAX_VALUE) {
        throw new TapeException(Errno.EINVAL, "block number too large: " + count);
      }
      tape.execute(TapeOp.SEEK, (int) count);
    }
  }

  private static void printStatus(TapeStatus s, PrintStream out) {
    out.println("file number = " + s.fileNumber());
    out.println("block number = " + s.blockNumber());
    out.println("block size = " + s.blockSize());
    out.println("density code = " + s.density());
    StringBuilder bits = new StringBuilder("status bits:");
    if (s.beginningOfTape()) {
      bits.append(" BOT");
    }
    if (s.afterFilemark()) {
      bits.append(" EOF");
    }
    if (s.endOfTape()) {
      bits.append(" EOT");
    }
    if (s.endOfData()) {
      bits.append(" EOD");
    }
    if (s.writeProtected()) {
      bits.append(" WR_PROT");
    }
    if (s.online()) {
      bits.append(" ONLINE");
    }
    out.println(bits);
  }

  /** The command a word names, allowing unambiguous prefixes. */
  static String command(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (COMMANDS.contains(w)) {
      return w;
    }
    List<String> matches = COMMANDS.stream().filter(c -> c.startsWith(w)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("invalid command: " + word);
    }
    throw new IllegalArgumentException("ambiguous command: " + word + " " + matches);
  }

  private static String message(String device, TapeException e) {
    String m = e.getMessage();
    DeviceName d;
    try {
      d = DeviceName.parse(device);
    } catch (IllegalArgumentException x) {
      return device + ": " + m;
    }
    if (d instanceof DeviceName.Remote r && m.contains(r.host())) {
      return m;
    }
    return device + ": " + m;
  }

  private static void usage(PrintStream s) {
    s.println("usage: jmt [-f DEVICE] COMMAND [COUNT]");
    s.println(
        "  -f, -t, --file DEVICE   path, [user@]host:name, rmt:// or rmts:// (default $TAPE)");
    s.println("  -h, --help              show this help");
    s.println("  -V, --version           show the version");
    s.println("commands: " + String.join(" ", COMMANDS));
  }
}
