package org.jrmt.server;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.slf4j.LoggerFactory;

/**
 * {@code jrmt}: the rmt server on stdin and stdout, a drop-in for {@code /etc/rmt} behind ssh
 * (forced commands), rsh or inetd.
 *
 * <p>Accepts the login-shell form {@code jrmt -c COMMAND} (the command is ignored: this program is
 * the command). A lone argument, which classic servers open for writing as a debug log, is ignored
 * with a warning: writing files named by a remote caller is not something a tape server should do.
 */
public final class Jrmt {
  private Jrmt() {}

  /** Entry point. */
  public static void main(String[] args) {
    Cli.configureLogging("warn");
    Options options = new Options();
    ServerOptions.addTo(options);
    Cli.addHelpAndVersion(options);
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.size() >= 2 && rest.get(0).equals("-c")) {
      rest.subList(0, 2).clear();
    }
    CommandLine cl;
    ServerConfig config;
    try {
      cl = Cli.parse(options, rest.toArray(String[]::new));
      if (Cli.helpOrVersion(cl, "jrmt", "[options]", options)) {
        return;
      }
      config = ServerOptions.config(cl, ServerOptions.base(cl).server());
    } catch (ParseException | IllegalArgumentException e) {
      Cli.fail("jrmt", e.getMessage(), 64);
      return;
    }
    if (!cl.getArgList().isEmpty()) {
      LoggerFactory.getLogger(Jrmt.class)
          .warn(
              "ignoring argument {}: jrmt writes no debug file named by its caller",
              cl.getArgList());
    }
    InputStream in = new FileInputStream(FileDescriptor.in);
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    try {
      SessionStats stats = new StdioServer(config, new DeviceLocks()).serve(in, out, peer());
      // Like GNU rmt, a session ended by a protocol violation exits 1 so that inetd and ssh log it.
      System.exit(stats.end().equals("violation") ? 1 : 0);
    } catch (IOException e) {
      Cli.fail("jrmt", "lost the client: " + e.getMessage(), 3);
    }
  }

  /**
   * Who is on the other end: behind ssh or rsh, the user they logged in (jrmt runs as that user);
   * under systemd socket activation (no login, {@code REMOTE_ADDR} set for the connection), the
   * peer address; otherwise the user jrmt runs as.
   */
  static Identity peer() {
    String remote = System.getenv("REMOTE_ADDR");
    if (System.getenv("SSH_CONNECTION") == null && remote != null && !remote.isBlank()) {
      return Identity.address(remote);
    }
    String user = System.getenv("USER");
    if (user == null || user.isBlank()) {
      user = System.getProperty("user.name", "");
    }
    return user.isBlank() ? Identity.address("pipe") : Identity.user(user);
  }
}
