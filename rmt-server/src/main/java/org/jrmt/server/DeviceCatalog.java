package org.jrmt.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.OpenFlag;
import org.jrmt.protocol.OpenFlags;
import org.jrmt.tape.AppendOnlyTape;
import org.jrmt.tape.DriveTape;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.ReadOnlyTape;
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
 *
 * <p>Policy is decided here, once, at open: {@link #open} wraps the device in the decorator of its
 * grant ({@link ReadOnlyTape}, {@link AppendOnlyTape}), and every later request of the session goes
 * through it. Refusals are {@link TapeException#refused refusals} whose message names the device,
 * the mode, the rule and the identity.
 */
public final class DeviceCatalog {
  /** The refusal's message for a path that names nothing served. */
  static final String NOT_SERVED = "not a tape, device or file this server serves";

  private static final Pattern TAPE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

  private final ServerConfig config;
  private final Policy policy;
  private final UnaryOperator<Tape> backends;

  /** A catalog for {@code config}. */
  public DeviceCatalog(ServerConfig config) {
    this(config, UnaryOperator.identity());
  }

  /**
   * A catalog whose devices, once open, are passed through {@code backends} before the policy
   * decorator wraps them (tests inject faults with it).
   */
  DeviceCatalog(ServerConfig config, UnaryOperator<Tape> backends) {
    this.config = config;
    this.policy = config.effectivePolicy();
    this.backends = backends;
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
   * @param grantedBy the rule and the identity, as {@code "rule 2, cert:backup-web1"}, for messages
   */
  public record Device(
      String key,
      Path path,
      Policy.Kind kind,
      String policyName,
      Grant grant,
      Path fileDir,
      String grantedBy) {
    /** True for tapes (virtual or real), false for plain files. */
    public boolean isTape() {
      return kind != Policy.Kind.FILE;
    }

    Device granted(Grant g, String by) {
      return new Device(key, path, kind, policyName, g, fileDir, by);
    }

    /** The device, its mode and who granted it, as policy refusals name them. */
    public String policy() {
      String mode = grant == null ? "not granted" : grant.configName();
      return policyName + " " + mode + (grantedBy == null ? "" : " (" + grantedBy + ")");
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
      // The same words whatever the reason (outside, a link, ..): nothing about the server's
      // files, and nothing of the client's own bytes echoed back.
      throw TapeException.refused(Errno.EACCES, NOT_SERVED);
    }
    Optional<Policy.Match> match = policy.match(who, found.policyName());
    if (match.isEmpty()) {
      throw TapeException.refused(
          Errno.EACCES, "no rule grants " + found.policyName() + " to " + who);
    }
    return found.granted(match.get().rule().grant(), "rule " + match.get().number() + ", " + who);
  }

  private Device find(String requested) throws TapeException {
    checkValid(requested);
    Optional<Policy.Device> declared = policy.device(requested);
    if (declared.isPresent()) {
      Policy.Device d = declared.get();
      return new Device(
          "dev:" + d.path().toAbsolutePath().normalize(),
          d.path(),
          d.kind(),
          d.name(),
          null,
          null,
          null);
    }
    if (TAPE_NAME.matcher(requested).matches()) {
      Path p = config.tapeDir().resolve(requested + ".tap");
      return new Device(
          "dev:" + p.toAbsolutePath().normalize(),
          p,
          Policy.Kind.VIRTUAL,
          "tape:" + requested,
          null,
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
          return new Device("dev:" + p, p, Policy.Kind.FILE, p.toString(), null, root, null);
        }
        // A configured path that is a file serves that file, by exactly its path.
        if (p.equals(root) && !Files.isDirectory(root)) {
          return new Device("dev:" + p, p, Policy.Kind.FILE, p.toString(), null, null, null);
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
   * Opens a granted device with the client's flags, behind the decorator of its grant: read-only
   * refuses every write; append-only positions a tape opened for writing at the end of its recorded
   * data (ignoring {@code O_TRUNC}, as a drive does), so the backup becomes the next file, and lets
   * nothing before that point change; a tape opened for reading stays where it is. Append-only
   * plain files get {@code O_APPEND} instead and refuse {@code O_TRUNC}.
   *
   * @throws TapeException {@code EACCES} when the flags ask for more than the grant
   */
  public Tape open(Device device, OpenFlags flags) throws TapeException {
    checkFlags(device, flags);
    boolean appendOnlyTape = device.grant() == Grant.APPEND_ONLY && device.isTape();
    Tape tape =
        backends.apply(backend(device, appendOnlyTape ? flags.without(OpenFlag.TRUNC) : flags));
    return switch (device.grant()) {
      case FULL -> tape;
      case READ_ONLY -> ReadOnlyTape.of(tape, device.policy());
      case APPEND_ONLY ->
          !appendOnlyTape
              ? tape
              : flags.mode().writes()
                  ? AppendOnlyTape.forWriting(tape, device.policy())
                  : AppendOnlyTape.forReading(tape, device.policy());
    };
  }

  private Tape backend(Device device, OpenFlags flags) throws TapeException {
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
          throw TapeException.refused(Errno.EACCES, "no write open: " + device.policy());
        }
      }
      case APPEND_ONLY -> {
        // A tape ignores O_TRUNC (the open appends); a file would be silently mixed instead.
        if (!device.isTape() && flags.has(OpenFlag.TRUNC)) {
          throw TapeException.refused(Errno.EACCES, "no O_TRUNC: " + device.policy());
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
