package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JrmtRshTest {
  @Test
  void parsesTheArgumentFormsOfGnuTarAndDump() {
    assertThat(JrmtRsh.Target.parse(new String[] {"tapehost", "/usr/sbin/rmt"}, null))
        .isEqualTo(new JrmtRsh.Target("tapehost", JrmtRsh.DEFAULT_PORT, null));
    assertThat(JrmtRsh.Target.parse(new String[] {"tapehost", "-l", "root", "/etc/rmt"}, "9000"))
        .isEqualTo(new JrmtRsh.Target("tapehost", 9000, "root"));
    assertThat(JrmtRsh.Target.parse(new String[] {"-l", "bob", "-n", "h", "rmt"}, ""))
        .isEqualTo(new JrmtRsh.Target("h", JrmtRsh.DEFAULT_PORT, "bob"));
    assertThatThrownBy(() -> JrmtRsh.Target.parse(new String[] {}, null))
        .hasMessageContaining("no host");
    assertThatThrownBy(() -> JrmtRsh.Target.parse(new String[] {"h"}, "x"))
        .hasMessageContaining("JRMT_PORT");
  }

  @Test
  void bridgesBothDirectionsAndHalfClosesUpstream() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread echo =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream();
                  byte[] all = in.readAllBytes(); // ends when the bridge half-closes
                  out.write(("A" + all.length + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      echo.start();
      Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          JrmtRsh.bridge(
              client, new ByteArrayInputStream("W3\nabc".getBytes(StandardCharsets.US_ASCII)), out);
      echo.join(10_000);
      assertThat(status).isZero();
      assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("A6\n");
    }
  }
}
