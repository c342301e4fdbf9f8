package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units in {@code dist/src/systemd} pass {@code systemd-analyze verify} without a
 * single warning (an unknown or misspelt key is only a warning there, so the test reads stderr) and
 * keep a low {@code systemd-analyze security} exposure.
 */
class SystemdUnitsTest {
  private static final List<String> UNITS =
      List.of("jrmtd.service", "jrmt.socket", "jrmt@.service");
  private static final String INSTALLED_BIN = "/opt/jrmt/bin/";

  @TempDir Path tmp;
  private Path analyze;

  @BeforeEach
  void findSystemdAnalyze() {
    analyze =
        Peers.find("systemd-analyze")
            .orElseGet(
                () -> Peers.unavailable("systemd-analyze not installed: apt-get install systemd"));
  }

  /**
   * Copies of the units whose ExecStart= runs this tree's bin/ launchers instead of /opt/jrmt/bin:
   * verify checks that the command exists and is executable.
   */
  private List<Path> unitCopies() throws IOException {
    Path bin = ProjectRoot.get().resolve("bin");
    Path src = ProjectRoot.get().resolve("dist/src/systemd");
    for (String u : UNITS) {
      String text = Files.readString(src.resolve(u), StandardCharsets.UTF_8);
      if (!u.endsWith(".socket")) {
        assertThat(text).as(u).contains("ExecStart=" + INSTALLED_BIN);
      }
      Files.writeString(tmp.resolve(u), text.replace(INSTALLED_BIN, bin + "/"));
    }
    return UNITS.stream().map(tmp::resolve).toList();
  }

  private Proc.Result verify(List<Path> units) {
    Proc p = Proc.of(analyze, "verify", "--man=no", "--generators=no").in(tmp);
    units.forEach(p::args);
    return p.run();
  }

  /** The lines of systemd-analyze's output that are about our unit files. */
  private static List<String> complaints(Proc.Result r) {
    return (r.stdout() + "\n" + r.stderr())
        .lines()
        .filter(l -> l.contains("jrmt") || l.contains("Unknown") || l.contains("ignoring"))
        .toList();
  }

  @Test
  void unitsVerifyWithoutWarnings() throws IOException {
    Proc.Result r = verify(unitCopies());
    assertThat(complaints(r)).as(r.describe("complained")).isEmpty();
    assertThat(r.exit()).as(r.describe("failed")).isZero();
  }

  /** The check above would see a misspelt key: systemd-analyze reports it and still exits 0. */
  @Test
  void verifyReportsAMisspeltKey() throws IOException {
    List<Path> units = unitCopies();
    Path service = tmp.resolve("jrmt@.service");
    Files.writeString(
        service, Files.readString(service).replace("ProtectHome=yes", "ProtectHom=yes"));
    Proc.Result r = verify(units);
    assertThat(complaints(r))
        .as(r.describe("did not complain"))
        .anySatisfy(l -> assertThat(l).contains("Unknown key 'ProtectHom'"));
  }

  /**
   * Measured with systemd 252 (Debian 12): jrmtd.service 1.6 "OK", jrmt@.service 0.5 "SAFE". The
   * limits leave a little room for other systemd versions' weights.
   */
  @Test
  void exposureStaysLow() throws IOException {
    String help = Proc.of(analyze, "security", "--help").run().stdout();
    if (!help.contains("--offline")) {
      Peers.unavailable("systemd-analyze security has no --offline (systemd older than 250)");
    }
    unitCopies();
    assertThat(exposure("jrmtd.service")).isLessThanOrEqualTo(2.0);
    assertThat(exposure("jrmt@.service")).isLessThanOrEqualTo(1.0);
  }

  private double exposure(String unit) {
    Proc.Result r =
        Proc.of(analyze, "security", "--offline=true", "--no-pager", tmp.resolve(unit))
            .in(tmp)
            .run()
            .ok();
    Matcher m =
        Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)").matcher(r.stdout());
    assertThat(m.find()).as(r.describe("printed no exposure level")).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
