package org.jrmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.netty.handler.ssl.ClientAuth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jrmt.protocol.NumericFlags;
import org.jrmt.protocol.ParserLimits;
import org.jrmt.protocol.SeekOrder;
import org.jrmt.protocol.ServerSyntax;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.SyncPolicy;

/**
 * Reads jrmtd's and jrmt's TOML configuration file (the format is documented in {@code
 * dist/src/conf/jrmtd.toml}). Unknown keys are errors, so a typo cannot silently weaken a policy.
 * Every error names the file and the key.
 */
public final class ConfigFile {
  /** A listener of the daemon. */
  public record Listener(InetSocketAddress address, boolean tls, ServerSyntax syntax) {}

  /**
   * The whole daemon configuration.
   *
   * @param server what sessions see
   * @param listeners where to listen (empty: the command line decides)
   * @param tls TLS material for TLS listeners, or null
   */
  public record Daemon(ServerConfig server, List<Listener> listeners, TlsSettings tls) {}

  private final Path file;

  private ConfigFile(Path file) {
    this.file = file;
  }

  /**
   * Loads {@code file}; the state directory defaults to {@code stateDir} when the file names none.
   *
   * @throws IllegalArgumentException with a one-line message naming the file, key and problem
   */
  public static Daemon load(Path file, Path stateDir) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("config " + file + ": " + oneLine(e.getMessage()));
    }
    return new ConfigFile(file).daemon(root, stateDir);
  }

  private Daemon daemon(JsonNode root, Path stateDir) {
    keys(
        root,
        "",
        Set.of(
            "state-dir",
            "tape-dir",
            "file-dirs",
            "virtual-tapes",
            "protocol",
            "limits",
            "listen",
            "tls",
            "device",
            "rule"));
    Path state = root.has("state-dir") ? Path.of(text(root, "state-dir")) : stateDir;
    Path tapes = root.has("tape-dir") ? Path.of(text(root, "tape-dir")) : state.resolve("tapes");
    List<Path> fileDirs = new ArrayList<>();
    for (JsonNode d : array(root, "file-dirs")) {
      fileDirs.add(Path.of(d.asText()).toAbsolutePath().normalize());
    }
    ServerConfig config =
        ServerConfig.defaults(tapes)
            .withFileDirs(fileDirs)
            .withTapeOptions(virtualTapes(root.path("virtual-tapes")));
    config = protocol(root.path("protocol"), config);
    config = limits(root.path("limits"), config);
    if (root.has("rule") || root.has("device")) {
      config = config.withPolicy(policy(root, fileDirs));
    }
    List<Listener> listeners = new ArrayList<>();
    int i = 0;
    for (JsonNode l : array(root, "listen")) {
      String where = "listen[" + i++ + "]";
      keys(l, where, Set.of("address", "tls", "seek-order"));
      ServerSyntax syntax = config.syntax();
      if (l.has("seek-order")) {
        syntax =
            syntax.withSeekOrder(seekOrder(text(l, "seek-order"), where), syntax.detectSeekOrder());
      }
      listeners.add(
          new Listener(address(text(l, "address"), where), l.path("tls").asBoolean(false), syntax));
    }
    TlsSettings tls = null;
    if (root.has("tls") || listeners.stream().anyMatch(Listener::tls)) {
      tls = tls(root.path("tls"), state.resolve("tls"));
    }
    return new Daemon(config, listeners, tls);
  }

  private SimhTape.Options virtualTapes(JsonNode n) {
    keys(n, "virtual-tapes", Set.of("capacity", "eot", "sync", "write-protected"));
    SimhTape.Options o = SimhTape.Options.defaults();
    if (n.has("capacity")) {
      o = o.withCapacity(size(n.get("capacity"), "virtual-tapes.capacity"));
    }
    if (n.has("eot")) {
      o =
          o.withEndOfTapeMode(
              switch (text(n, "eot")) {
                case "enospc" -> EndOfTapeMode.ENOSPC;
                case "zero" -> EndOfTapeMode.ZERO;
                default -> throw error("virtual-tapes.eot", "must be enospc or zero");
              });
    }
    if (n.has("sync")) {
      o =
          o.withSyncPolicy(
              switch (text(n, "sync")) {
                case "never" -> SyncPolicy.NEVER;
                case "filemark" -> SyncPolicy.FILEMARK_AND_CLOSE;
                case "always" -> SyncPolicy.EVERY_RECORD;
                default -> throw error("virtual-tapes.sync", "must be never, filemark or always");
              });
    }
    if (n.has("write-protected")) {
      o = o.withWriteProtected(n.get("write-protected").asBoolean());
    }
    return o;
  }

  private ServerConfig protocol(JsonNode n, ServerConfig config) {
    keys(n, "protocol", Set.of("seek-order", "seek-detect", "ioctl-reply", "numeric-flags"));
    ServerSyntax s = config.syntax();
    SeekOrder order =
        n.has("seek-order") ? seekOrder(text(n, "seek-order"), "protocol") : s.seekOrder();
    boolean detect = n.path("seek-detect").asBoolean(true);
    NumericFlags numeric = s.numericFlags();
    if (n.has("numeric-flags")) {
      numeric =
          switch (text(n, "numeric-flags")) {
            case "access-mode" -> NumericFlags.ACCESS_MODE_ONLY;
            case "linux" -> NumericFlags.LINUX;
            case "freebsd" -> NumericFlags.FREEBSD;
            default ->
                throw error("protocol.numeric-flags", "must be access-mode, linux or freebsd");
          };
    }
    config = config.withSyntax(new ServerSyntax(s.limits(), order, detect, numeric));
    if (n.has("ioctl-reply")) {
      String r = text(n, "ioctl-reply");
      if (!r.equals("count") && !r.equals("zero")) {
        throw error("protocol.ioctl-reply", "must be count or zero");
      }
      config = config.withIoctlRepliesCount(r.equals("count"));
    }
    return config;
  }

  private ServerConfig limits(JsonNode n, ServerConfig config) {
    keys(
        n,
        "limits",
        Set.of(
            "max-record",
            "max-argument",
            "idle-timeout",
            "max-sessions",
            "max-sessions-per-identity",
            "window",
            "max-queued-requests",
            "max-queued-replies",
            "login-grace-time",
            "max-unauthenticated",
            "max-unauthenticated-per-address"));
    ParserLimits l = config.syntax().limits();
    long maxRecord =
        n.has("max-record") ? size(n.get("max-record"), "limits.max-record") : l.maxRecordSize();
    long maxArg =
        n.has("max-argument")
            ? size(n.get("max-argument"), "limits.max-argument")
            : l.maxArgumentLength();
    if (maxRecord > (1 << 30) || maxArg > (1 << 20) || maxArg < 64) {
      throw error("limits", "max-record must be at most 1G and max-argument 64 to 1M");
    }
    long window = n.has("window") ? size(n.get("window"), "limits.window") : config.window();
    if (window > Integer.MAX_VALUE || window < maxRecord) {
      throw error("limits.window", "must be at least max-record and below 2G");
    }
    long replies =
        n.has("max-queued-replies")
            ? size(n.get("max-queued-replies"), "limits.max-queued-replies")
            : config.maxQueuedReplyBytes();
    if (replies < 1 || replies > (1 << 30)) {
      throw error("limits.max-queued-replies", "must be 1 to 1G");
    }
    return config.toBuilder()
        .syntax(config.syntax().withLimits(new ParserLimits((int) maxArg, (int) maxRecord)))
        .window((int) window)
        .idleTimeout(positiveDuration(n, "idle-timeout", config.idleTimeout()))
        .maxSessions(positive(n, "max-sessions", config.maxSessions()))
        .maxSessionsPerIdentity(
            positive(n, "max-sessions-per-identity", config.maxSessionsPerIdentity()))
        .maxQueuedRequests(positive(n, "max-queued-requests", config.maxQueuedRequests()))
        .maxQueuedReplyBytes((int) replies)
        .loginGraceTime(positiveDuration(n, "login-grace-time", config.loginGraceTime()))
        .maxUnauthenticated(positive(n, "max-unauthenticated", config.maxUnauthenticated()))
        .maxUnauthenticatedPerAddress(
            positive(n, "max-unauthenticated-per-address", config.maxUnauthenticatedPerAddress()))
        .build();
  }

  private Duration positiveDuration(JsonNode n, String key, Duration fallback) {
    if (!n.has(key)) {
      return fallback;
    }
    Duration d = duration(n.get(key), "limits." + key);
    if (d.isZero() || d.isNegative()) {
      throw error("limits." + key, "must be positive");
    }
    return d;
  }

  private Policy policy(JsonNode root, List<Path> fileDirs) {
    List<Policy.Device> devices = new ArrayList<>();
    int i = 0;
    for (JsonNode d : array(root, "device")) {
      String where = "device[" + i++ + "]";
      keys(d, where, Set.of("name", "path", "kind"));
      Policy.Kind kind =
          switch (text(d, "kind")) {
            case "drive" -> Policy.Kind.DRIVE;
            case "file" -> Policy.Kind.FILE;
            case "virtual" -> Policy.Kind.VIRTUAL;
            default -> throw error(where + ".kind", "must be drive, file or virtual");
          };
      Path path = Path.of(d.has("path") ? text(d, "path") : text(d, "name"));
      if (!path.isAbsolute()) {
        throw error(where + ".path", "must be absolute");
      }
      devices.add(new Policy.Device(text(d, "name"), path, kind));
    }
    List<Policy.Rule> rules = new ArrayList<>();
    i = 0;
    for (JsonNode r : array(root, "rule")) {
      String where = "rule[" + i++ + "]";
      keys(r, where, Set.of("identity", "devices", "mode", "seek-order"));
      List<String> names = new ArrayList<>();
      for (JsonNode n : array(r, "devices")) {
        names.add(n.asText());
      }
      if (names.isEmpty()) {
        throw error(where + ".devices", "must list at least one device");
      }
      Grant grant;
      try {
        grant = Grant.parse(text(r, "mode"));
      } catch (IllegalArgumentException e) {
        throw error(where + ".mode", e.getMessage());
      }
      SeekOrder order = r.has("seek-order") ? seekOrder(text(r, "seek-order"), where) : null;
      rules.add(new Policy.Rule(text(r, "identity"), names, grant, order));
    }
    return new Policy(devices, rules);
  }

  private TlsSettings tls(JsonNode n, Path defaultDir) {
    keys(n, "tls", Set.of("dir", "certificate", "key", "client-ca", "client-auth", "tls12"));
    Path dir = n.has("dir") ? Path.of(text(n, "dir")) : defaultDir;
    TlsSettings site = TlsSettings.fromSite(dir);
    ClientAuth auth =
        switch (n.path("client-auth").asText("require")) {
          case "require" -> ClientAuth.REQUIRE;
          case "optional" -> ClientAuth.OPTIONAL;
          case "none" -> ClientAuth.NONE;
          default -> throw error("tls.client-auth", "must be require, optional or none");
        };
    return new TlsSettings(
        n.has("certificate") ? Path.of(text(n, "certificate")) : site.certificate(),
        n.has("key") ? Path.of(text(n, "key")) : site.key(),
        n.has("client-ca") ? Path.of(text(n, "client-ca")) : site.clientCa(),
        auth,
        n.path("tls12").asBoolean(false));
  }

  private SeekOrder seekOrder(String s, String where) {
    return switch (s) {
      case "offset-first" -> SeekOrder.OFFSET_FIRST;
      case "whence-first" -> SeekOrder.WHENCE_FIRST;
      default -> throw error(where + ".seek-order", "must be offset-first or whence-first");
    };
  }

  private InetSocketAddress address(String s, String where) {
    try {
      return Jrmtd.address(s);
    } catch (IllegalArgumentException e) {
      throw error(where + ".address", e.getMessage());
    }
  }

  private long size(JsonNode n, String where) {
    try {
      return n.isNumber() ? n.asLong() : ServerOptions.size(n.asText());
    } catch (IllegalArgumentException e) {
      throw error(where, e.getMessage());
    }
  }

  private Duration duration(JsonNode n, String where) {
    try {
      return n.isNumber() ? Duration.ofSeconds(n.asLong()) : ServerOptions.duration(n.asText());
    } catch (IllegalArgumentException e) {
      throw error(where, e.getMessage());
    }
  }

  private int positive(JsonNode n, String key, int fallback) {
    if (!n.has(key)) {
      return fallback;
    }
    JsonNode v = n.get(key);
    if (!v.canConvertToInt() || v.asInt() < 1) {
      throw error("limits." + key, "must be a positive number");
    }
    return v.asInt();
  }

  private String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isValueNode()) {
      throw error(key, "missing or not a value");
    }
    return v.asText();
  }

  private Iterable<JsonNode> array(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw error(key, "must be an array");
    }
    return v;
  }

  private void keys(JsonNode n, String where, Set<String> allowed) {
    if (n.isMissingNode()) {
      return;
    }
    if (!n.isObject()) {
      throw error(where, "must be a table");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw error(where.isEmpty() ? k : where + "." + k, "unknown key");
      }
    }
  }

  private IllegalArgumentException error(String key, String message) {
    return new IllegalArgumentException("config " + file + ": " + key + ": " + message);
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
