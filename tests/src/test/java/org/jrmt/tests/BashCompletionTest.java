package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bash completion the package installs ({@code dist/src/bash-completion/jrmt}), driven as bash
 * drives it: the function {@code complete -p} names for the tool, called with {@code COMP_WORDS}
 * and {@code COMP_CWORD} set, without the bash-completion package. Every option the tool's {@code
 * --help} prints is offered, and jmt's commands.
 */
class BashCompletionTest {
  @TempDir Path tmp;

  private static final Path SCRIPT =
      ProjectRoot.get().resolve("dist/src/bash-completion/jrmt").toAbsolutePath();

  /** What completing the last of {@code words} offers. */
  private static List<String> complete(String... words) {
    String driver =
        """
        source "$0" || exit 1
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        f=$(complete -p "$1" | sed -E 's/.* -F ([^ ]+) .*/\\1/')
        "$f" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
        printf '%s\\n' "${COMPREPLY[@]}"
        """;
    Proc p = Proc.of(Peers.require("bash"), "-c", driver, SCRIPT);
    p.args((Object[]) words);
    Proc.Result r = p.run().ok();
    assertThat(r.stderr()).isEmpty();
    return r.stdout().lines().filter(l -> !l.isEmpty()).toList();
  }

  @ParameterizedTest
  @CsvSource({"jrmtd", "jrmt", "jrmt-rsh", "jmt", "jdump", "jrestore"})
  void everyOptionOfTheHelpIsOffered(String tool) {
    assertThat(complete(tool, "-")).containsAll(ToolHelp.of(tool).options());
  }

  @Test
  void jrmtdOffersCertAndItsOptionsAndTheValuesOfItsOptions() {
    assertThat(complete("jrmtd", "")).contains("cert", "--listen");
    assertThat(complete("jrmtd", "cert", ""))
        .containsExactly("init", "issue", "show", "-h", "--help");
    assertThat(complete("jrmtd", "cert", "init", "-"))
        .containsAll(ToolHelp.of("jrmtd", "cert").options());
    assertThat(complete("jrmtd", "--eot", "")).containsExactly("enospc", "zero");
    assertThat(complete("jrmtd", "--tls-client-auth", "o")).containsExactly("optional");
    assertThat(complete("jrmt", "--sync", "")).containsExactly("never", "filemark", "always");
  }

  @Test
  void jmtOffersItsCommandsOnceAfterTheOptions() {
    List<String> commands = ToolHelp.of("jmt").commands();
    assertThat(complete("jmt", "")).containsExactlyElementsOf(commands);
    assertThat(complete("jmt", "-f", "x", "st")).containsExactly("status");
    assertThat(complete("jmt", "-f", "x", "re")).containsExactly("rewind", "rewoffl");
    assertThat(complete("jmt", "status", "")).as("after the command: its count").isEmpty();
  }

  @Test
  void fileOptionsOfferFiles() throws IOException {
    Files.writeString(tmp.resolve("monday.dump"), "");
    Files.createDirectory(tmp.resolve("home"));
    assertThat(complete("jmt", "-f", tmp + "/mon")).containsExactly(tmp + "/monday.dump");
    assertThat(complete("jrestore", "-f", tmp + "/mon")).containsExactly(tmp + "/monday.dump");
    assertThat(complete("jdump", "-0", tmp + "/")).containsExactly(tmp + "/home");
  }

  /** After the host, words are the remote command that tar and dump pass: nothing to offer. */
  @Test
  void jrmtRshOffersNothingAfterTheHost() {
    assertThat(complete("jrmt-rsh", "localhost", "")).isEmpty();
    assertThat(complete("jrmt-rsh", "-l", "root", "localhost", "-")).isEmpty();
    List<String> all = new ArrayList<>(complete("jrmt-rsh", "-"));
    assertThat(all).containsExactly("-l", "--help", "--version");
  }
}
