package org.jrmt.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who gets in: the daemon's account of connections and session slots, shared by all listeners.
 * Thread-safe.
 *
 * <p>A connection is <em>unauthenticated</em> from its accept until its TLS handshake is done (or,
 * on plain TCP, until its first whole request): it holds no session slot then, only a place among
 * at most {@code maxUnauthenticated} such connections, and at most {@code
 * maxUnauthenticatedPerAddress} of them from one address (an IPv6 /64 counts as one address, since
 * one host easily holds all of one). A connection beyond either cap does not wait or get refused:
 * the oldest unauthenticated connection (of that address, or of all) is dropped to make room, so a
 * flood of silent connections can delay an honest client only by forcing it to finish its handshake
 * faster than the flood replaces the whole queue. Once authenticated, a connection takes a session
 * slot (at most {@code maxSessions}, and {@code maxSessionsPerIdentity} per identity) or is
 * refused.
 */
final class Admission {
  /** The outcome of {@link #admit}. */
  enum Verdict {
    ADMITTED,
    /** The connection had been dropped as the oldest; it is being closed. */
    DROPPED,
    TOO_MANY_SESSIONS,
    TOO_MANY_FOR_IDENTITY
  }

  /** A connection as admission sees it. */
  interface Connection {
    /** Drops it: it was the oldest unauthenticated connection over a cap. Any thread. */
    void drop();
  }

  private final int maxSessions;
  private final int maxUnauthenticated;
  private final int maxPerAddress;
  private final IdentitySessions perIdentity;

  /** Unauthenticated connections, oldest first, with the address each counts against. */
  private final LinkedHashMap<Connection, String> unauthenticated = new LinkedHashMap<>();

  private final Map<String, Deque<Connection>> byAddress = new HashMap<>();
  private int sessions;

  Admission(ServerConfig config) {
    this.maxSessions = config.maxSessions();
    this.maxUnauthenticated = config.maxUnauthenticated();
    this.maxPerAddress = config.maxUnauthenticatedPerAddress();
    this.perIdentity = new IdentitySessions(config.maxSessionsPerIdentity());
  }

  /**
   * Counts a new connection from {@code peer} as unauthenticated, dropping the oldest ones over the
   * caps (never {@code c} itself).
   */
  void arrived(Connection c, SocketAddress peer) {
    String address = addressOf(peer);
    List<Connection> drop = new ArrayList<>();
    synchronized (this) {
      Deque<Connection> same = byAddress.computeIfAbsent(address, a -> new ArrayDeque<>());
      while (same.size() >= maxPerAddress) {
        Connection old = same.pollFirst();
        unauthenticated.remove(old);
        drop.add(old);
      }
      while (unauthenticated.size() >= maxUnauthenticated) {
        Iterator<Map.Entry<Connection, String>> oldest = unauthenticated.entrySet().iterator();
        Map.Entry<Connection, String> old = oldest.next();
        oldest.remove();
        forget(old.getKey(), old.getValue());
        drop.add(old.getKey());
      }
      // The global round may have emptied and removed this address's queue: look it up again.
      byAddress.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(c);
      unauthenticated.put(c, address);
    }
    for (Connection old : drop) {
      old.drop();
    }
  }

  /**
   * {@code c} has authenticated as {@code who}: takes a session slot for it. Whatever the verdict,
   * it no longer counts as unauthenticated; only {@link Verdict#ADMITTED} must be {@link
   * #release}d.
   */
  synchronized Verdict admit(Connection c, Identity who) {
    String address = unauthenticated.remove(c);
    if (address == null) {
      return Verdict.DROPPED;
    }
    forget(c, address);
    if (sessions >= maxSessions) {
      return Verdict.TOO_MANY_SESSIONS;
    }
    if (!perIdentity.admit(who)) {
      return Verdict.TOO_MANY_FOR_IDENTITY;
    }
    sessions++;
    return Verdict.ADMITTED;
  }

  /** {@code c} closed before it authenticated (if it had not, nothing happens). */
  synchronized void left(Connection c) {
    String address = unauthenticated.remove(c);
    if (address != null) {
      forget(c, address);
    }
  }

  /** Gives back the slot an admitted session of {@code who} held. */
  synchronized void release(Identity who) {
    sessions--;
    perIdentity.release(who);
  }

  /** Sessions being served. */
  synchronized int sessions() {
    return sessions;
  }

  /** Unauthenticated connections held. */
  synchronized int unauthenticated() {
    return unauthenticated.size();
  }

  private void forget(Connection c, String address) {
    Deque<Connection> same = byAddress.get(address);
    if (same != null) {
      same.remove(c);
      if (same.isEmpty()) {
        byAddress.remove(address);
      }
    }
  }

  /** The address a peer counts against: its IPv4 address, or the /64 of its IPv6 address. */
  static String addressOf(SocketAddress peer) {
    if (!(peer instanceof InetSocketAddress a) || a.getAddress() == null) {
      return String.valueOf(peer);
    }
    InetAddress ip = a.getAddress();
    if (ip instanceof Inet6Address) {
      byte[] b = ip.getAddress();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        sb.append(Integer.toHexString((b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF))).append(':');
      }
      return sb.append(":/64").toString();
    }
    return ip.getHostAddress();
  }
}
