package org.jrmt.dump;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.jrmt.client.RemoteTapes;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.TapeException;

/**
 * Where jrestore's volumes come from: standard input ({@code -f -}, one volume), the names given
 * ({@code -f a,b,c} with dump's host inheritance, or {@code -M prefix} numbered 001, 002, …), local
 * files and tapes, {@code host:path} and {@code rmt://} remote ones. When the names run out the
 * operator is asked on the terminal for the next volume; without a terminal, or with {@code -y},
 * that is a clear error.
 */
final class RestoreVolumes implements VolumeSet.Source {
  private final String spec;
  private final VolumeNames names;
  private final InputStream stdin;
  private final boolean ask;
  private final Path tty;
  private String last;

  RestoreVolumes(String spec, boolean numbered, InputStream stdin, boolean ask, Path tty) {
    this.spec = spec;
    this.names = spec.equals("-") ? null : new VolumeNames(spec, numbered);
    this.stdin = stdin;
    this.ask = ask;
    this.tty = tty;
  }

  @Override
  public String name(int n) {
    if (names == null) {
      return "standard input";
    }
    String given = names.name(n);
    return given != null ? given : last != null ? last : spec;
  }

  @Override
  public InputStream open(int n) throws IOException {
    if (names == null) {
      if (n > 1) {
        throw new IOException("standard input cannot change volumes");
      }
      // Not closed with the volume set: standard input belongs to the caller.
      return new FilterInputStream(new BufferedInputStream(stdin, 1 << 16)) {
        @Override
        public void close() {}
      };
    }
    String name = names.name(n);
    if (name == null) {
      name = askFor(n);
    }
    last = name;
    try {
      return new BufferedInputStream(
          new TapeInputStream(RemoteTapes.open(name, OpenMode.readOnly())), 1 << 16);
    } catch (TapeException e) {
      // Volume 1's name already starts jrestore's message; later ones are named here.
      throw new IOException((n == 1 ? "" : name + ": ") + "cannot open: " + e.getMessage(), e);
    }
  }

  private String askFor(int n) throws IOException {
    if (!ask) {
      throw new IOException("no name given for volume " + n + " (-y: not asking)");
    }
    String line;
    try {
      line =
          Operator.ask(
              tty,
              String.format(
                  "jrestore: mount volume %d, then enter its name (default %s, \"none\" to stop): ",
                  n, last));
    } catch (Operator.NoTerminalException e) {
      throw new IOException(
          "no name given for volume " + n + " and no terminal to ask on: give -f a,b,c or -M");
    }
    if (line == null || line.equals("none")) {
      throw new IOException("no volume " + n + ": the operator stopped");
    }
    return line.isEmpty() ? last : line;
  }
}
