package org.jrmt.tests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrmt.protocol.testing.Await;

/**
 * jrmtd as a child JVM on an ephemeral loopback port (its log says which), for what an in-process
 * server cannot show: its memory as the kernel counts it, and a SIGKILL.
 */
final class JrmtdProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final Path log;
  private final InetSocketAddress address;

  private JrmtdProcess(Process process, Path log, InetSocketAddress address) {
    this.process = process;
    this.log = log;
    this.address = address;
  }

  /**
   * Starts jrmtd with {@code jvmOptions} (heap and direct memory limits) serving tapes from {@code
   * tapeDir}, plus {@code args}; returns once it listens.
   */
  static JrmtdProcess start(Path tapeDir, List<String> jvmOptions, String... args)
      throws IOException {
    Files.createDirectories(tapeDir);
    Path log = Files.createTempFile(tapeDir.getParent(), "jrmtd", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            "org.jrmt.server.Jrmtd",
            "--listen",
            "127.0.0.1:0",
            "--tape-dir",
            tapeDir.toString()));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(log.toFile())
            .redirectErrorStream(true)
            .start();
    int[] port = {0};
    Await.until(
        () -> {
          if (!p.isAlive()) {
            throw new IllegalStateException("jrmtd exited " + p.exitValue() + ": " + read(log));
          }
          Matcher m = LISTENING.matcher(read(log));
          if (m.find()) {
            port[0] = Integer.parseInt(m.group(1));
            return true;
          }
          return false;
        },
        Duration.ofSeconds(30),
        "jrmtd to listen");
    return new JrmtdProcess(p, log, new InetSocketAddress("127.0.0.1", port[0]));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where it listens. */
  InetSocketAddress address() {
    return address;
  }

  /** Its log so far. */
  String log() {
    return read(log);
  }

  /** Its peak resident set (VmHWM) in KiB. */
  long peakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmHWM for " + process.pid());
  }

  /** SIGKILL, and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("jrmtd survived SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
