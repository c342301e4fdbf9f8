package org.jrmt.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a tool's {@code --help} lists, read from the launcher's output: the option names of every
 * line that starts with a dash (the option column, as Commons CLI and the hand-written helps lay it
 * out) and, for jmt, the words of its {@code commands:} line. The man page and completion tests
 * compare against it, so that neither can drift from the code.
 */
record ToolHelp(String text, Set<String> options, List<String> commands) {
  /** The six launchers the tarball and the package install. */
  static final List<String> TOOLS =
      List.of("jrmtd", "jrmt", "jrmt-rsh", "jmt", "jdump", "jrestore");

  /** An option name: one or two dashes, then a letter or digit, then letters, digits, dashes. */
  static final Pattern OPTION = Pattern.compile("(?<![\\w-])--?[A-Za-z0-9][A-Za-z0-9-]*");

  private static final Map<List<String>, ToolHelp> CACHE = new ConcurrentHashMap<>();

  /** The help of {@code tool} with {@code words} before {@code --help} (e.g. {@code cert}). */
  static ToolHelp of(String tool, String... words) {
    List<String> key = new ArrayList<>(List.of(tool));
    key.addAll(Arrays.asList(words));
    return CACHE.computeIfAbsent(key, k -> run(tool, words));
  }

  /** The option names in {@code text}. */
  static Set<String> optionNames(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = OPTION.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static ToolHelp run(String tool, String... words) {
    Path launcher = ProjectRoot.jrmt().resolveSibling(tool);
    Proc p = Proc.of(launcher);
    p.args((Object[]) words);
    String text = p.args("--help").run().ok().stdout();
    Set<String> options = new LinkedHashSet<>();
    List<String> commands = new ArrayList<>();
    for (String line : text.lines().toList()) {
      String s = line.strip();
      if (s.startsWith("-")) {
        // The option column ends where two spaces start the description.
        options.addAll(optionNames(s.split("\\s{2,}", 2)[0]));
      } else if (s.startsWith("commands:")) {
        commands.addAll(List.of(s.substring("commands:".length()).strip().split("\\s+")));
      }
    }
    return new ToolHelp(text, Set.copyOf(options), List.copyOf(commands));
  }
}
