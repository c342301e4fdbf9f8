package org.jrmt.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {

  @Test
  void missingToolSkipsWithAnInstallHintOrFailsUnderCi() {
    Throwable t = catchThrowable(() -> Peers.require("jrmt-no-such-tool"));
    if ("true".equals(System.getenv("CI"))) {
      assertThat(t)
          .isInstanceOf(AssertionFailedError.class)
          .hasMessageContaining("CI=true")
          .hasMessageContaining("jrmt-no-such-tool not installed: apt-get install");
    } else {
      assertThat(t)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("jrmt-no-such-tool not installed: apt-get install");
    }
  }

  @Test
  void findsAnInstalledTool() {
    assertThat(Peers.find("sh")).hasValueSatisfying(p -> assertThat(p).isExecutable());
    assertThat(Peers.find("jrmt-no-such-tool")).isEmpty();
  }
}
