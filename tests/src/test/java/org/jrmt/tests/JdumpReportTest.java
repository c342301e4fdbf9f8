package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/jdump}'s dump-style report on stderr: estimate, progress lines, summary. */
class JdumpReportTest {
  @TempDir Path tmp;

  @Test
  void estimateProgressAndSummary() throws Exception {
    Path src = SampleTree.write(tmp.resolve("src"), 3_000_000);
    Proc.Result r =
        Proc.of(ProjectRoot.jrmt().resolveSibling("jdump"), "-0", "-f", tmp.resolve("x.dump"), src)
            // The hidden interval, tiny: every tape record after the first millisecond reports.
            .env("JAVA_OPTS", "-Djdump.progress.seconds=0.001")
            .run()
            .ok();
    Matcher estimate =
        Pattern.compile("(?m)^  DUMP: estimated (\\d+) blocks\\.$").matcher(r.stderr());
    assertThat(estimate.find()).as(r.stderr()).isTrue();
    Matcher total =
        Pattern.compile("(?m)^  DUMP: (\\d+) blocks \\((\\d+\\.\\d\\d)MB\\) on 1 volume\\(s\\)$")
            .matcher(r.stderr());
    assertThat(total.find()).as(r.stderr()).isTrue();
    long written = Long.parseLong(total.group(1));
    assertThat(Long.parseLong(estimate.group(1)))
        .as("the estimate is within a few records of what was written")
        .isBetween(written - 20, written + 20);
    assertThat(total.group(2)).isEqualTo(String.format(Locale.ROOT, "%.2f", written / 1024.0));
    assertThat(r.stderr())
        .containsPattern("(?m)^  DUMP: \\d{1,3}\\.\\d\\d% done, finished in \\d+:\\d\\d$")
        .containsPattern("(?m)^  DUMP: finished in \\d+ seconds, throughput \\d+ kBytes/sec$");
  }
}
