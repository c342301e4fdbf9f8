package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.tape.ToolVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The man pages as the build ships them ({@code dist/target/man}, the version filled in): groff and
 * mandoc find nothing to warn about, {@code man -l} renders them, each has the sections an
 * administrator looks for, and its OPTIONS section and the tool's {@code --help} list the same
 * options (for jmt also the same commands), in both directions, so that a page cannot drift from
 * the code.
 */
class ManPagesTest {
  private static final List<String> SECTIONS =
      List.of(
          "NAME",
          "SYNOPSIS",
          "DESCRIPTION",
          "OPTIONS",
          "EXIT STATUS",
          "ENVIRONMENT",
          "FILES",
          "EXAMPLES",
          "SEE ALSO");

  private static Path page(String tool, int section) {
    return ProjectRoot.get().resolve("dist/target/man/man" + section).resolve(tool + "." + section);
  }

  @ParameterizedTest
  @CsvSource({"jrmtd, 8", "jrmt, 8", "jrmt-rsh, 1", "jmt, 1", "jdump, 8", "jrestore, 8"})
  void groffAndMandocFindNothingToWarnAbout(String tool, int section) {
    Path page = page(tool, section);
    assertThat(page).isRegularFile();
    Proc.Result groff =
        Proc.of(Peers.require("groff"), "-man", "-Tutf8", "-ww", "-z", page).run().ok();
    assertThat(groff.stderr()).as("groff warnings").isEmpty();
    // mandoc's lint reports style too (lines over 80 bytes, ...): none either.
    Proc.Result lint = Proc.of(Peers.require("mandoc"), "-Tlint", page).run();
    assertThat(lint.stdout() + lint.stderr()).as("mandoc -Tlint").isEmpty();
    assertThat(lint.exit()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"jrmtd, 8", "jrmt, 8", "jrmt-rsh, 1", "jmt, 1", "jdump, 8", "jrestore, 8"})
  void manRendersEverySectionAndTheVersion(String tool, int section) {
    String text = render(tool, section);
    assertThat(text.lines().findFirst().orElse(""))
        .startsWith(tool.toUpperCase() + "(" + section + ")");
    assertThat(headers(text)).containsAll(SECTIONS);
    assertThat(text).contains(tool + " - ").contains("jrmt " + ToolVersion.get());
  }

  @ParameterizedTest
  @CsvSource({"jrmtd, 8", "jrmt, 8", "jrmt-rsh, 1", "jmt, 1", "jdump, 8", "jrestore, 8"})
  void theOptionsSectionAndHelpListTheSameOptions(String tool, int section) throws IOException {
    Set<String> help = new LinkedHashSet<>(ToolHelp.of(tool).options());
    if (tool.equals("jrmtd")) {
      help.addAll(ToolHelp.of("jrmtd", "cert").options());
    }
    assertThat(help).as("options in " + tool + " --help").isNotEmpty();
    String options = section(render(tool, section), "OPTIONS");
    for (String o : help) {
      assertThat(Pattern.compile("(?<![\\w-])" + Pattern.quote(o) + "(?![\\w-])").matcher(options))
          .as(o + " (in " + tool + " --help) described in OPTIONS of " + tool + "(" + section + ")")
          .matches(m -> m.find());
    }
    assertThat(help)
        .as("options " + tool + "(" + section + ") describes")
        .containsAll(ToolHelp.optionNames(String.join("\n", tags(page(tool, section), "OPTIONS"))));
  }

  @ParameterizedTest
  @CsvSource({"jmt, 1"})
  void theCommandsSectionAndHelpListTheSameCommands(String tool, int section) throws IOException {
    List<String> help = ToolHelp.of(tool).commands();
    assertThat(help).contains("status", "rewind", "eom");
    Set<String> described = new LinkedHashSet<>();
    for (String tag : tags(page(tool, section), "COMMANDS")) {
      described.addAll(List.of(tag.split("[,\\s]+")));
    }
    assertThat(described).containsExactlyInAnyOrderElementsOf(help);
  }

  /** {@code man -l} as a user reads the page (C locale, 80 columns); it must not complain. */
  private static String render(String tool, int section) {
    Proc.Result r =
        Proc.of(Peers.require("man"), "-l", page(tool, section))
            .env("MANWIDTH", 80)
            .env("MANPAGER", "cat")
            .run()
            .ok();
    assertThat(r.stderr()).as("man -l stderr").isEmpty();
    return r.stdout();
  }

  /** The section headers of a rendered page: lines of capitals at the left margin. */
  private static List<String> headers(String text) {
    return text.lines().filter(l -> l.matches("[A-Z][A-Z ]*[A-Z]")).toList();
  }

  /** The text of the rendered section {@code name}, up to the next section header. */
  private static String section(String text, String name) {
    List<String> lines = text.lines().toList();
    int start = lines.indexOf(name);
    assertThat(start).as("section " + name).isNotNegative();
    StringBuilder out = new StringBuilder();
    for (int i = start + 1; i < lines.size() && !lines.get(i).matches("[A-Z][A-Z ]*[A-Z]"); i++) {
      out.append(lines.get(i)).append('\n');
    }
    return out.toString();
  }

  /**
   * The tags of the {@code .TP} paragraphs in the source's section {@code name} (subsections
   * included), macros and font escapes removed: what the page says it describes.
   */
  private static List<String> tags(Path page, String name) throws IOException {
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith(".SH ")) {
        in = l.substring(4).replace("\"", "").strip().equals(name);
      } else if (in && l.equals(".TP") && i + 1 < lines.size()) {
        out.add(plain(lines.get(i + 1)));
      }
    }
    assertThat(out).as(".TP tags in " + name + " of " + page).isNotEmpty();
    return out;
  }

  /** A roff line as text: no leading macro, no font escapes or quotes, {@code \-} as a dash. */
  private static String plain(String roff) {
    return roff.replaceFirst("^\\.[A-Z]+\\s+", "")
        .replaceAll("\\\\f[BIRP]", "")
        .replaceAll("\\\\\\(..", "")
        .replace("\\-", "-")
        .replace("\"", "")
        .strip();
  }
}
