package org.jrmt.client;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a tape name on a command line means: a local path, or a remote device.
 *
 * <p>Forms, as classic clients read them plus jrmt's URLs:
 *
 * <ul>
 *   <li>{@code rmt://host[:port]/name} and {@code rmts://host[:port]/name}: jrmtd over plain TCP or
 *       TLS. The part after the authority's {@code /} is the device: a plain tape name stays as it
 *       is ({@code rmt://h/monday} opens {@code monday}); anything with a further {@code /} keeps
 *       its leading slash ({@code rmt://h/dev/nst0} opens {@code /dev/nst0}).
 *   <li>{@code [user@]host:path}: remote exactly when a {@code :} comes before any {@code /} and
 *       the name does not start with {@code :}, as GNU and dump decide ({@code ./a:b} and {@code
 *       /a:b} are local). It splits at the first {@code :}; the user is what precedes the first
 *       {@code @} of the host part only (GNU tar 1.34 looks for {@code @} in the whole name and so
 *       reads {@code host:/tmp/a@b} as user {@code host}, host {@code b}).
 *   <li>anything else: a local path.
 * </ul>
 *
 * User names are letters, digits, {@code _}, {@code .} and {@code -}; a newline anywhere is
 * refused, since it would end an rmt argument.
 */
public sealed interface DeviceName {
  /** A local file or device. */
  record Local(String path) implements DeviceName {}

  /** How a remote device is reached. */
  enum Scheme {
    /** {@code host:path}: jrmtd, or a classic rmt through {@code $RSH} when it is set. */
    HOST_PATH,
    /** {@code rmt://}: jrmtd over plain TCP. */
    RMT,
    /** {@code rmts://}: jrmtd over TLS. */
    RMTS
  }

  /** A remote device; {@code port} is -1 when the name gives none and {@code user} may be null. */
  record Remote(Scheme scheme, String user, String host, int port, String path)
      implements DeviceName {
    public Remote {
      Objects.requireNonNull(scheme);
      Objects.requireNonNull(host);
      Objects.requireNonNull(path);
    }
  }

  /** The user-name characters dump accepts, plus {@code .}. */
  Pattern USER = Pattern.compile("[A-Za-z0-9_.-]+");

  /**
   * Reads a tape name.
   *
   * @throws IllegalArgumentException with a one-line reason for a remote name that cannot be used
   */
  static DeviceName parse(String name) {
    if (name.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a tape name cannot contain a newline");
    }
    if (name.startsWith("rmt://") || name.startsWith("rmts://")) {
      return url(name);
    }
    int colon = name.indexOf(':');
    int slash = name.indexOf('/');
    if (colon <= 0 || (slash >= 0 && slash < colon)) {
      return new Local(name);
    }
    String hostPart = name.substring(0, colon);
    String path = name.substring(colon + 1);
    String user = null;
    int at = hostPart.indexOf('@');
    if (at >= 0) {
      user = hostPart.substring(0, at);
      hostPart = hostPart.substring(at + 1);
      if (!USER.matcher(user).matches()) {
        throw new IllegalArgumentException("invalid user name '" + user + "' in " + name);
      }
    }
    if (hostPart.isEmpty()) {
      throw new IllegalArgumentException("no host in " + name);
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("no device after the host in " + name);
    }
    return new Remote(Scheme.HOST_PATH, user, hostPart, -1, path);
  }

  private static Remote url(String name) {
    Scheme scheme = name.startsWith("rmts://") ? Scheme.RMTS : Scheme.RMT;
    String rest = name.substring(scheme == Scheme.RMTS ? 7 : 6);
    int slash = rest.indexOf('/');
    if (slash < 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException("no device in " + name);
    }
    String authority = rest.substring(0, slash);
    String device = rest.substring(slash + 1);
    if (device.indexOf('/') >= 0) {
      device = "/" + device;
    }
    String user = null;
    int at = authority.indexOf('@');
    if (at >= 0) {
      user = authority.substring(0, at);
      authority = authority.substring(at + 1);
      if (!USER.matcher(user).matches()) {
        throw new IllegalArgumentException("invalid user name '" + user + "' in " + name);
      }
    }
    String host = authority;
    int port = -1;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && !authority.endsWith("]")) {
      host = authority.substring(0, colon);
      try {
        port = Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = 0;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("invalid port in " + name);
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + name);
    }
    return new Remote(scheme, user, host, port, device);
  }
}
