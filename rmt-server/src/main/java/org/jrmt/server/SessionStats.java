package org.jrmt.server;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import org.jrmt.protocol.Errno;

/**
 * What one session did, for its audit line: peer identity, devices, request and byte counts,
 * end-of-tape events, errors, duration. Updated from the session's device thread only.
 */
public final class SessionStats {
  private String peer;
  private final long startNanos = System.nanoTime();
  private String lastDevice = "-";
  private long requests;
  private long bytesWritten;
  private long bytesRead;
  private long endOfTapeEvents;
  private long stickyRefusals;
  private final Map<Errno, Long> errors = new EnumMap<>(Errno.class);
  private String capabilities = "-";
  private String end = "open";

  /** Stats for a session with the peer identified as {@code peer}. */
  public SessionStats(String peer) {
    this.peer = peer;
  }

  /** Records the authenticated identity (null: none) and how it was established. */
  void identify(String identity, String how) {
    if (identity != null) {
      peer = identity.replace(' ', '_') + "@" + peer + "/" + how;
    }
  }

  /** The peer as the audit line names it. */
  public String peer() {
    return peer;
  }

  void request() {
    requests++;
  }

  void opened(String device) {
    lastDevice = device;
  }

  void written(long n) {
    bytesWritten += n;
  }

  void read(long n) {
    bytesRead += n;
  }

  void endOfTape() {
    endOfTapeEvents++;
  }

  void stickyRefusal() {
    stickyRefusals++;
  }

  void error(Errno e) {
    errors.merge(e, 1L, Long::sum);
  }

  void negotiated(Collection<String> caps) {
    capabilities = caps.isEmpty() ? "-" : String.join(",", caps);
  }

  /** Bytes written to devices so far. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** How the session ended: {@code eof}, {@code violation}, {@code idle}, {@code error}. */
  public String end() {
    return end;
  }

  /** One structured line: {@code key=value} pairs, no spaces inside values. */
  public String auditLine(String end) {
    this.end = end;
    long ms = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    return "session peer="
        + peer
        + " device="
        + lastDevice.replace(' ', '_')
        + " requests="
        + requests
        + " bytes_in="
        + bytesWritten
        + " bytes_out="
        + bytesRead
        + " eot="
        + endOfTapeEvents
        + " sticky_refusals="
        + stickyRefusals
        + " errors="
        + (errors.isEmpty() ? "-" : errors.toString().replace(" ", ""))
        + " caps="
        + capabilities
        + " ms="
        + ms
        + " end="
        + end;
  }
}
