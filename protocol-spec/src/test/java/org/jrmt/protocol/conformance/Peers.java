package org.jrmt.protocol.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external programs (real rmt servers, gcc) that interop tests drive.
 *
 * <p>A missing program skips the calling test with a visible reason that says which package to
 * install, except when the environment variable {@code CI} is {@code true}: there the test fails,
 * because CI ({@code .ci/peers}) installs every peer and a silent skip would hide a broken setup.
 */
final class Peers {

  /** Debian package that provides each tool. */
  private static final Map<String, String> PACKAGES =
      Map.of("rmt-tar", "tar", "rmt-dump", "dump", "gcc", "gcc libc6-dev", "mt-gnu", "cpio");

  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Peers() {}

  /**
   * The executable {@code tool}, looked up in {@code PATH} and the usual system directories. Aborts
   * (skips) the current test if it is missing, or fails it when {@code CI=true}.
   */
  static Path require(String tool) {
    Optional<Path> found = find(tool);
    if (found.isPresent()) {
      return found.get();
    }
    String reason =
        tool
            + " not installed: apt-get install "
            + PACKAGES.getOrDefault(tool, tool)
            + " (or run .ci/peers)";
    if ("true".equals(System.getenv("CI"))) {
      return fail("CI=true requires every interop peer; " + reason);
    }
    return Assumptions.abort(reason);
  }

  /** The executable {@code tool}, if it can be found. */
  static Optional<Path> find(String tool) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(SYSTEM_DIRS);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
