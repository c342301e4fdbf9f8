package org.jrmt.protocol.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrmt.protocol.conformance.ConformanceVector.Outcome;
import org.jrmt.protocol.conformance.ConformanceVector.Setup;

/**
 * Reads, writes and updates the conformance vector file ({@value #RESOURCE} on the classpath).
 *
 * <p>File format, one item per line (the authoritative description is the header of the file):
 *
 * <pre>
 * # comment                      ignored, as are blank lines (only as whole lines)
 * [13] title text                starts vector 13; ids are unique
 * setup: file | shim             required, once
 * request: TRANSCRIPT            required, once; may contain {dir}
 * note: free text                optional, once
 * SERVER: TRANSCRIPT             the reply of server SERVER ([a-z][a-z0-9_-]*), at most once
 * SERVER.exit: N | ?             its exit status (? = unknown); needs the SERVER line
 * </pre>
 *
 * TRANSCRIPT is the {@link Transcript} text form. Values are trimmed; {@link Transcript#escape}
 * never produces leading or trailing blanks. Any violation fails with a {@link
 * MalformedVectorFileException} that names the source and line number.
 */
public final class ConformanceVectors {

  /** Classpath location of the vector file. */
  public static final String RESOURCE = "/org/jrmt/protocol/conformance/vectors.txt";

  private static final Pattern HEADER = Pattern.compile("\\[(\\d{1,9})]\\s+(\\S.*)");
  private static final Pattern KEY_VALUE = Pattern.compile("([a-z][a-z0-9_.-]*):(.*)");
  private static final String EXIT_SUFFIX = ".exit";

  private ConformanceVectors() {}

  /** A vector file that does not follow the format; the message names source and line. */
  public static final class MalformedVectorFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int lineNumber;

    MalformedVectorFileException(String source, int lineNumber, String message, Throwable cause) {
      super(source + ":" + lineNumber + ": " + message, cause);
      this.lineNumber = lineNumber;
    }

    /** The one-based line number of the offending line. */
    public int lineNumber() {
      return lineNumber;
    }
  }

  /**
   * Loads and parses {@value #RESOURCE} from the class path of this class.
   *
   * @throws MalformedVectorFileException if the file is malformed
   * @throws IllegalStateException if the resource is missing
   */
  public static List<ConformanceVector> load() {
    try (InputStream in = ConformanceVectors.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource not found: " + RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "vectors.txt");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Parses vector file text.
   *
   * @param text the file content
   * @param source a name for error messages, e.g. the file name
   * @return the vectors in file order
   * @throws MalformedVectorFileException on the first violation of the format
   */
  public static List<ConformanceVector> parse(String text, String source) {
    List<Block> blocks = blocks(text, source);
    List<ConformanceVector> vectors = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      vectors.add(b.vector);
    }
    return List.copyOf(vectors);
  }

  /**
   * The canonical text of {@code vectors} (no comments): {@code parse(format(v), any)} equals
   * {@code v} for every list of vectors with distinct ids.
   */
  public static String format(List<ConformanceVector> vectors) {
    StringBuilder out = new StringBuilder();
    for (ConformanceVector v : vectors) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append('[').append(v.id()).append("] ").append(v.title()).append('\n');
      out.append("setup: ").append(v.setup().name().toLowerCase(Locale.ROOT)).append('\n');
      out.append("request: ").append(v.requestText()).append('\n');
      v.note().ifPresent(n -> out.append("note: ").append(n).append('\n'));
      v.outcomes()
          .forEach(
              (server, outcome) -> {
                out.append(server).append(": ").append(outcome.replyText()).append('\n');
                out.append(server)
                    .append(EXIT_SUFFIX)
                    .append(": ")
                    .append(exitText(outcome.exitStatus()))
                    .append('\n');
              });
    }
    return out.toString();
  }

  /**
   * Rewrites vector file text with new outcomes for one server, leaving every other line (comments,
   * titles, setups, requests, notes, other servers' lines) byte for byte unchanged.
   *
   * <p>For each vector id in {@code outcomes}: an existing {@code server:} / {@code server.exit:}
   * line gets the new value in place; a missing exit line is inserted right after the reply line; a
   * missing reply line (with its exit line) is appended after the block's last item line. Vectors
   * not in {@code outcomes} are untouched.
   *
   * @throws MalformedVectorFileException if {@code text} is malformed
   * @throws IllegalArgumentException if {@code server} is not a server key or an id in {@code
   *     outcomes} is not in the file
   */
  public static String withOutcomes(
      String text, String source, String server, Map<Integer, Outcome> outcomes) {
    if (!ConformanceVector.isServerKey(server)) {
      throw new IllegalArgumentException("bad server key: " + server);
    }
    List<Block> blocks = blocks(text, source);
    Set<Integer> unknown = new HashSet<>(outcomes.keySet());
    List<String> lines = new ArrayList<>(text.lines().toList());
    // Edit from the bottom so earlier line indices stay valid.
    for (int bi = blocks.size() - 1; bi >= 0; bi--) {
      Block b = blocks.get(bi);
      Outcome o = outcomes.get(b.vector.id());
      if (o == null) {
        continue;
      }
      unknown.remove(b.vector.id());
      String replyLine = server + ": " + o.replyText();
      String exitLine = server + EXIT_SUFFIX + ": " + exitText(o.exitStatus());
      Integer replyAt = b.keyLines.get(server);
      Integer exitAt = b.keyLines.get(server + EXIT_SUFFIX);
      if (replyAt == null) {
        lines.add(b.lastItemLine + 1, exitLine);
        lines.add(b.lastItemLine + 1, replyLine);
      } else if (exitAt == null) {
        lines.add(replyAt + 1, exitLine);
        lines.set(replyAt, replyLine);
      } else {
        lines.set(exitAt, exitLine);
        lines.set(replyAt, replyLine);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("no such vector ids in " + source + ": " + unknown);
    }
    return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
  }

  private static String exitText(Integer exit) {
    return exit == null ? "?" : exit.toString();
  }

  /** A parsed vector plus where its lines are (zero-based indices). */
  private record Block(ConformanceVector vector, Map<String, Integer> keyLines, int lastItemLine) {}

  /** Accumulates one vector while its lines are read. */
  private static final class Builder {
    final int id;
    final String title;
    final int headerLine;
    Setup setup;
    byte[] request;
    String note;
    final Map<String, byte[]> replies = new LinkedHashMap<>();
    final Map<String, Integer> exits = new LinkedHashMap<>();
    final Map<String, Integer> keyLines = new LinkedHashMap<>();
    int lastItemLine;

    Builder(int id, String title, int headerLine) {
      this.id = id;
      this.title = title;
      this.headerLine = headerLine;
      this.lastItemLine = headerLine;
    }
  }

  private static List<Block> blocks(String text, String source) {
    List<Block> blocks = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    List<String> lines = text.lines().toList();
    Builder current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int lineNo = i + 1;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher header = HEADER.matcher(trimmed);
      if (trimmed.startsWith("[")) {
        if (!header.matches()) {
          throw error(source, lineNo, "expected a vector header '[<id>] <title>': " + trimmed);
        }
        if (current != null) {
          blocks.add(finish(current, source));
        }
        int id = Integer.parseInt(header.group(1));
        if (!ids.add(id)) {
          throw error(source, lineNo, "duplicate vector id " + id);
        }
        current = new Builder(id, header.group(2).strip(), i);
        continue;
      }
      Matcher kv = KEY_VALUE.matcher(trimmed);
      if (!kv.matches()) {
        throw error(source, lineNo, "expected '<key>: <value>', a '[<id>] <title>' header or '#'");
      }
      if (current == null) {
        throw error(source, lineNo, "item before the first '[<id>] <title>' header");
      }
      String key = kv.group(1);
      String value = kv.group(2).strip();
      if (current.keyLines.containsKey(key)) {
        throw error(
            source,
            lineNo,
            "duplicate '"
                + key
                + "' in vector "
                + current.id
                + " (first on line "
                + (current.keyLines.get(key) + 1)
                + ")");
      }
      current.keyLines.put(key, i);
      current.lastItemLine = i;
      try {
        item(current, key, value, source, lineNo);
      } catch (IllegalArgumentException e) {
        if (e instanceof MalformedVectorFileException) {
          throw e;
        }
        throw new MalformedVectorFileException(source, lineNo, e.getMessage(), e);
      }
    }
    if (current != null) {
      blocks.add(finish(current, source));
    }
    return blocks;
  }

  private static void item(Builder b, String key, String value, String source, int lineNo) {
    switch (key) {
      case "setup" -> {
        try {
          b.setup = Setup.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw error(source, lineNo, "setup must be 'file' or 'shim', not '" + value + "'");
        }
      }
      case "request" -> b.request = Transcript.unescape(value);
      case "note" -> {
        if (value.isEmpty()) {
          throw error(source, lineNo, "empty note");
        }
        b.note = value;
      }
      default -> {
        if (key.endsWith(EXIT_SUFFIX)) {
          String server = key.substring(0, key.length() - EXIT_SUFFIX.length());
          if (!ConformanceVector.isServerKey(server)) {
            throw error(source, lineNo, "unknown key '" + key + "'");
          }
          if (value.equals("?")) {
            b.exits.put(server, null);
          } else if (value.matches("\\d{1,3}") && Integer.parseInt(value) <= 255) {
            b.exits.put(server, Integer.parseInt(value));
          } else {
            throw error(source, lineNo, "exit status must be 0..255 or '?', not '" + value + "'");
          }
        } else if (ConformanceVector.isServerKey(key)) {
          b.replies.put(key, Transcript.unescape(value));
        } else {
          throw error(source, lineNo, "unknown key '" + key + "'");
        }
      }
    }
  }

  private static Block finish(Builder b, String source) {
    int headerNo = b.headerLine + 1;
    if (b.setup == null) {
      throw error(source, headerNo, "vector " + b.id + " has no 'setup:' line");
    }
    if (b.request == null) {
      throw error(source, headerNo, "vector " + b.id + " has no 'request:' line");
    }
    for (String server : b.exits.keySet()) {
      if (!b.replies.containsKey(server)) {
        throw error(
            source,
            b.keyLines.get(server + EXIT_SUFFIX) + 1,
            "'" + server + EXIT_SUFFIX + "' without a '" + server + ":' reply line");
      }
    }
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    b.replies.forEach(
        (server, reply) -> outcomes.put(server, new Outcome(reply, b.exits.get(server))));
    ConformanceVector vector;
    try {
      vector =
          new ConformanceVector(
              b.id, b.title, b.setup, b.request, outcomes, Optional.ofNullable(b.note));
    } catch (IllegalArgumentException e) {
      throw new MalformedVectorFileException(source, headerNo, e.getMessage(), e);
    }
    return new Block(vector, Map.copyOf(b.keyLines), b.lastItemLine);
  }

  private static MalformedVectorFileException error(String source, int lineNo, String message) {
    return new MalformedVectorFileException(source, lineNo, message, null);
  }
}
