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
 * @param window bytes of input a session's queued {@code W} payloads may hold (their payloads, or
 *     the whole read buffer a small payload is a slice of) before the server stops reading from it
 * @param idleTimeout a session with no request for this long is closed
 * @param maxSessions sessions served at once; more are refused
 * @param maxSessionsPerIdentity sessions one identity may hold at once; more are refused
 * @param maxQueuedRequests requests a session may hold decoded but not yet executed before the
 *     server stops reading from it
 * @param maxQueuedReplyBytes bytes of replies a session may hold not yet taken by the client (plus
 *     the one reply being made) before its device thread waits for the client to read
 * @param loginGraceTime how long a connection may stay unauthenticated (TLS handshake not done, or
 *     on plain TCP no request yet) before it is closed, as sshd's {@code LoginGraceTime}
 * @param maxUnauthenticated unauthenticated connections held at once on all listeners; beyond it
 *     the oldest is dropped
 * @param maxUnauthenticatedPerAddress unauthenticated connections held at once from one address (an
 *     IPv6 /64); beyond it that address's oldest is dropped
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
    int maxQueuedRequests,
    int maxQueuedReplyBytes,
    Duration loginGraceTime,
    int maxUnauthenticated,
    int maxUnauthenticatedPerAddress,
    Policy policy) {

  /** Default window: 64 MiB of queued payload per session. */
  public static final int DEFAULT_WINDOW = 64 << 20;

  /** Default bound on decoded requests waiting for the device thread, per session. */
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 1024;

  /** Default bound on reply bytes waiting for the client, per session: 4 MiB. */
  public static final int DEFAULT_MAX_QUEUED_REPLY_BYTES = 4 << 20;

  /** Default login grace time: 30 s, as sshd's. */
  public static final Duration DEFAULT_LOGIN_GRACE_TIME = Duration.ofSeconds(30);

  public ServerConfig {
    Objects.requireNonNull(tapeDir);
    Objects.requireNonNull(tapeOptions);
    fileDirs = List.copyOf(fileDirs);
    Objects.requireNonNull(syntax);
    Objects.requireNonNull(statusLayout);
    Objects.requireNonNull(idleTimeout);
    Objects.requireNonNull(loginGraceTime);
    if (window < 1
        || maxSessions < 1
        || maxSessionsPerIdentity < 1
        || maxQueuedRequests < 1
        || maxQueuedReplyBytes < 1
        || maxUnauthenticated < 1
        || maxUnauthenticatedPerAddress < 1) {
      throw new IllegalArgumentException("session limits must be positive");
    }
    if (idleTimeout.isNegative()
        || idleTimeout.isZero()
        || loginGraceTime.isNegative()
        || loginGraceTime.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /** The embedded default: virtual tapes in {@code tapeDir} and nothing else. */
  public static ServerConfig defaults(Path tapeDir) {
    return new Builder(tapeDir).build();
  }

  /** The policy in force: the configured one, or the embedded default. */
  public Policy effectivePolicy() {
    return policy != null ? policy : Policy.defaults(fileDirs);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A copy with an explicit policy. */
  public ServerConfig withPolicy(Policy newPolicy) {
    return toBuilder().policy(newPolicy).build();
  }

  /** A copy with another tape directory. */
  public ServerConfig withTapeDir(Path dir) {
    return toBuilder().tapeDir(dir).build();
  }

  /** A copy with other virtual tape options. */
  public ServerConfig withTapeOptions(SimhTape.Options options) {
    return toBuilder().tapeOptions(options).build();
  }

  /** A copy that also serves files below (or named by) {@code dirs}. */
  public ServerConfig withFileDirs(List<Path> dirs) {
    return toBuilder().fileDirs(dirs).build();
  }

  /** A copy with another request syntax. */
  public ServerConfig withSyntax(ServerSyntax newSyntax) {
    return toBuilder().syntax(newSyntax).build();
  }

  /** A copy answering {@code I} with the count ({@code true}) or with 0. */
  public ServerConfig withIoctlRepliesCount(boolean count) {
    return toBuilder().ioctlRepliesCount(count).build();
  }

  /** A copy with other session limits. */
  public ServerConfig withLimits(
      int newWindow, Duration newIdleTimeout, int newMaxSessions, int newPerIdentity) {
    return toBuilder()
        .window(newWindow)
        .idleTimeout(newIdleTimeout)
        .maxSessions(newMaxSessions)
        .maxSessionsPerIdentity(newPerIdentity)
        .build();
  }

  /** Builds a {@link ServerConfig}; starts from the embedded default. */
  public static final class Builder {
    private Path tapeDir;
    private SimhTape.Options tapeOptions = SimhTape.Options.defaults();
    private List<Path> fileDirs = List.of();
    private ServerSyntax syntax = ServerSyntax.DEFAULT;
    private boolean ioctlRepliesCount = true;
    private MtGetLayout statusLayout = MtGetLayout.LINUX_LP64;
    private int window = DEFAULT_WINDOW;
    private Duration idleTimeout = Duration.ofHours(1);
    private int maxSessions = 64;
    private int maxSessionsPerIdentity = 16;
    private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
    private int maxQueuedReplyBytes = DEFAULT_MAX_QUEUED_REPLY_BYTES;
    private Duration loginGraceTime = DEFAULT_LOGIN_GRACE_TIME;
    // A host starting max-sessions clients at once (64 jobs, or a NAT) must not drop its own.
    private int maxUnauthenticated = 256;
    private int maxUnauthenticatedPerAddress = 64;
    private Policy policy;

    /** The embedded default with virtual tapes in {@code tapeDir}. */
    public Builder(Path tapeDir) {
      this.tapeDir = tapeDir;
    }

    private Builder(ServerConfig c) {
      tapeDir = c.tapeDir;
      tapeOptions = c.tapeOptions;
      fileDirs = c.fileDirs;
      syntax = c.syntax;
      ioctlRepliesCount = c.ioctlRepliesCount;
      statusLayout = c.statusLayout;
      window = c.window;
      idleTimeout = c.idleTimeout;
      maxSessions = c.maxSessions;
      maxSessionsPerIdentity = c.maxSessionsPerIdentity;
      maxQueuedRequests = c.maxQueuedRequests;
      maxQueuedReplyBytes = c.maxQueuedReplyBytes;
      loginGraceTime = c.loginGraceTime;
      maxUnauthenticated = c.maxUnauthenticated;
      maxUnauthenticatedPerAddress = c.maxUnauthenticatedPerAddress;
      policy = c.policy;
    }

    public Builder tapeDir(Path v) {
      tapeDir = v;
      return this;
    }

    public Builder tapeOptions(SimhTape.Options v) {
      tapeOptions = v;
      return this;
    }

    public Builder fileDirs(List<Path> v) {
      fileDirs = v;
      return this;
    }

    public Builder syntax(ServerSyntax v) {
      syntax = v;
      return this;
    }

    public Builder ioctlRepliesCount(boolean v) {
      ioctlRepliesCount = v;
      return this;
    }

    public Builder statusLayout(MtGetLayout v) {
      statusLayout = v;
      return this;
    }

    public Builder window(int v) {
      window = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder maxSessions(int v) {
      maxSessions = v;
      return this;
    }

    public Builder maxSessionsPerIdentity(int v) {
      maxSessionsPerIdentity = v;
      return this;
    }

    public Builder maxQueuedRequests(int v) {
      maxQueuedRequests = v;
      return this;
    }

    public Builder maxQueuedReplyBytes(int v) {
      maxQueuedReplyBytes = v;
      return this;
    }

    public Builder loginGraceTime(Duration v) {
      loginGraceTime = v;
      return this;
    }

    public Builder maxUnauthenticated(int v) {
      maxUnauthenticated = v;
      return this;
    }

    public Builder maxUnauthenticatedPerAddress(int v) {
      maxUnauthenticatedPerAddress = v;
      return this;
    }

    public Builder policy(Policy v) {
      policy = v;
      return this;
    }

    /** The configuration. */
    public ServerConfig build() {
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
          maxQueuedRequests,
          maxQueuedReplyBytes,
          loginGraceTime,
          maxUnauthenticated,
          maxUnauthenticatedPerAddress,
          policy);
    }
  }
}
