package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;

/**
 * The README's first command ends in {@code bin/jrmt-demo}: the main job on the embedded default
 * (jrmtd on loopback, jdump and the classic clients across the network, jrestore and the stock
 * restore back, a compare after each). It must keep working as the code under it changes.
 */
class DemoTest {
  @Test
  void theDemoRunsToTheEnd() throws Exception {
    Peers.require("tar");
    Peers.require("restore");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Proc.Result r =
        Proc.of(ProjectRoot.jrmt().resolveSibling("jrmt-demo"))
            .env("JRMT_PORT", port)
            .timeout(Duration.ofMinutes(3))
            .run();
    assertThat(r.exit()).as(r.describe("jrmt-demo")).isZero();
    assertThat(r.stdout().strip())
        .contains("jrestore: restored tree is identical")
        .contains("stock restore: restored tree is identical")
        .contains("tar: restored tree is identical")
        .endsWith("jrmt demo: OK");
  }
}
