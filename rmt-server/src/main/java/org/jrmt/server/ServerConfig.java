package org.jrmt.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jrmt.protocol.MtGetLayout;
import org.jrmt.protocol.ServerSyntax;
import org.jrmt.tape.SimhTape;

/**
 * Everything a session needs to know about the server it runs in. Immutable.
 *
 * @param tapeDir where virtual tapes live: a plain name {@code NAME} opens {@code tapeDir/NAME.tap}
 * @param tapeOptions capacity, end-of-tape mode and sync policy of virtual tapes
 * @param fileDirs directories whose files may be opened by full path, and files (such as {@code
 *     /dev/null}) that may be opened by exactly that path
 * @param syntax how requests are parsed (limits, {@code L} order, numeric flags)
 * @param ioctlRepliesCount answer {@code I} with {@code A<count>} (rmt-dump) rather than {@code A0}
 *     (GNU)
 * @param statusLayout the struct mtget layout sent for {@code S}
 * @param window payload bytes a session may hold queued before the server stops reading from it
 * @param idleTimeout a session with no request for this long is closed
 * @param maxSessions sessions served at once; more are refused
 * @param maxSessionsPerIdentity sessions one identity may hold at once; more are refused
 * @param policy who may open what, or null for the embedded default ({@link Policy#defaults(List)}:
 *     anyone, full access to the virtual tapes and the file directories)
 */
public record ServerConfig(
    Path tapeDir,
    SimhTape.Options tapeOptions,
    List<Path> fileDirs,
    ServerSyntax syntax,
    boolean ioctlRepliesCount,
    MtGetLayout statusLayout,
    int window,
    Duration idleTimeout,
    int maxSessions,
    int maxSessionsPerIdentity,
    Policy policy) {

  /** Default window: 64 MiB of queued payload per session. */
  public static final int DEFAULT_WINDOW = 64 << 20;

  public ServerConfig {
    Objects.requireNonNull(tapeDir);
    Objects.requireNonNull(tapeOptions);
    fileDirs = List.copyOf(fileDirs);
    Objects.requireNonNull(syntax);
    Objects.requireNonNull(statusLayout);
    Objects.requireNonNull(idleTimeout);
  }

  /** The embedded default: virtual tapes in {@code tapeDir} and nothing else. */
  public static ServerConfig defaults(Path tapeDir) {
    return new ServerConfig(
        tapeDir,
        SimhTape.Options.defaults(),
        List.of(),
        ServerSyntax.DEFAULT,
        true,
        MtGetLayout.LINUX_LP64,
        DEFAULT_WINDOW,
        Duration.ofHours(1),
        64,
        16,
        null);
  }

  /** The policy in force: the configured one, or the embedded default. */
  public Policy effectivePolicy() {
    return policy != null ? policy : Policy.defaults(fileDirs);
  }

  /** A copy with an explicit policy. */
  public ServerConfig withPolicy(Policy newPolicy) {
    return new ServerConfig(
        tapeDir,
        tapeOptions,
        fileDirs,
        syntax,
        ioctlRepliesCount,
        statusLayout,
        window,
        idleTimeout,
        maxSessions,
        maxSessionsPerIdentity,
        newPolicy);
  }

  /** A copy with another tape directory. */
  public ServerConfig withTapeDir(Path dir) {
    return new ServerConfig(
        dir,
        tapeOptions,
        fileDirs,
        syntax,
        ioctlRepliesCount,
        statusLayout,
        window,
        idleTimeout,
        maxSessions,
        maxSessionsPerIdentity,
        policy);
  }

  /** A copy with other virtual tape options. */
  public ServerConfig withTapeOptions(SimhTape.Options options) {
    return new ServerConfig(
        tapeDir,
        options,
        fileDirs,
        syntax,
        ioctlRepliesCount,
        statusLayout,
        window,
        idleTimeout,
        maxSessions,
        maxSessionsPerIdentity,
        policy);
  }

  /** A copy that also serves regular files below {@code dirs}. */
  public ServerConfig withFileDirs(List<Path> dirs) {
    return new ServerConfig(
        tapeDir,
        tapeOptions,
        dirs,
        syntax,
        ioctlRepliesCount,
        statusLayout,
        window,
        idleTimeout,
        maxSessions,
        maxSessionsPerIdentity,
        policy);
  }

  /** A copy with another request syntax. */
  public ServerConfig withSyntax(ServerSyntax newSyntax) {
    return new ServerConfig(
        tapeDir,
        tapeOptions,
        fileDirs,
        newSyntax,
        ioctlRepliesCount,
        statusLayout,
        window,
        idleTimeout,
        maxSessions,
        maxSessionsPerIdentity,
        policy);
  }

  /** A copy answering {@code I} with the count ({@code true}) or with 0. */
  public ServerConfig withIoctlRepliesCount(boolean count) {
    return new ServerConfig(
        tapeDir,
        tapeOptions,
        fileDirs,
        syntax,
        count,
        statusLayout,
        window,
        idleTimeout,
        maxSessions,
        maxSessionsPerIdentity,
        policy);
  }

  /** A copy with other session limits. */
  public ServerConfig withLimits(
      int newWindow, Duration newIdleTimeout, int newMaxSessions, int newPerIdentity) {
    return new ServerConfig(
        tapeDir,
        tapeOptions,
        fileDirs,
        syntax,
        ioctlRepliesCount,
        statusLayout,
        newWindow,
        newIdleTimeout,
        newMaxSessions,
        newPerIdentity,
        policy);
  }
}
