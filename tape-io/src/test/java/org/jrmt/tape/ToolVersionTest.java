package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ToolVersionTest {
  /** The reactor's version, read from the parent pom the build ran (surefire names its root). */
  private static String pomVersion() throws IOException {
    String root = System.getenv("JRMT_PROJECT_ROOT");
    Path pom = Path.of(root == null ? ".." : root, "pom.xml");
    Matcher m =
        Pattern.compile("<artifactId>jrmt-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(pom));
    assertThat(m.find()).as("version in " + pom).isTrue();
    return m.group(1);
  }

  @Test
  void theVersionIsTheMavenProjectVersion() throws IOException {
    assertThat(ToolVersion.get()).isEqualTo(pomVersion());
  }

  @Test
  void theVersionLineNamesToolPackageAndVersion() throws IOException {
    assertThat(ToolVersion.line("jmt")).isEqualTo("jmt (jrmt) " + pomVersion());
  }
}
