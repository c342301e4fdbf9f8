package org.jrmt.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jrmt.protocol.Ports;
import org.jrmt.protocol.ServerDialect;

/**
 * The client's settings: where jrmtd listens, whether and how to use TLS, which classic server
 * dialect to speak on the exec transport, the pipelining window and the timeouts.
 *
 * <p>Read from a TOML file: {@code $JRMT_CONFIG}, else the first existing of {@code
 * ~/.config/jrmt/client.toml} and {@code /etc/jrmt/client.toml}; without one, the defaults. {@code
 * JRMT_PORT} overrides the port. Keys:
 *
 * <pre>
 * port = 4768                 # jrmtd's plain TCP port
 * tls-port = 4769             # jrmtd's TLS port
 * tls = false                 # host:path names use TLS (or enabled = … in the [tls] table)
 * dialect = "auto"            # exec transport: gnu, dump, freebsd, star, jrmt or auto
 * window = "20M"              # pipelined bytes in flight (bytes, or with K, M, G)
 * connect-timeout = "10s"     # seconds, or with ms, s, m, h
 * reply-timeout = "5m"
 *
 * [tls]
 * enabled = true              # same as the top-level tls = true
 * ca = "/etc/jrmt/tls/ca.crt"
 * certificate = "/etc/jrmt/tls/client.crt"
 * key = "/etc/jrmt/tls/client.key"   # PKCS#8 PEM
 * </pre>
 *
 * Unknown keys are errors naming the file and the key. Relative TLS paths are resolved against the
 * file's directory.
 *
 * @param port jrmtd's plain port
 * @param tlsPort jrmtd's TLS port
 * @param tls whether {@code host:path} names use TLS
 * @param ca the CA certificate that the server's certificate must chain to, or null
 * @param certificate the client certificate, or null
 * @param key the client certificate's key, or null
 * @param dialect the classic server on the exec transport; null means detect ({@code auto})
 * @param window the pipelining window in bytes
 * @param connectTimeout how long connecting (and the TLS handshake) may take
 * @param replyTimeout how long a reply may take
 */
public record ClientConfig(
    int port,
    int tlsPort,
    boolean tls,
    Path ca,
    Path certificate,
    Path key,
    ServerDialect dialect,
    long window,
    Duration connectTimeout,
    Duration replyTimeout) {

  /** jrmtd's default plain TCP port. */
  public static final int DEFAULT_PORT = Ports.PLAIN;

  /** jrmtd's default TLS port. */
  public static final int DEFAULT_TLS_PORT = Ports.TLS;

  /**
   * The default window: enough to keep 1 GB/s flowing over a 20 ms round trip (bandwidth × delay).
   */
  public static final long DEFAULT_WINDOW = 20L << 20;

  /** The largest window accepted: the records in flight are kept in memory until acknowledged. */
  public static final long MAX_WINDOW = 256L << 20;

  /** Validates. */
  public ClientConfig {
    checkPort(port, "port");
    checkPort(tlsPort, "tls-port");
    if (window < 1 || window > MAX_WINDOW) {
      throw new IllegalArgumentException("window must be between 1 and " + MAX_WINDOW);
    }
    Objects.requireNonNull(connectTimeout);
    Objects.requireNonNull(replyTimeout);
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect-timeout must be positive");
    }
    if (replyTimeout.isNegative() || replyTimeout.isZero()) {
      throw new IllegalArgumentException("reply-timeout must be positive");
    }
  }

  /** Every setting at its default: plain TCP, dialect detection, 20 MiB window. */
  public static ClientConfig defaults() {
    return new ClientConfig(
        DEFAULT_PORT,
        DEFAULT_TLS_PORT,
        false,
        null,
        null,
        null,
        null,
        DEFAULT_WINDOW,
        Duration.ofSeconds(10),
        Duration.ofMinutes(5));
  }

  /**
   * The configuration of this process: the file the environment names or the first existing default
   * file, then {@code JRMT_PORT}.
   *
   * @throws IllegalArgumentException with a one-line message naming the file and key
   */
  public static ClientConfig load() {
    return load(System.getenv(), Path.of(System.getProperty("user.home", "/")));
  }

  /** As {@link #load()} with an explicit environment and home directory. */
  static ClientConfig load(Map<String, String> env, Path home) {
    return load(env, defaultFiles(home));
  }

  /** The default files, in the order they are tried. */
  static List<Path> defaultFiles(Path home) {
    return List.of(home.resolve(".config/jrmt/client.toml"), Path.of("/etc/jrmt/client.toml"));
  }

  /** As {@link #load()} with an explicit environment and list of default files (for tests). */
  static ClientConfig load(Map<String, String> env, List<Path> defaultFiles) {
    ClientConfig c = defaults();
    Optional<Path> file = locate(env, defaultFiles);
    if (file.isPresent()) {
      c = read(file.get());
    }
    String portEnv = env.get("JRMT_PORT");
    if (portEnv != null && !portEnv.isBlank()) {
      int p;
      try {
        p = Integer.parseInt(portEnv.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("JRMT_PORT is not a port: " + portEnv);
      }
      checkPort(p, "JRMT_PORT");
      c = c.withPort(p);
    }
    String tlsEnv = env.get("JRMT_TLS");
    if (tlsEnv != null && !tlsEnv.isBlank()) {
      c = c.withTls(tlsEnv.strip().equals("1") || tlsEnv.strip().equalsIgnoreCase("true"));
    }
    return c;
  }

  /** The file to read: {@code JRMT_CONFIG} (which must exist), else the first existing default. */
  static Optional<Path> locate(Map<String, String> env, List<Path> defaultFiles) {
    String named = env.get("JRMT_CONFIG");
    if (named != null && !named.isBlank()) {
      Path p = Path.of(named);
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("config " + p + ": cannot read (named by JRMT_CONFIG)");
      }
      return Optional.of(p);
    }
    for (Path p : defaultFiles) {
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a client configuration file.
   *
   * @throws IllegalArgumentException with a one-line message naming the file and key
   */
  public static ClientConfig read(Path file) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("config " + file + ": " + oneLine(e.getMessage()));
    }
    return new Reader(file).config(root);
  }

  /** This configuration with another plain port. */
  public ClientConfig withPort(int p) {
    return new ClientConfig(
        p, tlsPort, tls, ca, certificate, key, dialect, window, connectTimeout, replyTimeout);
  }

  /** This configuration with TLS for host:path names switched on or off. */
  public ClientConfig withTls(boolean on) {
    return new ClientConfig(
        port, tlsPort, on, ca, certificate, key, dialect, window, connectTimeout, replyTimeout);
  }

  /** This configuration with TLS material. */
  public ClientConfig withTlsFiles(Path caFile, Path certFile, Path keyFile) {
    return new ClientConfig(
        port,
        tlsPort,
        tls,
        caFile,
        certFile,
        keyFile,
        dialect,
        window,
        connectTimeout,
        replyTimeout);
  }

  /** This configuration with an exec-transport dialect (null: detect). */
  public ClientConfig withDialect(ServerDialect d) {
    return new ClientConfig(
        port, tlsPort, tls, ca, certificate, key, d, window, connectTimeout, replyTimeout);
  }

  /** This configuration with another pipelining window. */
  public ClientConfig withWindow(long bytes) {
    return new ClientConfig(
        port, tlsPort, tls, ca, certificate, key, dialect, bytes, connectTimeout, replyTimeout);
  }

  /** This configuration with other timeouts. */
  public ClientConfig withTimeouts(Duration connect, Duration reply) {
    return new ClientConfig(
        port, tlsPort, tls, ca, certificate, key, dialect, window, connect, reply);
  }

  /** Parses a dialect name: gnu, dump, freebsd, star, jrmt; {@code auto} is null. */
  public static ServerDialect dialect(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "gnu", "tar", "rmt-tar" -> ServerDialect.GNU;
      case "dump", "linux-dump", "rmt-dump" -> ServerDialect.LINUX_DUMP;
      case "freebsd", "bsd" -> ServerDialect.FREEBSD;
      case "star" -> ServerDialect.STAR;
      case "jrmt" -> ServerDialect.JRMT;
      case "auto" -> null;
      default ->
          throw new IllegalArgumentException(
              "unknown dialect '" + name + "' (gnu, dump, freebsd, star, jrmt or auto)");
    };
  }

  private static void checkPort(int p, String what) {
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException(what + " out of range: " + p);
    }
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Reads one file, naming it and the key in every error. */
  private static final class Reader {
    private final Path file;

    Reader(Path file) {
      this.file = file;
    }

    ClientConfig config(JsonNode root) {
      keys(
          root,
          "",
          Set.of(
              "port", "tls-port", "tls", "dialect", "window", "connect-timeout", "reply-timeout"));
      ClientConfig d = defaults();
      int port = root.has("port") ? integer(root.get("port"), "port") : d.port();
      int tlsPort = root.has("tls-port") ? integer(root.get("tls-port"), "tls-port") : d.tlsPort();
      boolean tls = false;
      Path ca = null;
      Path cert = null;
      Path key = null;
      JsonNode t = root.get("tls");
      if (t != null && t.isBoolean()) {
        tls = t.asBoolean();
      } else if (t != null && t.isObject()) {
        keys(t, "tls", Set.of("enabled", "ca", "certificate", "key"));
        if (t.has("enabled")) {
          tls = bool(t.get("enabled"), "tls.enabled");
        }
        ca = path(t, "ca");
        cert = path(t, "certificate");
        key = path(t, "key");
        if ((cert == null) != (key == null)) {
          throw error("tls", "certificate and key go together");
        }
      } else if (t != null) {
        throw error("tls", "must be true, false or a table");
      }
      ServerDialect dialect = d.dialect();
      if (root.has("dialect")) {
        try {
          dialect = dialect(text(root, "dialect"));
        } catch (IllegalArgumentException e) {
          throw error("dialect", e.getMessage());
        }
      }
      long window = root.has("window") ? size(root.get("window"), "window") : d.window();
      Duration connect =
          root.has("connect-timeout")
              ? duration(root.get("connect-timeout"), "connect-timeout")
              : d.connectTimeout();
      Duration reply =
          root.has("reply-timeout")
              ? duration(root.get("reply-timeout"), "reply-timeout")
              : d.replyTimeout();
      try {
        return new ClientConfig(port, tlsPort, tls, ca, cert, key, dialect, window, connect, reply);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("config " + file + ": " + e.getMessage());
      }
    }

    private void keys(JsonNode n, String where, Set<String> allowed) {
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw error(where.isEmpty() ? k : where + "." + k, "unknown key");
        }
      }
    }

    private String text(JsonNode n, String key) {
      JsonNode v = n.get(key);
      if (!v.isTextual()) {
        throw error(key, "must be a string");
      }
      return v.asText();
    }

    private Path path(JsonNode t, String key) {
      if (!t.has(key)) {
        return null;
      }
      JsonNode v = t.get(key);
      if (!v.isTextual() || v.asText().isBlank()) {
        throw error("tls." + key, "must be a file name");
      }
      Path p = Path.of(v.asText());
      Path dir = file.toAbsolutePath().getParent();
      return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }

    private boolean bool(JsonNode v, String where) {
      if (!v.isBoolean()) {
        throw error(where, "must be true or false");
      }
      return v.asBoolean();
    }

    private int integer(JsonNode v, String where) {
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        throw error(where, "must be a number");
      }
      int p = v.asInt();
      if (p < 1 || p > 65535) {
        throw error(where, "out of range: " + p);
      }
      return p;
    }

    private long size(JsonNode v, String where) {
      long n;
      if (v.isIntegralNumber()) {
        n = v.asLong();
      } else if (v.isTextual()) {
        String s = v.asText().strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
          s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
          s = s.substring(0, s.length() - 1);
        }
        long mult = 1;
        if (!s.isEmpty()) {
          switch (s.charAt(s.length() - 1)) {
            case 'K' -> mult = 1L << 10;
            case 'M' -> mult = 1L << 20;
            case 'G' -> mult = 1L << 30;
            default -> mult = 1;
          }
        }
        if (mult != 1) {
          s = s.substring(0, s.length() - 1);
        }
        try {
          n = Math.multiplyExact(Long.parseLong(s.strip()), mult);
        } catch (NumberFormatException | ArithmeticException e) {
          throw error(where, "not a size (bytes, or 512K, 20M, 1G): " + v.asText());
        }
      } else {
        throw error(where, "not a size (bytes, or 512K, 20M, 1G)");
      }
      if (n < 1 || n > MAX_WINDOW) {
        throw error(where, "must be between 1 and " + MAX_WINDOW + " bytes");
      }
      return n;
    }

    private Duration duration(JsonNode v, String where) {
      Duration d;
      if (v.isIntegralNumber()) {
        d = Duration.ofSeconds(v.asLong());
      } else if (v.isTextual()) {
        String s = v.asText().strip().toLowerCase(Locale.ROOT);
        try {
          if (s.endsWith("ms")) {
            d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
          } else if (s.endsWith("s")) {
            d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
          } else if (s.endsWith("m")) {
            d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
          } else if (s.endsWith("h")) {
            d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
          } else {
            d = Duration.ofSeconds(Long.parseLong(s));
          }
        } catch (NumberFormatException e) {
          throw error(where, "not a duration (seconds, or 500ms, 45s, 30m, 2h): " + v.asText());
        }
      } else {
        throw error(where, "not a duration (seconds, or 500ms, 45s, 30m, 2h)");
      }
      if (d.isNegative() || d.isZero()) {
        throw error(where, "must be positive");
      }
      return d;
    }

    private IllegalArgumentException error(String key, String what) {
      return new IllegalArgumentException("config " + file + ": " + key + ": " + what);
    }
  }
}
