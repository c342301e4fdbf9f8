package org.jrmt.protocol.testing;

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
 * Finds the external programs (real rmt peers, gcc, system tools) that interop tests drive; shared
 * by every module's tests through protocol-spec's test jar.
 *
 * <p>A missing program skips the calling test with a visible reason that says which package to
 * install, except when the environment variable {@code CI} is {@code true}: there the test fails,
 * because CI ({@code .ci/peers}) installs every peer and a silent skip would hide a broken setup.
 */
public final class Peers {
  /** Debian package that provides each tool, where the names differ. */
  private static final Map<String, String> PACKAGES =
      Map.ofEntries(
          Map.entry("rmt-tar", "tar"),
          Map.entry("rmt-dump", "dump"),
          Map.entry("dump", "dump"),
          Map.entry("restore", "dump"),
          Map.entry("mt-gnu", "cpio"),
          Map.entry("gcc", "gcc libc6-dev"),
          Map.entry("mkfs.ext2", "e2fsprogs"),
          Map.entry("losetup", "mount"),
          Map.entry("mount", "mount"),
          Map.entry("umount", "mount"),
          Map.entry("systemd-analyze", "systemd"),
          Map.entry("sshd", "openssh-server"),
          Map.entry("ssh", "openssh-client"));

  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Peers() {}

  /** The executable {@code tool}; skips the test (fails it under {@code CI=true}) if missing. */
  public static Path require(String tool) {
    Optional<Path> found = find(tool);
    if (found.isPresent()) {
      return found.get();
    }
    return unavailable(
        tool
            + " not installed: apt-get install "
            + PACKAGES.getOrDefault(tool, tool)
            + " (or run .ci/peers)");
  }

  /**
   * Skips the test with {@code reason}, or fails it when {@code CI=true}. Declared to return a
   * value so callers can write {@code return Peers.unavailable(...)}.
   */
  public static <T> T unavailable(String reason) {
    if ("true".equals(System.getenv("CI"))) {
      return fail("CI=true requires every interop peer: " + reason);
    }
    return Assumptions.abort(reason);
  }

  /** The executable {@code tool}, looked up in {@code PATH} and the usual system directories. */
  public static Optional<Path> find(String tool) {
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
