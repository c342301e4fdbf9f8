package org.jrmt.server;

import io.netty.buffer.ByteBufAllocator;
import org.jrmt.protocol.ServerSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up and ends sessions the same way for both servers, jrmtd ({@link SessionHandler}) and jrmt
 * ({@link StdioServer}): the engine with its device catalog and the shared device locks, the
 * request syntax the identity's policy rule asks for, and the end (device closed, lock given back,
 * one audit line), so that a session is bounded and audited alike whichever server runs it.
 * Thread-safe.
 */
final class SessionFactory {
  private static final Logger log = LoggerFactory.getLogger(SessionFactory.class);
  private static final Logger audit = LoggerFactory.getLogger("org.jrmt.audit");

  private final ServerConfig config;
  private final DeviceLocks locks;

  SessionFactory(ServerConfig config, DeviceLocks locks) {
    this.config = config;
    this.locks = locks;
  }

  ServerConfig config() {
    return config;
  }

  DeviceLocks locks() {
    return locks;
  }

  /** How {@code who}'s requests are read: {@code base}, with the {@code L} order of its rule. */
  ServerSyntax syntax(ServerSyntax base, Identity who) {
    return config
        .effectivePolicy()
        .seekOrder(who)
        .map(order -> base.withSeekOrder(order, base.detectSeekOrder()))
        .orElse(base);
  }

  /** A session for {@code who}, recording into {@code stats}, with buffers from {@code alloc}. */
  Session open(Identity who, SessionStats stats, ByteBufAllocator alloc) {
    return new Session(config, new DeviceCatalog(config), locks, alloc, stats, who);
  }

  /**
   * Ends a session (null: the connection never became one): closes its device and gives its lock
   * back, then writes the audit line, whatever fails on the way. Never throws.
   */
  void end(Session session, SessionStats stats, String how) {
    try {
      if (session != null) {
        session.close();
      }
    } catch (Throwable t) {
      log.error("ending the session of {}: {}", stats.peer(), t.toString());
      log.debug("ending the session failed", t);
    } finally {
      audit.info(stats.auditLine(how));
    }
  }
}
