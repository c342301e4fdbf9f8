package org.jrmt.client;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jrmt.protocol.Ports;
import org.jrmt.tape.ToolVersion;

/**
 * {@code jrmt-rsh HOST [-l USER] [COMMAND …]}: an rsh-compatible connector that lets unmodified
 * classic clients (GNU tar, cpio and mt with {@code --rsh-command}, Linux dump and restore with
 * {@code RSH}) reach jrmtd. It connects to jrmtd on HOST, copies stdin to the connection and the
 * connection to stdout, and exits when the server closes. COMMAND (the remote rmt path the client
 * asks for) is ignored: jrmtd is the rmt server.
 *
 * <p>Settings come from the client configuration ({@link ClientConfig}): the port is {@code
 * JRMT_PORT}, else the configured one, else jrmtd's default; with {@code tls = true} in the
 * configuration (or {@code JRMT_TLS=1}) the connection is TLS to the TLS port, with the configured
 * CA, client certificate and key, and the server's certificate must name HOST. Exit status: 0 when
 * the session ends normally, 1 when the connection cannot be made (a one-line message on stderr
 * names host and port and cause).
 */
public final class JrmtRsh {
  /** jrmtd's default plain TCP port. */
  public static final int DEFAULT_PORT = Ports.PLAIN;

  private JrmtRsh() {}

  private static final String USAGE = "usage: jrmt-rsh HOST [-l USER] [COMMAND ...]";

  /** Entry point. */
  public static void main(String[] args) {
    // Only as the first word: after HOST every word belongs to the command rsh's callers pass.
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("--version"))) {
      System.out.print(args[0].equals("--help") ? help() : ToolVersion.line("jrmt-rsh") + "\n");
      System.exit(0);
    }
    Target t;
    ClientConfig config;
    try {
      config = ClientConfig.load();
      t = Target.parse(args, null);
      t = new Target(t.host(), config.tls() ? config.tlsPort() : config.port(), t.user());
    } catch (IllegalArgumentException e) {
      System.err.println("jrmt-rsh: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(1);
      return;
    }
    Socket socket;
    try {
      socket = connect(t, config);
    } catch (IOException e) {
      System.err.println(
          "jrmt-rsh: cannot connect to jrmtd on "
              + t.host()
              + ":"
              + t.port()
              + (config.tls() ? " (TLS)" : "")
              + ": "
              + e.getMessage());
      System.exit(1);
      return;
    }
    System.exit(bridge(socket, System.in, System.out));
  }

  private static String help() {
    return USAGE
        + "\n"
        + "Connects standard input and output to jrmtd on HOST (TLS when configured), for tar,\n"
        + "cpio, mt (--rsh-command) and dump, restore (RSH=). COMMAND is ignored.\n"
        + "  -l USER      accepted as rsh does; jrmtd knows clients by certificate or address\n"
        + "  --help       show this help (first argument only)\n"
        + "  --version    show the version (first argument only)\n"
        + "Environment: JRMT_PORT, JRMT_TLS, JRMT_CONFIG (see jrmt-rsh(1)).\n";
  }

  /**
   * Connects to jrmtd: plain TCP, or TLS with the configuration's CA, certificate and key when it
   * says {@code tls = true}; the server's certificate must name the host.
   */
  static Socket connect(Target t, ClientConfig config) throws IOException {
    int timeout = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
    Socket plain = new Socket();
    try {
      plain.setTcpNoDelay(true);
      plain.connect(new InetSocketAddress(t.host(), t.port()), timeout);
      if (!config.tls()) {
        return plain;
      }
      SSLContext context = sslContext(config);
      SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(plain, t.host(), t.port(), true);
      SSLParameters params = tls.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(params);
      tls.setSoTimeout(timeout);
      tls.startHandshake();
      tls.setSoTimeout(0);
      return tls;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /**
   * A javax TLS context from the configuration's PEM files (the JDK provider of Netty's builder).
   */
  static SSLContext sslContext(ClientConfig config) throws IOException {
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
    if (config.ca() != null) {
      b.trustManager(config.ca().toFile());
    }
    if (config.certificate() != null) {
      ClientCredentials.keyManager(b, config.certificate(), config.key());
    }
    try {
      return ((JdkSslContext) b.build()).context();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Copies in → socket and socket → out until the server closes; returns the exit status. */
  static int bridge(Socket socket, InputStream in, OutputStream out) {
    AtomicBoolean closedByUs = new AtomicBoolean();
    Thread upstream =
        new Thread(
            () -> {
              try (InputStream src = in) {
                OutputStream dst = socket.getOutputStream();
                // Whatever the pipe holds, up to 256 KiB, in one write: transferTo's 8 KiB
                // chunks made a TLS record and a send each.
                byte[] buf = new byte[256 * 1024];
                for (int n; (n = src.read(buf)) >= 0; ) {
                  dst.write(buf, 0, n);
                  dst.flush();
                }
                halfClose(socket, closedByUs);
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
      if (closedByUs.get()) {
        return 0;
      }
      System.err.println("jrmt-rsh: connection lost: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Tells the server the client is done: a TCP half-close, so queued replies still arrive; where
   * the socket cannot half-close (TLS sockets of some JDKs), a full close, which is as good for
   * classic clients since they wait for each reply before sending more.
   */
  private static void halfClose(Socket socket, AtomicBoolean closedByUs) throws IOException {
    try {
      socket.shutdownOutput();
    } catch (IOException | UnsupportedOperationException e) {
      closedByUs.set(true);
      socket.close();
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
