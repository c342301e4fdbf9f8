package org.jrmt.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Counts the sessions each identity holds, so one identity cannot take every slot. Thread-safe. */
final class IdentitySessions {
  private final int max;
  private final ConcurrentMap<Identity, Integer> held = new ConcurrentHashMap<>();

  IdentitySessions(int max) {
    this.max = max;
  }

  /** Takes a slot for {@code who}; false if it already holds the maximum. */
  boolean admit(Identity who) {
    boolean[] ok = {false};
    held.compute(
        who,
        (k, n) -> {
          int now = n == null ? 0 : n;
          ok[0] = now < max;
          return ok[0] ? now + 1 : n;
        });
    return ok[0];
  }

  /** Gives back a slot {@link #admit} took. */
  void release(Identity who) {
    held.computeIfPresent(who, (k, n) -> n <= 1 ? null : n - 1);
  }
}
