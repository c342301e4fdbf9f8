package org.jrmt.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jrmtd}: the network rmt daemon. With no arguments it starts on the embedded default:
 * loopback only, port {@value #DEFAULT_PORT}, serving virtual tapes from the tape directory under
 * the state directory.
 */
public final class Jrmtd {
  /** The default plain TCP port. */
  public static final int DEFAULT_PORT = 4768;

  private Jrmtd() {}

  /** Entry point. */
  public static void main(String[] args) throws InterruptedException {
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
    options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
    ServerConfig config;
    List<InetSocketAddress> listen = new ArrayList<>();
    try {
      CommandLine cl = Cli.parse(options, args);
      if (cl.hasOption("help")) {
        Cli.usage("jrmtd", "[options]", options);
        return;
      }
      if (!cl.getArgList().isEmpty()) {
        throw new IllegalArgumentException("unexpected argument " + cl.getArgList().get(0));
      }
      config = ServerOptions.config(cl);
      String[] values = cl.getOptionValues("listen");
      if (values == null) {
        values = new String[] {"127.0.0.1:" + DEFAULT_PORT};
      }
      for (String v : values) {
        listen.add(address(v));
      }
    } catch (ParseException | IllegalArgumentException e) {
      Cli.fail("jrmtd", e.getMessage(), 64);
      return;
    }
    Logger log = LoggerFactory.getLogger(Jrmtd.class);
    NetworkServer server = new NetworkServer(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    for (InetSocketAddress a : listen) {
      try {
        server.listen(a);
      } catch (Exception e) {
        log.debug("bind failed", e);
        Cli.fail("jrmtd", "cannot listen on " + a + ": " + e.getMessage(), 1);
      }
    }
    log.info("serving virtual tapes from {}", config.tapeDir().toAbsolutePath());
    stopped.await();
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
