package org.jrmt.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jrmt.protocol.testing.Peers;

/**
 * Writes the stand-in for {@code rsh} that classic clients exec as {@code SCRIPT host [-l user]
 * rmt-command}: it ignores its arguments and runs a jrmt server (or a bridge to one) on its stdin
 * and stdout, the way a real rsh would run {@code /etc/rmt} on the remote host.
 */
final class RshScript {
  private RshScript() {}

  /** A script that execs {@code bin/jrmt --tape-dir tapeDir options...}. */
  static Path jrmt(Path scriptDir, Path tapeDir, String... options) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProjectRoot.jrmt().toString());
    cmd.add("--tape-dir");
    cmd.add(tapeDir.toString());
    cmd.addAll(List.of(options));
    return write(scriptDir, "rsh-jrmt", cmd);
  }

  /** A script that bridges stdin/stdout to a jrmtd listening on {@code 127.0.0.1:port}. */
  static Path socatBridge(Path scriptDir, int port) {
    Path socat = Peers.require("socat");
    return write(scriptDir, "rsh-socat", List.of(socat.toString(), "-", "TCP:127.0.0.1:" + port));
  }

  /**
   * A script that runs {@code bin/jrmt-rsh} with the client's own arguments (host, {@code -l user},
   * rmt command) and {@code JRMT_PORT=port}: the connector as users install it.
   */
  static Path jrmtRsh(Path scriptDir, int port) {
    Path connector = ProjectRoot.jrmt().resolveSibling("jrmt-rsh");
    String body =
        "#!/bin/sh\nJRMT_PORT=" + port + " exec " + quote(connector.toString()) + " \"$@\"\n";
    return writeScript(scriptDir, "rsh-jrmt-rsh", body);
  }

  private static Path write(Path scriptDir, String name, List<String> command) {
    StringBuilder sb = new StringBuilder("#!/bin/sh\nexec");
    for (String word : command) {
      sb.append(' ').append(quote(word));
    }
    sb.append('\n');
    return writeScript(scriptDir, name, sb.toString());
  }

  private static Path writeScript(Path scriptDir, String name, String body) {
    try {
      Path script = Files.createTempFile(scriptDir, name, ".sh");
      Files.writeString(script, body, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
