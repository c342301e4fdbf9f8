package org.jrmt.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.ClientSyntax;
import org.jrmt.protocol.Expectation;
import org.jrmt.protocol.ProtocolException;
import org.jrmt.protocol.Reply;
import org.jrmt.protocol.ReplyParser;
import org.jrmt.protocol.Request;
import org.jrmt.protocol.RequestWriter;

/**
 * A {@link Wire} over the pipes of a classic rmt server run by {@code $RSH host -l user $RMT}.
 * Requests are written by one thread and replies read by another, so a server that stops reading or
 * answering cannot block the caller beyond its reply timeout. The server's standard error goes to
 * ours, as with classic clients.
 */
final class ExecWire extends Wire {
  private final Process process;
  private final OutputStream toServer;
  private final InputStream fromServer;
  private final ReplyParser parser = new ReplyParser(ByteBufAllocator.DEFAULT);
  private final ExecutorService writer;
  private volatile RequestWriter requestWriter;

  private ExecWire(Process process, ClientSyntax syntax) {
    this.process = process;
    this.toServer = process.getOutputStream();
    this.fromServer = process.getInputStream();
    this.requestWriter = new RequestWriter(syntax);
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jrmt-exec-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts {@code command} and reads its replies. */
  static ExecWire start(List<String> command, ClientSyntax syntax) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    ExecWire w = new ExecWire(p, syntax);
    Thread reader = new Thread(w::readLoop, "jrmt-exec-reader");
    reader.setDaemon(true);
    reader.start();
    return w;
  }

  /** Changes how later requests are written (once the server's dialect is known). */
  void syntax(ClientSyntax syntax) {
    requestWriter = new RequestWriter(syntax);
  }

  @Override
  void send(Request request) {
    ByteBuf bytes;
    try {
      bytes = requestWriter.encode(request, ByteBufAllocator.DEFAULT);
    } finally {
      release(request);
    }
    synchronized (parser) {
      parser.expect(Expectation.forRequest(request));
    }
    try {
      writer.execute(
          () -> {
            try {
              bytes.readBytes(toServer, bytes.readableBytes());
              toServer.flush();
            } catch (IOException e) {
              String status = exitStatus();
              fail(
                  status.isEmpty()
                      ? new IOException("cannot send to the server: " + e.getMessage(), e)
                      : new IOException("connection closed by the server" + status, e));
            } finally {
              bytes.release();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      bytes.release();
    }
  }

  private void readLoop() {
    byte[] buf = new byte[64 * 1024];
    try {
      for (int n; (n = fromServer.read(buf)) >= 0; ) {
        // A copy: payload slices outlive this buffer, which the next read overwrites.
        ByteBuf in = Unpooled.copiedBuffer(buf, 0, n);
        List<Reply> replies = new ArrayList<>();
        try {
          synchronized (parser) {
            parser.feed(in, replies::add);
          }
        } catch (ProtocolException e) {
          replies.forEach(this::received);
          throw e;
        }
        // Delivered outside the parser's lock: submit takes the wire's lock, then the parser's.
        replies.forEach(this::received);
      }
      fail(new IOException("connection closed by the server" + exitStatus()));
    } catch (ProtocolException e) {
      fail(e);
    } catch (IOException e) {
      fail(new IOException("connection lost: " + e.getMessage(), e));
    }
  }

  private String exitStatus() {
    try {
      if (process.waitFor(1, TimeUnit.SECONDS)) {
        return " (exit status " + process.exitValue() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  /**
   * Ends the server in order: end of input (every rmt server closes and exits on it), a short wait,
   * then a kill.
   */
  @Override
  public void close() {
    try {
      writer.execute(
          () -> {
            try {
              toServer.close();
            } catch (IOException e) {
              // already gone
            }
          });
      writer.shutdown();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the wire failed earlier and the writer is stopped
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    super.close();
  }

  @Override
  void shutdown() {
    writer.shutdownNow();
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    synchronized (parser) {
      parser.close();
    }
  }
}
