package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LatencyRelay}: the round trip through it takes twice its delay, and bytes pass intact. */
class LatencyRelayTest {
  private ServerSocket echo;
  private Thread echoThread;

  /** An echo server on 127.0.0.1: copies each connection's bytes back until end of stream. */
  @BeforeEach
  void startEcho() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    echoThread =
        new Thread(
            () -> {
              while (true) {
                try {
                  Socket s = echo.accept();
                  Thread t =
                      new Thread(
                          () -> {
                            try (s) {
                              s.setTcpNoDelay(true);
                              s.getInputStream().transferTo(s.getOutputStream());
                              s.shutdownOutput();
                            } catch (IOException e) {
                              // the test sees it
                            }
                          });
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    echoThread.setDaemon(true);
    echoThread.start();
  }

  @AfterEach
  void stopEcho() throws Exception {
    echo.close();
    echoThread.join(5_000);
  }

  private InetSocketAddress echoAddress() {
    return new InetSocketAddress("127.0.0.1", echo.getLocalPort());
  }

  @Test
  void aRoundTripTakesAtLeastTwiceTheDelay() throws Exception {
    Duration delay = Duration.ofMillis(25);
    try (LatencyRelay relay = LatencyRelay.start(echoAddress(), delay);
        Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(relay.address());
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        out.write('a' + i);
        out.flush();
        int b = in.read();
        long rtt = System.nanoTime() - t0;
        assertThat(b).isEqualTo('a' + i);
        assertThat(Duration.ofNanos(rtt)).isGreaterThanOrEqualTo(delay.multipliedBy(2));
      }
      s.shutdownOutput();
      assertThat(in.read()).isEqualTo(-1); // the half-close passes through, then the echo's
    }
  }

  @Test
  void tenMegabytesPassIntactAndInOrderBothWays() throws Exception {
    byte[] data = new byte[10 << 20];
    new Random(42).nextBytes(data);
    try (LatencyRelay relay = LatencyRelay.start(echoAddress(), Duration.ofMillis(5));
        Socket s = new Socket()) {
      s.connect(relay.address());
      CompletableFuture<byte[]> back =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  ByteArrayOutputStream got = new ByteArrayOutputStream(data.length);
                  s.getInputStream().transferTo(got);
                  return got.toByteArray();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      OutputStream out = s.getOutputStream();
      Random sizes = new Random(7);
      for (int off = 0; off < data.length; ) {
        int n = Math.min(data.length - off, 1 + sizes.nextInt(100_000));
        out.write(data, off, n);
        off += n;
      }
      s.shutdownOutput();
      byte[] got = back.get(20, TimeUnit.SECONDS);
      assertThat(got.length).isEqualTo(data.length);
      assertThat(got).isEqualTo(data);
    }
  }

  @Test
  void closingTheRelayEndsItsConnections() throws Exception {
    LatencyRelay relay = LatencyRelay.start(echoAddress(), Duration.ofMillis(1));
    try (Socket s = new Socket()) {
      s.connect(relay.address());
      s.getOutputStream().write(1);
      assertThat(s.getInputStream().read()).isEqualTo(1);
      relay.close();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    try (Socket again = new Socket()) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(() -> again.connect(relay.address())))
          .isInstanceOf(IOException.class);
    }
  }
}
