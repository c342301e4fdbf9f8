package org.jrmt.protocol;

/**
 * What a client expects as the reply to one request it sent; {@link ReplyParser} holds a queue of
 * these, one per outstanding request, and rejects any reply outside them.
 */
public final class Expectation {
  private enum Kind {
    ANY_NUMBER,
    NUMBER_UP_TO,
    DATA_UP_TO
  }

  private static final Expectation ANY = new Expectation(Kind.ANY_NUMBER, 0);

  private final Kind kind;
  private final long max;

  private Expectation(Kind kind, long max) {
    this.kind = kind;
    this.max = max;
  }

  /** {@code A} with any number (O, C, L, I, V): the number may even be negative. */
  public static Expectation number() {
    return ANY;
  }

  /** {@code A<n>} with 0 ≤ n ≤ {@code max} (W: a server may not claim more than was sent). */
  public static Expectation numberUpTo(long max) {
    return new Expectation(Kind.NUMBER_UP_TO, max);
  }

  /**
   * {@code A<n>} with 0 ≤ n ≤ {@code max} followed by n bytes (R, S, N, Q). The bound is the fix
   * for CVE-2010-0624: a server never gets to send more than the client asked for.
   */
  public static Expectation dataUpTo(int max) {
    return new Expectation(Kind.DATA_UP_TO, max);
  }

  /** The largest status payload accepted: every struct mtget layout fits. */
  public static final int MAX_STATUS = 256;

  /** The largest negotiation or portable-status payload accepted. */
  public static final int MAX_TEXT = 4096;

  /** The expectation for the reply to {@code request}. */
  public static Expectation forRequest(Request request) {
    if (request instanceof Request.Write w) {
      return numberUpTo(w.count());
    } else if (request instanceof Request.Read r) {
      return dataUpTo(r.count());
    } else if (request instanceof Request.Status) {
      return dataUpTo(MAX_STATUS);
    } else if (request instanceof Request.Negotiate || request instanceof Request.PortableStatus) {
      return dataUpTo(MAX_TEXT);
    }
    return number();
  }

  /** True when n bytes of payload follow the number. */
  boolean hasData() {
    return kind == Kind.DATA_UP_TO;
  }

  /** Null if {@code value} is acceptable, else why not. */
  String check(long value) {
    if (kind == Kind.ANY_NUMBER) {
      return null;
    }
    if (value < 0) {
      return "negative count A" + value;
    }
    if (value > max) {
      return "count A" + value + " exceeds the " + max + " requested";
    }
    return null;
  }

  @Override
  public String toString() {
    return kind + (kind == Kind.ANY_NUMBER ? "" : "(" + max + ")");
  }
}
