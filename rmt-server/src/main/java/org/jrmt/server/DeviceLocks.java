package org.jrmt.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.TapeException;

/**
 * One session per device at a time. A session takes a device's lock before opening it and gives it
 * back when it closes the device or ends, however it ends. Thread-safe.
 */
public final class DeviceLocks {
  private final ConcurrentMap<String, Object> held = new ConcurrentHashMap<>();

  /**
   * Takes the lock on {@code device} for {@code owner}.
   *
   * @throws TapeException {@code EBUSY} if another owner holds it
   */
  public void acquire(String device, Object owner) throws TapeException {
    Object previous = held.putIfAbsent(device, owner);
    if (previous != null && previous != owner) {
      throw new TapeException(Errno.EBUSY, "device " + device + " is in use by another session");
    }
  }

  /** Gives the lock back if {@code owner} holds it. */
  public void release(String device, Object owner) {
    held.remove(device, owner);
  }

  /** True when some session holds {@code device}. */
  public boolean isHeld(String device) {
    return held.containsKey(device);
  }
}
