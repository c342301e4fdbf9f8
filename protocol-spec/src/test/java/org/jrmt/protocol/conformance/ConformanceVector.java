package org.jrmt.protocol.conformance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One rmt conformance vector: a request byte stream fed to a fresh server, and what each known
 * server answered.
 *
 * <p>Contract for replaying a vector against a server:
 *
 * <ol>
 *   <li>create a fresh, empty scratch directory and write {@link #T10_NAME} into it with the
 *       content {@link #T10_CONTENT} ({@link Setup#FILE}); for {@link Setup#SHIM} additionally run
 *       the server with the tape-emulation shim, so that {@code MTIOCGET} answers the {@link
 *       Transcript#mtget48()} values and {@code MTIOCTOP} succeeds (EINVAL for op &lt; 0 or &gt;
 *       40);
 *   <li>start one server session, write {@link #request(Path)} (placeholders resolved against the
 *       scratch directory) to it, then signal end of input;
 *   <li>collect everything the server writes until it ends the session, and its exit status.
 * </ol>
 *
 * The result must equal {@link #outcome(String)} for that server: the reply bytes exactly, and the
 * exit status when it is known.
 *
 * <p>Instances are immutable; byte arrays are copied in and out, and equality compares their
 * contents.
 *
 * @param id the vector number, unique in a vector file (the row number of the reference's §7)
 * @param title a one-line human description
 * @param setup how the scratch environment is prepared
 * @param request the request template; may contain {@value Transcript#DIR_PLACEHOLDER}
 * @param outcomes expected outcome by server key ({@link #GNU}, {@link #DUMP}, {@link #JRMT}, ...),
 *     in file order
 * @param note an optional free-text remark
 */
public record ConformanceVector(
    int id,
    String title,
    Setup setup,
    byte[] request,
    Map<String, Outcome> outcomes,
    Optional<String> note) {

  /** Server key of GNU rmt from tar 1.34 ({@code /usr/sbin/rmt-tar} on Debian). */
  public static final String GNU = "gnu";

  /** Server key of Linux dump's rmt 0.4b47 ({@code /usr/sbin/rmt-dump} on Debian). */
  public static final String DUMP = "dump";

  /** Server key of the jrmt server. */
  public static final String JRMT = "jrmt";

  /** Name of the file every setup creates in the scratch directory. */
  public static final String T10_NAME = "t10";

  /** Content of {@link #T10_NAME}: the ten ASCII digits. */
  public static final String T10_CONTENT = "0123456789";

  private static final Pattern SERVER_KEY = Pattern.compile("[a-z][a-z0-9_-]*");

  /** How the environment of a vector is prepared before the request is sent. */
  public enum Setup {
    /** A fresh scratch directory holding {@link #T10_NAME} = {@link #T10_CONTENT}. */
    FILE,
    /** As {@link #FILE}, and the server runs with the LD_PRELOAD tape-emulation shim. */
    SHIM
  }

  /**
   * What one server did with a vector's request.
   *
   * @param reply every byte the server wrote to its output, in order
   * @param exitStatus the server's exit status, or {@code null} when not known (or not meaningful,
   *     e.g. for an in-process server)
   */
  public record Outcome(byte[] reply, Integer exitStatus) {

    /** Copies {@code reply}. */
    public Outcome {
      reply = reply.clone();
    }

    /** A copy of the reply bytes. */
    @Override
    public byte[] reply() {
      return reply.clone();
    }

    /** The reply in {@link Transcript} text form. */
    public String replyText() {
      return Transcript.escape(reply);
    }

    /** The exit status if known. */
    public Optional<Integer> exit() {
      return Optional.ofNullable(exitStatus);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Outcome other
          && Arrays.equals(reply, other.reply)
          && Objects.equals(exitStatus, other.exitStatus);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(reply) + Objects.hashCode(exitStatus);
    }

    @Override
    public String toString() {
      return "Outcome[reply="
          + replyText()
          + ", exit="
          + (exitStatus == null ? "?" : exitStatus)
          + "]";
    }
  }

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the id is negative, the title is blank or spans lines, a
   *     server key is not lower-case {@code [a-z][a-z0-9_-]*}, or the note spans lines
   */
  public ConformanceVector {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(setup, "setup");
    Objects.requireNonNull(note, "note");
    if (id < 0) {
      throw new IllegalArgumentException("negative id " + id);
    }
    if (title.isBlank()
        || !title.strip().equals(title)
        || title.contains("\n")
        || title.contains("\r")) {
      throw new IllegalArgumentException("title must be one trimmed, non-blank line: " + title);
    }
    note.ifPresent(
        n -> {
          if (n.isBlank() || !n.strip().equals(n) || n.contains("\n") || n.contains("\r")) {
            throw new IllegalArgumentException("note must be one trimmed, non-blank line: " + n);
          }
        });
    request = request.clone();
    Map<String, Outcome> copy = new LinkedHashMap<>();
    outcomes.forEach(
        (server, outcome) -> {
          if (!SERVER_KEY.matcher(server).matches()) {
            throw new IllegalArgumentException("bad server key: " + server);
          }
          copy.put(server, Objects.requireNonNull(outcome, server));
        });
    outcomes = Collections.unmodifiableMap(copy);
  }

  /** Whether {@code key} is a valid server key ({@code [a-z][a-z0-9_-]*}). */
  public static boolean isServerKey(String key) {
    return SERVER_KEY.matcher(key).matches();
  }

  /** A copy of the request template, placeholders unresolved. */
  @Override
  public byte[] request() {
    return request.clone();
  }

  /** The request with {@value Transcript#DIR_PLACEHOLDER} replaced by {@code scratchDir}. */
  public byte[] request(Path scratchDir) {
    return Transcript.substituteDir(request, scratchDir);
  }

  /** The request template in {@link Transcript} text form. */
  public String requestText() {
    return Transcript.escape(request);
  }

  /** The expected outcome for {@code server}, if the vector has one. */
  public Optional<Outcome> outcome(String server) {
    return Optional.ofNullable(outcomes.get(server));
  }

  /** This vector with the outcome of {@code server} added or replaced (order otherwise kept). */
  public ConformanceVector withOutcome(String server, Outcome outcome) {
    Map<String, Outcome> copy = new LinkedHashMap<>(outcomes);
    copy.put(server, outcome);
    return new ConformanceVector(id, title, setup, request, copy, note);
  }

  /** The content of {@link #T10_NAME} as bytes. */
  public static byte[] t10Content() {
    return T10_CONTENT.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConformanceVector other
        && id == other.id
        && title.equals(other.title)
        && setup == other.setup
        && Arrays.equals(request, other.request)
        && outcomes.equals(other.outcomes)
        && note.equals(other.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, title, setup, Arrays.hashCode(request), outcomes, note);
  }

  @Override
  public String toString() {
    return "ConformanceVector["
        + id
        + " "
        + title
        + ", setup="
        + setup
        + ", request="
        + requestText()
        + ", outcomes="
        + outcomes
        + note.map(n -> ", note=" + n).orElse("")
        + "]";
  }
}
