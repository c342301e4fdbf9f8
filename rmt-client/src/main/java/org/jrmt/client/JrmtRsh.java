package org.jrmt.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jrmt-rsh HOST [-l USER] [COMMAND …]}: an rsh-compatible connector that lets unmodified
 * classic clients (GNU tar, cpio and mt with {@code --rsh-command}, Linux dump and restore with
 * {@code RSH}) reach jrmtd. It connects to jrmtd on HOST, copies stdin to the connection and the
 * connection to stdout, and exits when the server closes. COMMAND (the remote rmt path the client
 * asks for) is ignored: jrmtd is the rmt server.
 *
 * <p>The port is {@code JRMT_PORT}, else jrmtd's default. Exit status: 0 when the session ends
 * normally, 1 when the connection cannot be made (a one-line message on stderr names host and port
 * and cause).
 */
public final class JrmtRsh {
  /** jrmtd's default plain TCP port. */
  public static final int DEFAULT_PORT = 4768;

  private JrmtRsh() {}

  /** Entry point. */
  public static void main(String[] args) {
    Target t;
    try {
      t = Target.parse(args, System.getenv("JRMT_PORT"));
    } catch (IllegalArgumentException e) {
      System.err.println("jrmt-rsh: " + e.getMessage());
      System.err.println("usage: jrmt-rsh HOST [-l USER] [COMMAND ...]");
      System.exit(1);
      return;
    }
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(t.host(), t.port()), 10_000);
    } catch (IOException e) {
      System.err.println(
          "jrmt-rsh: cannot connect to jrmtd on "
              + t.host()
              + ":"
              + t.port()
              + ": "
              + e.getMessage());
      System.exit(1);
      return;
    }
    System.exit(bridge(socket, System.in, System.out));
  }

  /** Copies in → socket and socket → out until the server closes; returns the exit status. */
  static int bridge(Socket socket, InputStream in, OutputStream out) {
    Thread upstream =
        new Thread(
            () -> {
              try (InputStream src = in) {
                OutputStream dst = socket.getOutputStream();
                src.transferTo(dst);
                socket.shutdownOutput();
              } catch (IOException e) {
                // The server went away first; the downstream copy reports the end.
              }
            },
            "jrmt-rsh-upstream");
    upstream.setDaemon(true);
    upstream.start();
    try (socket) {
      InputStream src = socket.getInputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = src.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      return 0;
    } catch (IOException e) {
      System.err.println("jrmt-rsh: connection lost: " + e.getMessage());
      return 1;
    }
  }

  /** Where to connect: host, port and the user the client asked to be. */
  record Target(String host, int port, String user) {
    /** Parses rsh's argument forms: {@code host [-l user] cmd…} and {@code [-l user] host cmd…}. */
    static Target parse(String[] args, String portEnv) {
      String host = null;
      String user = null;
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (host == null && a.equals("-l")) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("-l needs a user name");
          }
          user = args[++i];
        } else if (host != null && rest.isEmpty() && a.equals("-l") && i + 1 < args.length) {
          user = args[++i];
        } else if (host == null && a.startsWith("-")) {
          // rsh options such as -n or -x have no meaning here.
          continue;
        } else if (host == null) {
          host = a;
        } else {
          rest.add(a);
        }
      }
      if (host == null) {
        throw new IllegalArgumentException("no host given");
      }
      int port = DEFAULT_PORT;
      if (portEnv != null && !portEnv.isBlank()) {
        try {
          port = Integer.parseInt(portEnv.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("JRMT_PORT is not a port: " + portEnv);
        }
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("JRMT_PORT out of range: " + portEnv);
        }
      }
      return new Target(host, port, user);
    }
  }
}
