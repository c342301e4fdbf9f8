package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void reportsShareDoneAndTimeLeftOncePerInterval() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    long[] now = {1_000};
    Progress p = new Progress(err, 10_000, TimeUnit.SECONDS.toNanos(5), () -> now[0]);
    p.written(100);
    assertThat(bytes.size()).as("nothing before the first interval").isZero();
    now[0] += TimeUnit.SECONDS.toNanos(6);
    p.written(3_720); // 37.2% in 6 s: 10.1 s to go
    p.written(3_800);
    now[0] += TimeUnit.SECONDS.toNanos(5);
    p.written(5_000); // 50% in 11 s: 11 s to go
    now[0] += TimeUnit.HOURS.toNanos(2);
    p.written(5_500); // 55% in 2 h: well over an hour and a half left
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "  DUMP: 37.20% done, finished in 0:00",
            "  DUMP: 50.00% done, finished in 0:00", "  DUMP: 55.00% done, finished in 1:38");
  }
}
