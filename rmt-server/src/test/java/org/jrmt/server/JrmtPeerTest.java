package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who {@code jrmt} speaks for comes from what the environment cannot forge: the real uid, and for
 * socket activation the connection on stdin itself ({@code REMOTE_ADDR} only says it is one).
 */
class JrmtPeerTest {
  private static Optional<InetAddress> socket(String ip) throws Exception {
    return Optional.of(InetAddress.getByName(ip));
  }

  @Test
  void theUserIsTheRealUidNotUser() {
    assertThat(Jrmt.peer(Map.of("USER", "root", "LOGNAME", "root"), Optional.empty(), "alice"))
        .isEqualTo(Identity.user("alice"));
    assertThat(Jrmt.peer(Map.of(), Optional.empty(), "alice")).isEqualTo(Identity.user("alice"));
  }

  @Test
  void socketActivationIsThePeerOfTheSocketOnStdin() throws Exception {
    assertThat(Jrmt.peer(Map.of("REMOTE_ADDR", "127.0.0.1"), socket("127.0.0.1"), "jrmt"))
        .isEqualTo(Identity.address("127.0.0.1"));
    assertThat(Jrmt.peer(Map.of("REMOTE_ADDR", "2001:db8::1"), socket("2001:db8:0::1"), "jrmt"))
        .isEqualTo(Identity.address("2001:db8:0:0:0:0:0:1"));
  }

  @Test
  void aRemoteAddrThatTheSocketDoesNotConfirmIsIgnored() throws Exception {
    // Through ssh (AcceptEnv, environment=) or a pipe: no socket, or another peer.
    assertThat(Jrmt.peer(Map.of("REMOTE_ADDR", "10.1.2.3"), Optional.empty(), "alice"))
        .isEqualTo(Identity.user("alice"));
    assertThat(Jrmt.peer(Map.of("REMOTE_ADDR", "10.1.2.3"), socket("127.0.0.1"), "alice"))
        .isEqualTo(Identity.user("alice"));
    assertThat(Jrmt.peer(Map.of("REMOTE_ADDR", "not an address"), socket("127.0.0.1"), "alice"))
        .isEqualTo(Identity.user("alice"));
  }

  @Test
  void aSocketWithoutRemoteAddrIsARemoteShellLogin() throws Exception {
    // rshd hands the command its TCP connection as stdin; the identity is the login.
    assertThat(Jrmt.peer(Map.of(), socket("192.0.2.7"), "alice")).isEqualTo(Identity.user("alice"));
  }

  @Test
  void theRealUidIsKnownToThisProcess() {
    assertThat(Jrmt.realUser()).isEqualTo(System.getProperty("user.name"));
  }
}
