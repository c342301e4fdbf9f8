package org.jrmt.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 that adds a fixed one-way delay in each direction (a round trip through
 * it takes at least twice the delay) without limiting bandwidth.
 *
 * <p>Each accepted connection is forwarded to the target. In each direction one thread reads chunks
 * and stamps them with their arrival time, another delivers each chunk once its own arrival time
 * plus the delay has passed, in order; so the delay is applied to every chunk from its arrival, not
 * serially, and a stream of chunks keeps flowing at the rate it arrives. An end of stream is passed
 * on (as a half-close) after the same delay. Closing the relay closes the listening socket and
 * every connection.
 *
 * <p>Also runnable, for the benchmark harness: {@code LatencyRelay DELAY_MS TARGET_PORT [DELAY_MS
 * TARGET_PORT ...]} starts one relay per pair and prints {@code relay DELAY_MS TARGET_PORT
 * LISTEN_PORT} for each, then runs until killed.
 */
public final class LatencyRelay implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private record Chunk(byte[] data, int length, long due) {}

  private final InetSocketAddress target;
  private final long delayNanos;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  private LatencyRelay(InetSocketAddress target, Duration oneWayDelay) throws IOException {
    this.target = target;
    this.delayNanos = oneWayDelay.toNanos();
    this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.acceptor = new Thread(this::acceptLoop, "relay-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a relay to {@code target} delaying every chunk by {@code oneWayDelay} each way. */
  public static LatencyRelay start(InetSocketAddress target, Duration oneWayDelay)
      throws IOException {
    if (oneWayDelay.isNegative()) {
      throw new IllegalArgumentException("negative delay");
    }
    return new LatencyRelay(target, oneWayDelay);
  }

  /** The address to connect to instead of the target. */
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
  }

  /** The port to connect to instead of the target. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The one-way delay. */
  public Duration delay() {
    return Duration.ofNanos(delayNanos);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket server = new Socket();
      try {
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        server.connect(target, 10_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      sockets.add(client);
      sockets.add(server);
      Connection c = new Connection(client, server);
      direction(c, client, server, "up");
      direction(c, server, client, "down");
      if (closed) {
        closeQuietly(client);
        closeQuietly(server);
      }
    }
  }

  /** Both sockets of one relayed connection; closed when both directions have ended. */
  private final class Connection {
    private final Socket a;
    private final Socket b;
    private int ended;

    Connection(Socket a, Socket b) {
      this.a = a;
      this.b = b;
    }

    synchronized void directionEnded(boolean failed) {
      ended++;
      if (ended == 2 || failed) {
        closeQuietly(a);
        closeQuietly(b);
        sockets.remove(a);
        sockets.remove(b);
      }
    }
  }

  private void direction(Connection c, Socket from, Socket to, String name) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    String suffix = name + "-" + from.getPort() + "-" + to.getPort();
    Thread reader = new Thread(() -> read(c, from, queue), "relay-read-" + suffix);
    Thread writer = new Thread(() -> deliver(c, to, queue), "relay-write-" + suffix);
    reader.setDaemon(true);
    writer.setDaemon(true);
    synchronized (threads) {
      threads.removeIf(t -> !t.isAlive());
      threads.add(reader);
      threads.add(writer);
    }
    reader.start();
    writer.start();
  }

  private void read(Connection c, Socket from, BlockingQueue<Chunk> queue) {
    try {
      InputStream in = from.getInputStream();
      while (true) {
        byte[] buf = new byte[CHUNK];
        int n = in.read(buf);
        long now = System.nanoTime();
        if (n < 0) {
          queue.add(new Chunk(null, -1, now + delayNanos));
          return;
        }
        queue.add(new Chunk(buf, n, now + delayNanos));
      }
    } catch (IOException e) {
      queue.add(new Chunk(null, -2, System.nanoTime()));
    }
  }

  private void deliver(Connection c, Socket to, BlockingQueue<Chunk> queue) {
    boolean failed = true;
    try {
      OutputStream out = to.getOutputStream();
      while (true) {
        Chunk ch = queue.take();
        if (ch.length == -2) {
          break; // the reading side failed: drop the connection
        }
        long wait;
        while ((wait = ch.due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
          if (Thread.interrupted()) {
            return;
          }
        }
        if (ch.length == -1) {
          to.shutdownOutput();
          failed = false;
          break;
        }
        out.write(ch.data, 0, ch.length);
      }
    } catch (SocketException e) {
      // closed
    } catch (IOException e) {
      // peer gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      c.directionEnded(failed);
    }
  }

  /** Stops accepting, closes every relayed connection and waits for the relay's threads. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
    List<Thread> all;
    synchronized (threads) {
      all = new ArrayList<>(threads);
    }
    all.add(acceptor);
    for (Thread t : all) {
      t.interrupt();
    }
    for (Thread t : all) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // nothing more to do
    }
  }

  /** {@code LatencyRelay DELAY_MS TARGET_PORT [...]}: relays to 127.0.0.1 until killed. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args.length % 2 != 0) {
      System.err.println("usage: LatencyRelay DELAY_MS TARGET_PORT [DELAY_MS TARGET_PORT ...]");
      System.exit(2);
    }
    List<LatencyRelay> relays = new ArrayList<>();
    for (int i = 0; i < args.length; i += 2) {
      long ms = Long.parseLong(args[i]);
      int port = Integer.parseInt(args[i + 1]);
      LatencyRelay r = start(new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(ms));
      relays.add(r);
      System.out.println("relay " + ms + " " + port + " " + r.port());
    }
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> relays.forEach(LatencyRelay::close)));
    Object forever = new Object();
    synchronized (forever) {
      while (true) {
        forever.wait();
      }
    }
  }

  @Override
  public String toString() {
    return "LatencyRelay[" + Arrays.asList(port(), target, delay()) + "]";
  }
}
