package org.jrmt.server;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;
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
      // Like GNU rmt, a session ended by a protocol violation (or a failure of jrmt's own) exits 1
      // so that inetd and ssh log it.
      System.exit(stats.end().equals("eof") ? 0 : 1);
    } catch (IOException e) {
      Cli.fail("jrmt", "lost the client: " + e.getMessage(), 3);
    }
  }

  /**
   * Who is on the other end, from what the environment cannot forge. Behind ssh or rsh, the user
   * they logged in, which is the user jrmt runs as: taken from the real uid ({@code getuid}, then
   * the password database), never from {@code $USER}, which a caller can set (an {@code env} in a
   * wrapper, {@code su} without {@code -}, an sshd that accepts it). Under socket activation
   * (systemd's {@code Accept=yes} sets {@code REMOTE_ADDR} for each connection) the peer address:
   * but only the address of the TCP connection on stdin itself, and only when it is the one {@code
   * REMOTE_ADDR} names. A {@code REMOTE_ADDR} that the socket does not confirm (no socket on stdin,
   * as over ssh, or one to another peer) is ignored with a warning, so it cannot lend a caller
   * another host's grants.
   */
  static Identity peer() {
    return peer(System.getenv(), stdinPeer(), realUser());
  }

  /** {@link #peer()} with its inputs given: the environment, stdin's peer, the real user. */
  static Identity peer(Map<String, String> env, Optional<InetAddress> stdinPeer, String user) {
    String remote = env.get("REMOTE_ADDR");
    if (remote != null && !remote.isBlank()) {
      Optional<InetAddress> claimed = literal(remote.strip());
      if (claimed.isPresent() && claimed.equals(stdinPeer)) {
        return Identity.address(stdinPeer.get().getHostAddress());
      }
      LoggerFactory.getLogger(Jrmt.class)
          .warn(
              "ignoring REMOTE_ADDR={}: the connection on stdin is {}; identity {}",
              remote,
              stdinPeer.map(InetAddress::getHostAddress).orElse("not a network socket"),
              Identity.user(user));
    }
    return Identity.user(user);
  }

  /** The login name of the real uid, or the uid itself when the password database has none. */
  static String realUser() {
    try {
      POSIX posix = POSIXFactory.getNativePOSIX();
      int uid = posix.getuid();
      Passwd pw = posix.getpwuid(uid);
      String name = pw == null ? null : pw.getLoginName();
      return name == null || name.isEmpty() ? Integer.toString(uid) : name;
    } catch (RuntimeException | LinkageError e) {
      // No native access: the JVM read the same getpwuid(getuid()) at start-up (not $USER).
      return System.getProperty("user.name");
    }
  }

  /** The peer of a TCP connection on stdin (inetd, socket activation), if that is what it is. */
  private static Optional<InetAddress> stdinPeer() {
    try {
      if (System.inheritedChannel() instanceof SocketChannel ch
          && ch.getRemoteAddress() instanceof InetSocketAddress a) {
        return Optional.ofNullable(a.getAddress());
      }
    } catch (IOException | SecurityException e) {
      // not a socket we can ask
    }
    return Optional.empty();
  }

  /** An IP address literal, never a name to look up. */
  private static Optional<InetAddress> literal(String s) {
    boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
