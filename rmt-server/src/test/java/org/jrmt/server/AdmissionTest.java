package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bookkeeping of {@link Admission}, without sockets (those are in the network tests). */
class AdmissionTest {
  private final List<String> dropped = new ArrayList<>();

  private Admission.Connection named(String name) {
    return () -> dropped.add(name);
  }

  private static InetSocketAddress from(String ip) {
    return new InetSocketAddress(ip, 1234);
  }

  private static Admission admission(int sessions, int unauthenticated, int perAddress) {
    return new Admission(
        new ServerConfig.Builder(Path.of("/nonexistent"))
            .maxSessions(sessions)
            .maxSessionsPerIdentity(sessions)
            .maxUnauthenticated(unauthenticated)
            .maxUnauthenticatedPerAddress(perAddress)
            .build());
  }

  @Test
  void theOldestGoesFirstPerAddressThenOverall() {
    Admission a = admission(10, 4, 2);
    Admission.Connection a1 = named("a1");
    a.arrived(a1, from("192.0.2.1"));
    a.arrived(named("a2"), from("192.0.2.1"));
    a.arrived(named("b1"), from("192.0.2.2"));
    a.arrived(named("a3"), from("192.0.2.1"));
    assertThat(dropped).containsExactly("a1");
    assertThat(a.admit(a1, Identity.address("192.0.2.1"))).isEqualTo(Admission.Verdict.DROPPED);
    a.arrived(named("c1"), from("192.0.2.3"));
    a.arrived(named("d1"), from("192.0.2.4"));
    assertThat(dropped).containsExactly("a1", "a2");
    assertThat(a.unauthenticated()).isEqualTo(4);
  }

  @Test
  void admittedConnectionsLeaveTheQueueAndTakeSlotsUpToTheLimits() {
    Admission a = admission(2, 8, 8);
    List<Admission.Connection> cs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Admission.Connection c = named("c" + i);
      cs.add(c);
      a.arrived(c, from("192.0.2.1"));
    }
    Identity who = Identity.address("192.0.2.1");
    assertThat(a.admit(cs.get(0), who)).isEqualTo(Admission.Verdict.ADMITTED);
    assertThat(a.admit(cs.get(1), who)).isEqualTo(Admission.Verdict.ADMITTED);
    assertThat(a.admit(cs.get(2), who)).isEqualTo(Admission.Verdict.TOO_MANY_SESSIONS);
    assertThat(a.sessions()).isEqualTo(2);
    assertThat(a.unauthenticated()).isEqualTo(1);
    a.left(cs.get(3));
    assertThat(a.unauthenticated()).isZero();
    a.release(who);
    assertThat(a.sessions()).isEqualTo(1);
    assertThat(dropped).isEmpty();
  }

  @Test
  void anIpv6Slash64CountsAsOneAddress() {
    assertThat(Admission.addressOf(from("2001:db8:1:2::5")))
        .isEqualTo(Admission.addressOf(from("2001:db8:1:2:ffff::9")))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(Admission.addressOf(from("2001:db8:1:3::5"))).isNotEqualTo("2001:db8:1:2::/64");
    assertThat(Admission.addressOf(from("192.0.2.7"))).isEqualTo("192.0.2.7");
  }
}
