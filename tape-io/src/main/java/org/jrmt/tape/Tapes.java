package org.jrmt.tape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Opens the right kind of {@link Tape} for a path, by a fixed rule:
 *
 * <ol>
 *   <li>a name ending in {@code .tap} is a {@link SimhTape} with default options;
 *   <li>a device (not a regular file or directory) named like a tape drive ({@code st*}, {@code
 *       nst*} on Linux, {@code sa*}, {@code nsa*} on FreeBSD) is a {@link DriveTape};
 *   <li>anything else, {@code /dev/null} included, is a {@link FileTape}.
 * </ol>
 */
public final class Tapes {
  private static final Pattern DRIVE_NAME = Pattern.compile("n?(st|sa)[0-9].*");

  private Tapes() {}

  /** Opens {@code path} as the kind of tape the rule above picks. */
  public static Tape open(Path path, OpenMode mode) throws TapeException {
    Path name = path.getFileName();
    String file = name == null ? "" : name.toString();
    if (file.toLowerCase(Locale.ROOT).endsWith(".tap")) {
      return SimhTape.open(path, mode);
    }
    if (DRIVE_NAME.matcher(file).matches() && isDevice(path)) {
      return DriveTape.open(path, mode);
    }
    return FileTape.open(path, mode);
  }

  private static boolean isDevice(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .isOther();
    } catch (IOException e) {
      return false;
    }
  }

  /** The options plus O_NOFOLLOW: a symbolic link planted where a tape should be is refused. */
  static Set<OpenOption> noFollow(Set<? extends OpenOption> opts) {
    Set<OpenOption> all = new HashSet<>(opts);
    all.add(LinkOption.NOFOLLOW_LINKS);
    return all;
  }
}
