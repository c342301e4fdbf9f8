package org.jrmt.server;

import java.util.Objects;

/**
 * Who a session speaks for: a TLS client certificate's common name ({@code cert:NAME}), the user an
 * ssh or rsh login ran {@code jrmt} as ({@code user:NAME}), or failing both the peer address
 * ({@code addr:IP}). Policy rules match on the text form.
 */
public record Identity(String kind, String name) {
  public Identity {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(name);
  }

  /** A TLS client certificate identity. */
  public static Identity certificate(String commonName) {
    return new Identity("cert", commonName);
  }

  /** A login user identity. */
  public static Identity user(String user) {
    return new Identity("user", user);
  }

  /** A network address identity. */
  public static Identity address(String ip) {
    return new Identity("addr", ip);
  }

  @Override
  public String toString() {
    return kind + ":" + name;
  }
}
