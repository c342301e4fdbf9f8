package org.jrmt.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: feed bytes to the parsers in chosen pieces and collect what comes out. */
final class Wire {
  /** Unpooled with leak-detection-friendly behaviour; tests check refCnt themselves. */
  static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private Wire() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Parses {@code input} fed in pieces of at most {@code piece} bytes, with {@code finish}. */
  static List<Request> parse(ServerSyntax syntax, byte[] input, int piece, boolean finish) {
    RequestParser parser = new RequestParser(syntax, ALLOC);
    List<Request> out = new ArrayList<>();
    for (int i = 0; i < input.length; i += piece) {
      ByteBuf buf = ALLOC.buffer();
      buf.writeBytes(input, i, Math.min(piece, input.length - i));
      parser.feed(buf, out::add);
      buf.release();
    }
    if (finish) {
      parser.finish(out::add);
    }
    return out;
  }

  static List<Request> parse(String input) {
    return parse(ServerSyntax.DEFAULT, bytes(input), Integer.MAX_VALUE, false);
  }

  static List<Request> parse(ServerSyntax syntax, String input) {
    return parse(syntax, bytes(input), Integer.MAX_VALUE, false);
  }

  static String text(ByteBuf b) {
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  static void releaseAll(List<?> objects) {
    objects.forEach(ReferenceCountUtil::release);
  }
}
