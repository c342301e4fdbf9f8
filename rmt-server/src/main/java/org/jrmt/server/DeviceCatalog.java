package org.jrmt.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.tape.FileTape;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * Decides what a client's path may open and opens it. The default grants nothing but virtual tapes
 * in the tape directory: a plain name (letters, digits, {@code .}, {@code _}, {@code -}) is the
 * SIMH tape {@code tapeDir/NAME.tap}. Files are served only below the configured file directories,
 * or when the configuration names the file itself (a character device such as {@code /dev/null}).
 * Anything else, any path with a {@code ..} component and any symbolic link is refused with {@code
 * EACCES}.
 */
public final class DeviceCatalog {
  private static final Pattern TAPE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

  private final ServerConfig config;

  /** A catalog for {@code config}. */
  public DeviceCatalog(ServerConfig config) {
    this.config = config;
  }

  /** A device the catalog resolved: its lock key and how to open it. */
  public record Device(String key, Path path, boolean virtual) {}

  /**
   * Resolves a client's path.
   *
   * @throws TapeException {@code EACCES} when policy does not grant it
   */
  public Device resolve(String requested) throws TapeException {
    if (TAPE_NAME.matcher(requested).matches()) {
      Path p = config.tapeDir().resolve(requested + ".tap");
      return new Device("tape:" + p.toAbsolutePath().normalize(), p, true);
    }
    if (requested.startsWith("/") && !hasDotDot(requested)) {
      Path p = Path.of(requested).normalize();
      for (Path dir : config.fileDirs()) {
        Path root = dir.toAbsolutePath().normalize();
        boolean inside = p.startsWith(root) && !p.equals(root) && noLinksBelow(root, p);
        boolean named = p.equals(root) && !Files.isDirectory(root);
        if (inside || named) {
          return new Device("file:" + p, p, false);
        }
      }
    }
    throw new TapeException(Errno.EACCES, "not granted: " + requested);
  }

  /** Opens a resolved device with the client's flags. */
  public Tape open(Device device, OpenFlags flags) throws TapeException {
    if (device.virtual()) {
      // O_APPEND means "each write at end of file", which has no meaning on a tape; drop it.
      try {
        Files.createDirectories(config.tapeDir());
      } catch (IOException e) {
        throw new TapeException(Errno.EIO, "cannot create tape directory", e);
      }
      return SimhTape.open(
          device.path(), toOpenMode(flags.without(OpenFlag.APPEND)), config.tapeOptions());
    }
    if (Files.isDirectory(device.path(), LinkOption.NOFOLLOW_LINKS)) {
      throw new TapeException(Errno.EISDIR, "is a directory: " + device.path());
    }
    return FileTape.open(device.path(), toOpenMode(flags));
  }

  static OpenMode toOpenMode(OpenFlags flags) {
    OpenMode mode =
        switch (flags.mode()) {
          case READ_ONLY -> OpenMode.readOnly();
          case WRITE_ONLY -> OpenMode.writeOnly();
          case READ_WRITE -> OpenMode.readWrite();
        };
    if (flags.has(OpenFlag.CREAT)) {
      mode = mode.with(OpenMode.Flag.CREATE);
    }
    if (flags.has(OpenFlag.TRUNC)) {
      mode = mode.with(OpenMode.Flag.TRUNCATE);
    }
    if (flags.has(OpenFlag.EXCL)) {
      mode = mode.with(OpenMode.Flag.EXCLUSIVE);
    }
    if (flags.has(OpenFlag.APPEND)) {
      mode = mode.with(OpenMode.Flag.APPEND);
    }
    return mode;
  }

  private static boolean hasDotDot(String path) {
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** True when no existing component from {@code root} down to {@code p} is a symbolic link. */
  private static boolean noLinksBelow(Path root, Path p) {
    Path cur = root;
    for (Path part : root.relativize(p)) {
      cur = cur.resolve(part);
      if (Files.isSymbolicLink(cur)) {
        return false;
      }
    }
    return true;
  }
}
