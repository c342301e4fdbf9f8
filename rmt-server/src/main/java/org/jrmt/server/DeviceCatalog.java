package org.jrmt.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.tape.DriveTape;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.SimhTape;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;

/**
 * Decides what a client's path names, whether the client's identity may open it, and opens it.
 *
 * <p>A path is, in this order: a device the configuration declares (by its name); a plain name
 * (letters, digits, {@code .}, {@code _}, {@code -}), which is the SIMH tape {@code
 * tapeDir/NAME.tap} (policy name {@code tape:NAME}); or an absolute path below one of the
 * configured file directories, or naming one of the configured files, without {@code ..}. Anything
 * else, and anything the {@link Policy} does not grant the identity, is refused with {@code
 * EACCES}; a path no file can have (a NUL, bytes that are not UTF-8) with {@code EINVAL}. Resolving
 * looks at the requested name only (and at whether a configured path is a directory), so an
 * identity learns nothing of the files before its grant. Files are opened by {@link ServedFiles}:
 * by handle, no link followed, only regular files below a file directory.
 */
public final class DeviceCatalog {
  private static final Pattern TAPE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

  private final ServerConfig config;
  private final Policy policy;

  /** A catalog for {@code config}. */
  public DeviceCatalog(ServerConfig config) {
    this.config = config;
    this.policy = config.effectivePolicy();
  }

  /**
   * A device the catalog resolved and granted.
   *
   * @param key the lock key: one session per key at a time
   * @param path the file or device node
   * @param kind how to drive it
   * @param policyName the name rules match on
   * @param grant what the identity may do with it
   * @param fileDir for a file below a configured file directory, that directory, from which it is
   *     opened by handle; null for a path the configuration names itself
   */
  public record Device(
      String key, Path path, Policy.Kind kind, String policyName, Grant grant, Path fileDir) {
    /** True for tapes (virtual or real), false for plain files. */
    public boolean isTape() {
      return kind != Policy.Kind.FILE;
    }

    Device granted(Grant g) {
      return new Device(key, path, kind, policyName, g, fileDir);
    }
  }

  /**
   * Resolves a client's path for an identity.
   *
   * @throws TapeException {@code EACCES} when it names nothing served or is not granted; {@code
   *     EINVAL} for a path no file can have
   */
  public Device resolve(String requested, Identity who) throws TapeException {
    Device found = find(requested);
    if (found == null) {
      throw new TapeException(Errno.EACCES, "not served: " + requested);
    }
    Optional<Grant> grant = policy.grant(who, found.policyName());
    if (grant.isEmpty()) {
      throw new TapeException(Errno.EACCES, who + " is not granted " + found.policyName());
    }
    return found.granted(grant.get());
  }

  private Device find(String requested) throws TapeException {
    checkValid(requested);
    Optional<Policy.Device> declared = policy.device(requested);
    if (declared.isPresent()) {
      Policy.Device d = declared.get();
      return new Device(
          "dev:" + d.path().toAbsolutePath().normalize(), d.path(), d.kind(), d.name(), null, null);
    }
    if (TAPE_NAME.matcher(requested).matches()) {
      Path p = config.tapeDir().resolve(requested + ".tap");
      return new Device(
          "dev:" + p.toAbsolutePath().normalize(),
          p,
          Policy.Kind.VIRTUAL,
          "tape:" + requested,
          null,
          null);
    }
    if (requested.startsWith("/") && !hasDotDot(requested)) {
      Path p;
      try {
        p = Path.of(requested).normalize();
      } catch (InvalidPathException e) {
        throw TapeException.refusal(
            Errno.EINVAL, "Invalid path: not in the locale's charset", e.getMessage());
      }
      for (Path dir : config.fileDirs()) {
        Path root = dir.toAbsolutePath().normalize();
        if (p.startsWith(root) && !p.equals(root)) {
          return new Device("dev:" + p, p, Policy.Kind.FILE, p.toString(), null, root);
        }
        // A configured path that is a file serves that file, by exactly its path.
        if (p.equals(root) && !Files.isDirectory(root)) {
          return new Device("dev:" + p, p, Policy.Kind.FILE, p.toString(), null, null);
        }
      }
    }
    return null;
  }

  /**
   * Refuses, before anything else is looked at, a path no file can have: a NUL (which the C library
   * would cut the path at), or U+FFFD, which the request parser puts for bytes that are not UTF-8
   * and which would name a file other than the client meant.
   */
  private static void checkValid(String requested) throws TapeException {
    if (requested.indexOf('\0') >= 0) {
      throw TapeException.refusal(Errno.EINVAL, "Invalid path: it holds a NUL byte", requested);
    }
    if (requested.indexOf('\uFFFD') >= 0) {
      throw TapeException.refusal(Errno.EINVAL, "Invalid path: not UTF-8", requested);
    }
  }

  /**
   * Opens a granted device with the client's flags.
   *
   * @throws TapeException {@code EACCES} when the flags ask for more than the grant
   */
  public Tape open(Device device, OpenFlags flags) throws TapeException {
    checkFlags(device, flags);
    switch (device.kind()) {
      case VIRTUAL -> {
        try {
          Files.createDirectories(config.tapeDir());
        } catch (IOException e) {
          throw new TapeException(Errno.EIO, "cannot create tape directory", e);
        }
        // O_APPEND means "each write at end of file", which has no meaning on a tape; drop it.
        return SimhTape.open(
            device.path(), toOpenMode(flags.without(OpenFlag.APPEND)), config.tapeOptions());
      }
      case DRIVE -> {
        return DriveTape.open(
            device.path(), toOpenMode(flags.without(OpenFlag.APPEND).without(OpenFlag.CREAT)));
      }
      case FILE -> {
        // Append-only on a plain file: every write goes to its end, whatever the offset.
        boolean append = device.grant() == Grant.APPEND_ONLY && flags.mode().writes();
        return ServedFiles.open(
            device.fileDir(),
            device.path(),
            toOpenMode(append ? flags.with(OpenFlag.APPEND) : flags));
      }
      default -> throw new AssertionError(device.kind());
    }
  }

  private static void checkFlags(Device device, OpenFlags flags) throws TapeException {
    switch (device.grant()) {
      case READ_ONLY -> {
        if (flags.mode().writes() || flags.has(OpenFlag.CREAT) || flags.has(OpenFlag.TRUNC)) {
          throw new TapeException(Errno.EACCES, device.policyName() + " is read-only");
        }
      }
      case APPEND_ONLY -> {
        if (flags.has(OpenFlag.TRUNC)) {
          throw new TapeException(Errno.EACCES, device.policyName() + " is append-only");
        }
      }
      case FULL -> {}
    }
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
}
