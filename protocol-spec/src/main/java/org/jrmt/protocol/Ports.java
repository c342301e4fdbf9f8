package org.jrmt.protocol;

/** The TCP ports jrmtd listens on unless told otherwise; the one place both ends learn them. */
public final class Ports {
  /** jrmtd's plain TCP port. */
  public static final int PLAIN = 4768;

  /** jrmtd's TLS port (client certificates required). */
  public static final int TLS = 4769;

  private Ports() {}
}
