package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Writes requests in wire form for a given server syntax; the client side of {@link RequestParser}.
 */
public final class RequestWriter {
  private final ClientSyntax syntax;

  /** A writer for servers that read {@code syntax}. */
  public RequestWriter(ClientSyntax syntax) {
    this.syntax = syntax;
  }

  /**
   * Writes the request's text part: all of it, or for {@link Request.Write} the {@code W<count>\n}
   * header, after which the caller sends the payload.
   *
   * @throws IllegalArgumentException for requests a client cannot send ({@link Request.Invalid},
   *     {@link Request.Violation}) and for arguments containing a newline
   */
  public void writeHeader(Request request, ByteBuf out) {
    ascii(out, text(request));
  }

  /**
   * The whole request as one buffer; a {@link Request.Write} payload is added by reference (not
   * copied) and the result owns one reference of it.
   */
  public ByteBuf encode(Request request, ByteBufAllocator alloc) {
    ByteBuf header = alloc.buffer(64);
    writeHeader(request, header);
    if (request instanceof Request.Write w) {
      return alloc.compositeBuffer(2).addComponents(true, header, w.data().retainedDuplicate());
    }
    return header;
  }

  private String text(Request request) {
    if (request instanceof Request.Open o) {
      return "O" + arg(o.path()) + "\n" + o.flags().encode(syntax.flagSyntax()) + "\n";
    } else if (request instanceof Request.Close) {
      return "C\n";
    } else if (request instanceof Request.Seek s) {
      return syntax.seekOrder() == SeekOrder.OFFSET_FIRST
          ? "L" + s.offset() + "\n" + s.whence() + "\n"
          : "L" + s.whence() + "\n" + s.offset() + "\n";
    } else if (request instanceof Request.Read r) {
      return "R" + r.count() + "\n";
    } else if (request instanceof Request.Write w) {
      return "W" + w.count() + "\n";
    } else if (request instanceof Request.Ioctl i) {
      return i.letter() + Integer.toString(i.op()) + "\n" + i.count() + "\n";
    } else if (request instanceof Request.Status) {
      return syntax.statusNewline() ? "S\n" : "S";
    } else if (request instanceof Request.StatusField f) {
      return "s" + f.field();
    } else if (request instanceof Request.Version v) {
      return v.letter() + arg(v.argument()) + "\n";
    } else if (request instanceof Request.Negotiate n) {
      return "N" + n.version() + "\n" + arg(String.join(" ", n.capabilities())) + "\n";
    } else if (request instanceof Request.PortableStatus) {
      return "Q\n";
    }
    throw new IllegalArgumentException("not a request a client sends: " + request);
  }

  private static String arg(String s) {
    if (s.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("newline in an rmt argument");
    }
    return s;
  }

  private static void ascii(ByteBuf out, String s) {
    // Paths may be UTF-8; everything else is ASCII, which UTF-8 leaves unchanged.
    out.writeCharSequence(s, StandardCharsets.UTF_8);
  }
}
