package org.jrmt.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.Tapes;

/**
 * Opens a tape by the name a user gives, local or remote (see {@link DeviceName}):
 *
 * <ul>
 *   <li>a local path: tape-io's {@link Tapes#open};
 *   <li>{@code rmt://host[:port]/name}: jrmtd over TCP (port: the URL's, else the configured one);
 *   <li>{@code rmts://host[:port]/name}: jrmtd over TLS (the configured TLS port by default);
 *   <li>{@code [user@]host:path}: when {@code RSH} is set, a classic rmt server run as {@code $RSH
 *       host -l user ${RMT:-/etc/rmt}} (user: the name's, else the local user); otherwise jrmtd,
 *       over TLS when the configuration says {@code tls = true}.
 * </ul>
 */
public final class RemoteTapes {
  /** The remote command classic clients run when {@code RMT} is not set. */
  public static final String DEFAULT_RMT = "/etc/rmt";

  private RemoteTapes() {}

  /** Opens {@code name} with this process's configuration and environment. */
  public static Tape open(String name, OpenMode mode) throws TapeException {
    return open(name, mode, ClientConfig.load(), System.getenv());
  }

  /**
   * Opens {@code name} with an explicit configuration and environment ({@code RSH}, {@code RMT}).
   *
   * @throws IllegalArgumentException for a name that cannot be used
   */
  public static Tape open(String name, OpenMode mode, ClientConfig config, Map<String, String> env)
      throws TapeException {
    DeviceName d = DeviceName.parse(name);
    if (d instanceof DeviceName.Local l) {
      return Tapes.open(Path.of(l.path()), mode);
    }
    DeviceName.Remote r = (DeviceName.Remote) d;
    String rsh = rsh(r, env);
    if (rsh != null) {
      return RemoteTape.openExec(
          execCommand(rsh, r.host(), r.user(), env.get("RMT")), r.host(), r.path(), mode, config);
    }
    boolean tls = tls(r, config);
    int port = r.port() > 0 ? r.port() : tls ? config.tlsPort() : config.port();
    return RemoteTape.openNative(r.host(), port, tls, r.path(), mode, config);
  }

  /** The rsh program a {@code host:path} name goes through ({@code RSH}), or null for jrmtd. */
  private static String rsh(DeviceName.Remote r, Map<String, String> env) {
    String rsh = env.get("RSH");
    return r.scheme() == DeviceName.Scheme.HOST_PATH && rsh != null && !rsh.isBlank() ? rsh : null;
  }

  /** Whether jrmtd is reached over TLS: {@code rmts://}, or {@code host:path} when configured. */
  private static boolean tls(DeviceName.Remote r, ClientConfig config) {
    return switch (r.scheme()) {
      case RMT -> false;
      case RMTS -> true;
      case HOST_PATH -> config.tls();
    };
  }

  /**
   * Starts, on a daemon thread, what opening {@code name} later will need and takes long to make:
   * the client configuration and, for a jrmtd reached over TLS, the TLS context. A caller with work
   * to do before it opens (jdump scans the tree first) gets the open sooner. Never fails: a name or
   * setting that will not do is reported by the open.
   */
  public static void prepare(String name) {
    Thread t = new Thread(() -> prepareNow(name), "jrmt-prepare");
    t.setDaemon(true);
    t.start();
  }

  private static void prepareNow(String name) {
    try {
      if (DeviceName.parse(name) instanceof DeviceName.Remote r) {
        ClientConfig config = ClientConfig.load();
        if (rsh(r, System.getenv()) == null && tls(r, config)) {
          ClientTls.context(config);
        }
      }
    } catch (IOException | RuntimeException e) {
      // left for the open to report
    }
  }

  /**
   * The argv classic clients exec: {@code rsh host -l user rmt}. {@code rsh} is one program name
   * (as dump's execvp uses it); the user defaults to the local user and the command to {@link
   * #DEFAULT_RMT}.
   */
  public static List<String> execCommand(String rsh, String host, String user, String rmt) {
    List<String> argv = new ArrayList<>();
    argv.add(rsh);
    argv.add(host);
    argv.add("-l");
    argv.add(user != null ? user : System.getProperty("user.name", "root"));
    argv.add(rmt != null && !rmt.isBlank() ? rmt : DEFAULT_RMT);
    return argv;
  }
}
