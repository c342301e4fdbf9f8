package org.jrmt.dump;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jrmt.client.RemoteTapes;
import org.jrmt.tape.FileTape;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * The names of a dump's volumes, as dump takes them: a comma list ({@code -f a,b,c}, where a later
 * name without a host of its own gets the first one's, so {@code host:a,b} is {@code host:a} and
 * {@code host:b}), or a prefix numbered {@code 001}, {@code 002}, … with {@code -M}. A list that
 * names one volume twice is refused: the second would be written over the first.
 */
final class VolumeNames implements VolumeGuard.Reader {
  private final List<String> names;
  private final boolean numbered;

  /**
   * The names {@code spec} gives.
   *
   * @throws IllegalArgumentException for an empty name, or a name given twice
   */
  VolumeNames(String spec, boolean numbered) {
    this.names = List.of(spec.split(",", -1));
    this.numbered = numbered;
    Map<String, Integer> seen = new HashMap<>();
    for (int n = 1; n <= names.size(); n++) {
      if (names.get(n - 1).isEmpty()) {
        throw new IllegalArgumentException("empty volume name in " + spec);
      }
      String name = numbered ? names.get(n - 1) : name(n);
      Integer earlier = seen.putIfAbsent(name, n);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "-f "
                + spec
                + " names "
                + name
                + " twice: volume "
                + n
                + " would be written over volume "
                + earlier);
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

  @Override
  public Tape openForReading(String name) {
    if (name.equals("-")) {
      return null;
    }
    try {
      return RemoteTapes.open(name, OpenMode.readOnly());
    } catch (TapeException | RuntimeException e) {
      return null; // missing, refused or unreachable: nothing to read, so nothing to keep
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
