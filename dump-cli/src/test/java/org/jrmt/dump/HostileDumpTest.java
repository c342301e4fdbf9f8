package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jrestore on small dumps whose headers lie (sizes, map counts, holes, names, loops; see {@link
 * HostileDumps}), run as a child JVM with a 64 MiB heap and a deadline: each must end by itself
 * with its exit status (2 when there is damage to report) and one line per problem, never an {@code
 * OutOfMemoryError}, a stack trace or a run that does not end. The work allowed is bounded by the
 * bytes given, not by what the headers claim.
 */
class HostileDumpTest {
  private static final long DEADLINE_SECONDS = 90;

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    List<Arguments> l = new ArrayList<>();
    for (Object[] c : HostileDumps.all()) {
      l.add(Arguments.of(c[0], "-x", c[1], c[2]));
      l.add(Arguments.of(c[0], "-t", c[1], c[3]));
    }
    return l.stream();
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("cases")
  void endsWithAReportInBoundedMemory(String what, String action, byte[] dump, int exit)
      throws Exception {
    Path file = Files.write(tmp.resolve("hostile.dump"), dump);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            Jrestore.class.getName(),
            action,
            "-f",
            file.toString()));
    if (!action.equals("-t")) {
      cmd.addAll(List.of("-D", tmp.resolve("out").toString()));
    }
    Path err = tmp.resolve("err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    boolean ended = p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor();
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(ended).as("ended within %d s; stderr: %s", DEADLINE_SECONDS, stderr).isTrue();
    assertThat(stderr)
        .doesNotContain("OutOfMemoryError")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(stderr.lines().count()).as(stderr).isLessThan(1200);
    assertThat(p.exitValue()).as(stderr).isEqualTo(exit);
  }
}
