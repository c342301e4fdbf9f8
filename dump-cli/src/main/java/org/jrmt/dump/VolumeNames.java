package org.jrmt.dump;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jrmt.client.RemoteTapes;
import org.jrmt.tape.FileTape;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * The names of a dump's volumes, as dump takes them: a comma list ({@code -f a,b,c}, where a later
 * name without a host of its own gets the first one's, so {@code host:a,b} is {@code host:a} and
 * {@code host:b}), or a prefix numbered {@code 001}, {@code 002}, … with {@code -M}.
 */
final class VolumeNames {
  private final List<String> names;
  private final boolean numbered;

  VolumeNames(String spec, boolean numbered) {
    this.names = List.of(spec.split(",", -1));
    this.numbered = numbered;
    for (String n : names) {
      if (n.isEmpty()) {
        throw new IllegalArgumentException("empty volume name in " + spec);
      }
    }
  }

  /** The name given for volume {@code n}, or null when the names given run out. */
  String name(int n) {
    if (numbered) {
      return names.get(0) + String.format(Locale.ROOT, "%03d", n);
    }
    if (n > names.size()) {
      return null;
    }
    String name = names.get(n - 1);
    return n == 1 ? name : inheritHost(names.get(0), name);
  }

  /** Opens {@code name} for writing volume {@code n}. */
  Tape openNamed(String name, int n) throws IOException {
    if (name.equals("-")) {
      if (n > 1) {
        throw new IOException("standard output cannot change volumes");
      }
      return FileTape.of(
          Path.of("standard output"),
          new FileOutputStream(FileDescriptor.out).getChannel(),
          OpenMode.writeOnly());
    }
    try {
      return RemoteTapes.open(
          name, OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE));
    } catch (TapeException e) {
      throw new IOException("cannot open " + name + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:b} for {@code b} after {@code host:a}; names with a host of their own stay. */
  static String inheritHost(String first, String name) {
    if (name.contains(":")) {
      return name;
    }
    int url = first.indexOf("://");
    if (url >= 0) {
      int slash = first.indexOf('/', url + 3);
      return slash < 0 ? name : first.substring(0, slash + 1) + name;
    }
    int colon = first.indexOf(':');
    int slash = first.indexOf('/');
    boolean remote = colon > 0 && (slash < 0 || colon < slash);
    return remote ? first.substring(0, colon + 1) + name : name;
  }
}
