package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpDatesTest {
  @TempDir Path dir;

  @Test
  void readsTheStockDumpsFile() throws Exception {
    Path f = dir.resolve("dumpdates");
    try (var in =
        Objects.requireNonNull(getClass().getResourceAsStream("fixtures/dumpdates.txt"))) {
      Files.write(f, in.readAllBytes());
    }
    DumpDates d = new DumpDates(f);
    assertThat(d.entries()).isNotEmpty();
    DumpDates.Entry first = d.entries().get(0);
    assertThat(first.name()).isEqualTo("/dev/loop0");
    assertThat(first.level()).isZero();
    assertThat(d.base("/dev/loop0", 1)).contains(first);
    assertThat(d.base("/dev/loop0", 0)).isEmpty();
  }

  @Test
  void recordsReplaceTheSameLevelAndChooseTheNewestLowerBase() throws Exception {
    DumpDates d = new DumpDates(dir.resolve("state/dumpdates"));
    d.record("/home", 0, 1_000_000_000L);
    d.record("/home", 1, 1_000_100_000L);
    d.record("/srv", 0, 1_000_200_000L);
    d.record("/home", 0, 1_000_300_000L);
    assertThat(d.entries()).hasSize(3);
    assertThat(d.base("/home", 1))
        .get()
        .extracting(DumpDates.Entry::date)
        .isEqualTo(1_000_300_000L);
    assertThat(d.base("/home", 2))
        .get()
        .extracting(DumpDates.Entry::date)
        .isEqualTo(1_000_300_000L);
    d.record("/home", 1, 1_000_400_000L);
    assertThat(d.base("/home", 2)).get().extracting(DumpDates.Entry::level).isEqualTo(1);
  }
}
