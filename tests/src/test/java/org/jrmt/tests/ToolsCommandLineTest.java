package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.jrmt.tape.ToolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every launcher answers {@code --version} and {@code --help} on standard output with exit 0, and a
 * usage error with its family's exit status on standard error (64 for the servers, as GNU rmt; 1
 * for the clients and dump tools, as rsh, GNU mt, dump and restore). The README's exit status table
 * and each man page's EXIT STATUS section say the same.
 */
class ToolsCommandLineTest {
  private static Path tool(String name) {
    return ProjectRoot.jrmt().resolveSibling(name);
  }

  @ParameterizedTest
  @CsvSource({"jrmtd", "jrmt", "jrmt-rsh", "jmt", "jdump", "jrestore"})
  void versionPrintsOneLineOnStandardOutput(String name) {
    Proc.Result r = Proc.of(tool(name), "--version").run();
    assertThat(r.exit()).as(r.describe("exit")).isZero();
    assertThat(r.stdout()).isEqualTo(ToolVersion.line(name) + "\n");
    assertThat(r.stderr()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"jrmtd", "jrmt", "jrmt-rsh", "jmt", "jdump", "jrestore"})
  void helpPrintsTheUsageOnStandardOutput(String name) {
    Proc.Result r = Proc.of(tool(name), "--help").run();
    assertThat(r.exit()).as(r.describe("exit")).isZero();
    assertThat(r.stdout()).startsWith("usage: " + name + " ").contains("--version", "--help");
    assertThat(r.stderr()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"jrmtd, 64", "jrmt, 64", "jmt, 1", "jdump, 1", "jrestore, 1"})
  void anUnknownOptionIsAUsageError(String name, int status) {
    Proc.Result r = Proc.of(tool(name), "--no-such-option").run();
    assertThat(r.exit()).as(r.describe("exit")).isEqualTo(status);
    assertThat(r.stderr()).startsWith(name + ": ").contains("no-such-option");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void jrmtRshWithoutAHostIsAUsageError() {
    Proc.Result r = Proc.of(tool("jrmt-rsh")).run();
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("jrmt-rsh: no host given").contains("usage: jrmt-rsh");
  }

  /**
   * rsh's argument order is dictated by its callers: after the host, a word is the remote command
   * (which jrmt-rsh ignores), never an option of jrmt-rsh, so {@code --version} there connects.
   */
  @Test
  void jrmtRshTakesVersionAfterTheHostAsTheRemoteCommand() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Proc.Result r =
        Proc.of(tool("jrmt-rsh"), "127.0.0.1", "--version").env("JRMT_PORT", closed).run();
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("jrmt-rsh: cannot connect to jrmtd on 127.0.0.1:" + closed);
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void jrmtdCertHasItsOwnHelp() {
    Proc.Result r = Proc.of(tool("jrmtd"), "cert", "--help").run();
    assertThat(r.exit()).as(r.describe("exit")).isZero();
    assertThat(r.stdout()).startsWith("usage: jrmtd cert ").contains("--dns", "--days");
    assertThat(r.stderr()).isEmpty();
  }
}
