package org.jrmt.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the jrmt source tree and its launchers. */
final class ProjectRoot {
  private ProjectRoot() {}

  /**
   * The project root: {@code JRMT_PROJECT_ROOT} (surefire sets it to the reactor root) or the
   * nearest directory above the working directory that holds {@code bin/jrmt}.
   */
  static Path get() {
    String env = System.getenv("JRMT_PROJECT_ROOT");
    if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env, "bin", "jrmt"))) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("bin/jrmt"))) {
        return p;
      }
    }
    return fail("cannot find the project root (a directory with bin/jrmt); set JRMT_PROJECT_ROOT");
  }

  /**
   * The {@code jrmt} launcher. It runs the jars in {@code dist/target/lib}, which the tests
   * module's dependency on {@code dist} makes Maven build first.
   */
  static Path jrmt() {
    Path root = get();
    if (!Files.isDirectory(root.resolve("dist/target/lib"))) {
      fail("bin/jrmt is not runnable yet: run 'mvn -q -DskipTests package' in " + root);
    }
    return root.resolve("bin/jrmt");
  }
}
