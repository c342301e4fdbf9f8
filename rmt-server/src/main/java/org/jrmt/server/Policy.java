package org.jrmt.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jrmt.protocol.SeekOrder;

/**
 * Which identity may open which device, and how. Devices are the virtual tapes of the tape
 * directory (policy names {@code tape:NAME}), the devices the configuration declares (by their
 * name), and files below the configured file directories (by their path). Rules are tried in order;
 * the first whose identity and device patterns both match decides. No match: refused.
 *
 * <p>Patterns are exact strings or globs where {@code *} matches any run of characters ({@code
 * tape:*}, {@code cert:backup-*}, {@code /srv/archive/*}).
 */
public record Policy(List<Device> devices, List<Rule> rules) {

  /** What a device name stands for. */
  public enum Kind {
    /** A tape drive, driven through the st/sa ioctls. */
    DRIVE,
    /** A plain file or character device. */
    FILE,
    /** A SIMH virtual tape file. */
    VIRTUAL
  }

  /** A device the configuration declares: clients open it by {@code name}. */
  public record Device(String name, Path path, Kind kind) {
    public Device {
      Objects.requireNonNull(name);
      Objects.requireNonNull(path);
      Objects.requireNonNull(kind);
    }
  }

  /**
   * One rule: identities matching {@code identity} get {@code grant} on matching devices; {@code
   * seekOrder}, when not null, is the {@code L} order for their sessions (for clients whose order
   * the listener's default gets wrong).
   */
  public record Rule(String identity, List<String> devices, Grant grant, SeekOrder seekOrder) {
    public Rule {
      Objects.requireNonNull(identity);
      devices = List.copyOf(devices);
      Objects.requireNonNull(grant);
    }

    /** A rule without a seek order of its own. */
    public Rule(String identity, List<String> devices, Grant grant) {
      this(identity, devices, grant, null);
    }

    boolean matches(Identity who, String device) {
      return glob(identity, who.toString()) && devices.stream().anyMatch(d -> glob(d, device));
    }
  }

  public Policy {
    devices = List.copyOf(devices);
    rules = List.copyOf(rules);
  }

  /** The embedded default: anyone, full access to the virtual tapes and the given file dirs. */
  public static Policy defaults(List<Path> fileDirs) {
    List<String> granted = new ArrayList<>();
    granted.add("tape:*");
    for (Path d : fileDirs) {
      granted.add(d.toString());
      granted.add(d + "/*");
    }
    return new Policy(List.of(), List.of(new Rule("*", granted, Grant.FULL)));
  }

  /**
   * The rule that decides for an identity and a device.
   *
   * @param number the rule's place in the list, counted from 1 as an operator reads the file
   * @param rule the rule
   */
  public record Match(int number, Rule rule) {}

  /** The first rule matching, if any. */
  public Optional<Match> match(Identity who, String policyName) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matches(who, policyName)) {
        return Optional.of(new Match(i + 1, rules.get(i)));
      }
    }
    return Optional.empty();
  }

  /** The grant of the first rule matching, if any. */
  public Optional<Grant> grant(Identity who, String policyName) {
    return match(who, policyName).map(m -> m.rule().grant());
  }

  /** The {@code L} order of the first rule for {@code who} that sets one, if any. */
  public Optional<SeekOrder> seekOrder(Identity who) {
    return rules.stream()
        .filter(r -> r.seekOrder() != null && glob(r.identity(), who.toString()))
        .map(Rule::seekOrder)
        .findFirst();
  }

  /** The declared device called {@code name}, if any. */
  public Optional<Device> device(String name) {
    return devices.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  static boolean glob(String pattern, String text) {
    if (pattern.indexOf('*') < 0) {
      return pattern.equals(text);
    }
    StringBuilder re = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (re.length() > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.matches(re.toString(), text);
  }
}
