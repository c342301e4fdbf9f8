package org.jrmt.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.jrmt.protocol.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jrmtd}: the network rmt daemon. With no arguments it starts on the embedded default:
 * loopback only, port {@value #DEFAULT_PORT}, serving virtual tapes from the tape directory under
 * the state directory. {@code jrmtd cert …} manages the site CA for its TLS listeners.
 */
public final class Jrmtd {
  /** The default plain TCP port. */
  public static final int DEFAULT_PORT = Ports.PLAIN;

  private Jrmtd() {}

  /** Entry point. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("cert")) {
      System.exit(CertCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    Cli.configureLogging("info");
    Options options = new Options();
    ServerOptions.addTo(options);
    options.addOption(
        Option.builder()
            .longOpt("listen")
            .hasArg()
            .argName("[HOST:]PORT")
            .desc("plain TCP listener (repeatable; default 127.0.0.1:" + DEFAULT_PORT + ")")
            .get());
    options.addOption(
        Option.builder()
            .longOpt("tls-listen")
            .hasArg()
            .argName("[HOST:]PORT")
            .desc("TLS listener (repeatable; client certificates required)")
            .get());
    options.addOption(
        value("tls-dir", "DIR", "TLS files server.crt, server.key, ca.crt (default STATE/tls)"));
    options.addOption(value("tls-cert", "FILE", "server certificate (PEM)"));
    options.addOption(value("tls-key", "FILE", "server key (PKCS#8 PEM)"));
    options.addOption(value("tls-ca", "FILE", "CA that client certificates must chain to (PEM)"));
    options.addOption(value("tls-client-auth", "MODE", "require (default), optional or none"));
    options.addOption(
        Option.builder().longOpt("tls12").desc("accept TLS 1.2 as well as 1.3").get());
    options.addOption(
        value(
            "login-grace-time",
            "DURATION",
            "close connections not authenticated (TLS) or silent (plain) after this (default 30s)"));
    options.addOption(
        value(
            "max-unauthenticated",
            "N",
            "unauthenticated connections held at once; the oldest goes first (default 256)"));
    options.addOption(
        value(
            "max-unauthenticated-per-address",
            "N",
            "of those, from one address or IPv6 /64 (default 64)"));
    Cli.addHelpAndVersion(options);
    ServerConfig config;
    List<ConfigFile.Listener> listeners = new ArrayList<>();
    TlsSettings tls = null;
    try {
      CommandLine cl = Cli.parse(options, args);
      if (Cli.helpOrVersion(
          cl, "jrmtd", "[options]    (the site CA: jrmtd cert --help)", options)) {
        return;
      }
      if (!cl.getArgList().isEmpty()) {
        throw new IllegalArgumentException("unexpected argument " + cl.getArgList().get(0));
      }
      ConfigFile.Daemon base = ServerOptions.base(cl);
      config = admission(cl, ServerOptions.config(cl, base.server()));
      String[] plain = cl.getOptionValues("listen");
      String[] secure = cl.getOptionValues("tls-listen");
      if (plain == null && secure == null) {
        // The file's listeners keep their own syntax; the embedded default is loopback only.
        listeners.addAll(base.listeners());
        if (listeners.isEmpty()) {
          plain = new String[] {"127.0.0.1:" + DEFAULT_PORT};
        }
      }
      for (String v : plain == null ? new String[0] : plain) {
        listeners.add(new ConfigFile.Listener(address(v), false, config.syntax()));
      }
      for (String v : secure == null ? new String[0] : secure) {
        listeners.add(new ConfigFile.Listener(address(v), true, config.syntax()));
      }
      if (listeners.stream().anyMatch(ConfigFile.Listener::tls)) {
        tls = tlsSettings(cl, base.tls());
      }
    } catch (ParseException | IllegalArgumentException e) {
      Cli.fail("jrmtd", e.getMessage(), 64);
      return;
    }
    Logger log = LoggerFactory.getLogger(Jrmtd.class);
    SslContext context = null;
    if (tls != null) {
      try {
        context = tls.serverContext();
      } catch (IOException e) {
        log.debug("TLS setup failed", e);
        Cli.fail(
            "jrmtd",
            "TLS: "
                + e.getMessage()
                + " (create one with: jrmtd cert init; jrmtd cert issue server)",
            1);
      }
    }
    NetworkServer server = new NetworkServer(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    for (ConfigFile.Listener l : listeners) {
      try {
        server.listen(l.address(), l.tls() ? context : null, l.syntax());
      } catch (Exception e) {
        log.debug("bind failed", e);
        Cli.fail("jrmtd", "cannot listen on " + l.address() + ": " + e.getMessage(), 1);
      }
    }
    log.info("serving virtual tapes from {}", config.tapeDir().toAbsolutePath());
    stopped.await();
  }

  /** The command line's connection limits over {@code config}'s. */
  private static ServerConfig admission(CommandLine cl, ServerConfig config) {
    ServerConfig.Builder b = config.toBuilder();
    if (cl.hasOption("login-grace-time")) {
      b.loginGraceTime(ServerOptions.duration(cl.getOptionValue("login-grace-time")));
    }
    if (cl.hasOption("max-unauthenticated")) {
      b.maxUnauthenticated(count(cl, "max-unauthenticated"));
    }
    if (cl.hasOption("max-unauthenticated-per-address")) {
      b.maxUnauthenticatedPerAddress(count(cl, "max-unauthenticated-per-address"));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--login-grace-time and --max-unauthenticated* must be positive");
    }
  }

  private static int count(CommandLine cl, String option) {
    try {
      return Integer.parseInt(cl.getOptionValue(option).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option + " must be a number");
    }
  }

  private static Option value(String name, String arg, String desc) {
    return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
  }

  private static TlsSettings tlsSettings(CommandLine cl, TlsSettings fromFile) {
    Path dir =
        cl.hasOption("tls-dir")
            ? Path.of(cl.getOptionValue("tls-dir"))
            : ServerOptions.stateDir(cl.getOptionValue("state-dir")).resolve("tls");
    TlsSettings site =
        fromFile != null && !cl.hasOption("tls-dir") ? fromFile : TlsSettings.fromSite(dir);
    ClientAuth auth =
        switch (cl.getOptionValue(
            "tls-client-auth",
            site.clientAuth() == ClientAuth.REQUIRE
                ? "require"
                : site.clientAuth() == ClientAuth.OPTIONAL ? "optional" : "none")) {
          case "require" -> ClientAuth.REQUIRE;
          case "optional" -> ClientAuth.OPTIONAL;
          case "none" -> ClientAuth.NONE;
          default ->
              throw new IllegalArgumentException(
                  "--tls-client-auth must be require, optional or none");
        };
    return new TlsSettings(
        cl.hasOption("tls-cert") ? Path.of(cl.getOptionValue("tls-cert")) : site.certificate(),
        cl.hasOption("tls-key") ? Path.of(cl.getOptionValue("tls-key")) : site.key(),
        cl.hasOption("tls-ca") ? Path.of(cl.getOptionValue("tls-ca")) : site.clientCa(),
        auth,
        cl.hasOption("tls12") || site.allowTls12());
  }

  /** Parses {@code [HOST:]PORT}; a bare port means loopback. IPv6 hosts go in brackets. */
  static InetSocketAddress address(String value) {
    String host = "127.0.0.1";
    String port = value;
    int colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
    }
    try {
      int p = Integer.parseInt(port);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(host, p);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a [HOST:]PORT: " + value);
    }
  }
}
