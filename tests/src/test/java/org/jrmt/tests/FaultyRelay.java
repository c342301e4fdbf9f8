package org.jrmt.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy for one connection that can be broken on demand, as a firewall or a failing link
 * would: reset both ends, or silently drop everything flowing one way (a black hole), or both ways
 * (a stalled peer). Only for faults no real peer can be made to produce.
 */
final class FaultyRelay implements AutoCloseable {
  /** Which way bytes flow. */
  enum Direction {
    TO_SERVER,
    TO_CLIENT
  }

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final boolean[] dropping = new boolean[2];
  private Socket client;
  private Socket server;

  private FaultyRelay(InetSocketAddress target) throws IOException {
    this.target = target;
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "faulty-relay");
    t.setDaemon(true);
    t.start();
  }

  /** A relay to {@code target}, listening on an ephemeral loopback port. */
  static FaultyRelay start(InetSocketAddress target) throws IOException {
    return new FaultyRelay(target);
  }

  /** Where clients connect. */
  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
  }

  private void accept() {
    try {
      Socket c = listener.accept();
      Socket s = new Socket();
      s.connect(target, 5_000);
      synchronized (this) {
        client = c;
        server = s;
      }
      pump(c, s, Direction.TO_SERVER);
      pump(s, c, Direction.TO_CLIENT);
    } catch (IOException e) {
      // closed
    }
  }

  private void pump(Socket from, Socket to, Direction d) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                  if (!dropping(d)) {
                    out.write(buf, 0, n);
                  }
                }
                if (!dropping(d)) {
                  to.shutdownOutput();
                }
              } catch (IOException e) {
                // reset or closed: the other pump sees it too
              }
            },
            "faulty-relay-" + d);
    t.setDaemon(true);
    t.start();
  }

  private synchronized boolean dropping(Direction d) {
    return dropping[d.ordinal()];
  }

  /** From now on, bytes flowing {@code d} vanish; the sockets stay open. */
  synchronized void blackHole(Direction d) {
    dropping[d.ordinal()] = true;
  }

  /** Both ways at once: the peer seems alive but says and hears nothing. */
  synchronized void stall() {
    blackHole(Direction.TO_SERVER);
    blackHole(Direction.TO_CLIENT);
  }

  /** Resets both connections (RST), as a firewall dropping the flow would. */
  synchronized void reset() throws IOException {
    for (Socket s : new Socket[] {client, server}) {
      s.setSoLinger(true, 0);
      s.close();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    listener.close();
    for (Socket s : new Socket[] {client, server}) {
      if (s != null) {
        s.close();
      }
    }
  }
}
