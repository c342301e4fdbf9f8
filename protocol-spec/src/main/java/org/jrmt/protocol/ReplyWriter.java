package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** Writes replies in wire form. Stateless; the server side of {@link ReplyParser}. */
public final class ReplyWriter {
  private ReplyWriter() {}

  /**
   * Writes the reply's text part: the whole reply for {@code A}, {@code E} and {@code F}, and the
   * {@code A<n>\n} header for {@link Reply.Data}, whose payload the caller sends right after it.
   */
  public static void writeHeader(Reply reply, ByteBuf out) {
    if (reply instanceof Reply.Ack a) {
      ascii(out, "A" + a.value() + "\n");
    } else if (reply instanceof Reply.Data d) {
      ascii(out, "A" + d.count() + "\n");
    } else if (reply instanceof Reply.Error e) {
      ascii(out, "E" + e.errno() + "\n" + e.message() + "\n");
    } else if (reply instanceof Reply.Fatal f) {
      ascii(out, "F" + f.errno() + "\n" + f.message() + "\n");
    } else {
      throw new IllegalArgumentException("unknown reply " + reply);
    }
  }

  /**
   * The whole reply as one buffer; for {@link Reply.Data} the payload is added by reference (not
   * copied) and the result owns one reference of it.
   */
  public static ByteBuf encode(Reply reply, ByteBufAllocator alloc) {
    ByteBuf header = alloc.buffer(32);
    writeHeader(reply, header);
    if (reply instanceof Reply.Data d) {
      return alloc.compositeBuffer(2).addComponents(true, header, d.payload().retainedDuplicate());
    }
    return header;
  }

  private static void ascii(ByteBuf out, String s) {
    out.writeCharSequence(s, StandardCharsets.US_ASCII);
  }
}
