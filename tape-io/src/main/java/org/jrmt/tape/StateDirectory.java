package org.jrmt.tape;

import java.nio.file.Path;

/**
 * Where jrmt keeps its state (virtual tapes, TLS files, dumpdates): the directory given, else
 * systemd's {@code STATE_DIRECTORY}, else {@code $XDG_STATE_HOME/jrmt}, else {@code
 * ~/.local/state/jrmt}.
 */
public final class StateDirectory {
  private StateDirectory() {}

  /** The state directory; {@code given} (may be null) wins. */
  public static Path resolve(String given) {
    if (given != null) {
      return Path.of(given);
    }
    String systemd = System.getenv("STATE_DIRECTORY");
    if (systemd != null && !systemd.isEmpty()) {
      return Path.of(systemd.split(":")[0]);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isEmpty()) {
      return Path.of(xdg, "jrmt");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "jrmt");
  }
}
