package org.jrmt.tests;

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
 * Finds the real programs the interop tests drive (GNU tar, cpio, mt, Linux dump/restore, socat,
 * mkfs.ext2, losetup).
 *
 * <p>A missing program skips the calling test with a visible reason naming the Debian package to
 * install, except when {@code CI=true}: CI installs every peer ({@code .ci/peers}), so there a
 * missing one fails the test instead of hiding a broken setup behind a skip.
 */
final class Peers {
  private static final Map<String, String> PACKAGES =
      Map.of(
          "tar", "tar",
          "cpio", "cpio",
          "mt-gnu", "cpio",
          "dump", "dump",
          "restore", "dump",
          "socat", "socat",
          "mkfs.ext2", "e2fsprogs",
          "losetup", "mount",
          "mount", "mount",
          "umount", "mount");

  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Peers() {}

  /** The executable {@code tool}; skips the test (fails it under {@code CI=true}) if missing. */
  static Path require(String tool) {
    Optional<Path> found = find(tool);
    if (found.isPresent()) {
      return found.get();
    }
    return unavailable(
        tool + " not installed: apt-get install " + PACKAGES.getOrDefault(tool, tool));
  }

  /**
   * Skips the test with {@code reason}, or fails it when {@code CI=true}. Declared to return a
   * value so callers can write {@code return Peers.unavailable(...)}.
   */
  static <T> T unavailable(String reason) {
    if ("true".equals(System.getenv("CI"))) {
      return fail("CI=true requires every interop peer: " + reason);
    }
    return Assumptions.abort(reason);
  }

  /** The executable {@code tool}, looked up in {@code PATH} and the usual system directories. */
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
