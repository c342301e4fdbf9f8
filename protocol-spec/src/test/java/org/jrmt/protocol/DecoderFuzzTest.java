package org.jrmt.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes both decoders. In {@code mvn verify} these run in regression mode over the seed corpus in
 * {@code src/test/resources/org/jrmt/protocol/DecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} turns
 * them into fuzzing runs.
 */
class DecoderFuzzTest {

  /**
   * The server decoder only ever yields requests or one final violation, never throws, never
   * allocates past its record cap, and leaves nothing unreleased.
   */
  @FuzzTest(maxDuration = "30s")
  void requestParser(FuzzedDataProvider data) {
    int maxRecord = data.consumeInt(1, 4096);
    int maxArgument = data.consumeInt(64, 512);
    ServerSyntax syntax =
        new ServerSyntax(
            new ParserLimits(maxArgument, maxRecord),
            data.consumeBoolean() ? SeekOrder.OFFSET_FIRST : SeekOrder.WHENCE_FIRST,
            data.consumeBoolean(),
            NumericFlags.values()[data.consumeInt(0, 2)]);
    int piece = data.consumeInt(1, 128);
    byte[] input = data.consumeRemainingAsBytes();

    CappedAllocator alloc = new CappedAllocator(maxRecord);
    RequestParser parser = new RequestParser(syntax, alloc);
    List<Request> out = new ArrayList<>();
    List<ByteBuf> inputs = new ArrayList<>();
    for (int i = 0; i < input.length; i += piece) {
      ByteBuf b = Unpooled.wrappedBuffer(input, i, Math.min(piece, input.length - i));
      inputs.add(b);
      parser.feed(b, out::add);
      assertThat(b.isReadable()).isFalse();
      b.release();
    }
    parser.finish(out::add);

    for (int i = 0; i < out.size(); i++) {
      Request r = out.get(i);
      if (r instanceof Request.Violation) {
        assertThat(i).as("a violation is the last thing yielded").isEqualTo(out.size() - 1);
      }
      if (r instanceof Request.Write w) {
        assertThat(w.count()).isBetween(1, maxRecord);
        w.release();
      }
      if (r instanceof Request.Read rd) {
        assertThat(rd.count()).isBetween(0, maxRecord);
      }
    }
    for (ByteBuf b : inputs) {
      assertThat(b.refCnt()).as("input released once every payload is").isZero();
    }
    assertThat(alloc.unreleased()).as("gathered payloads released").isZero();
  }

  /**
   * The client decoder, facing a hostile server, yields only replies within what was asked, or one
   * {@link ProtocolException}; it never allocates more than the largest request.
   */
  @FuzzTest(maxDuration = "30s")
  void replyParser(FuzzedDataProvider data) {
    int requests = data.consumeInt(1, 8);
    int largest = 0;
    List<Expectation> expectations = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      switch (data.consumeInt(0, 2)) {
        case 0 -> expectations.add(Expectation.number());
        case 1 -> expectations.add(Expectation.numberUpTo(data.consumeInt(0, 1 << 20)));
        default -> {
          int n = data.consumeInt(0, 4096);
          largest = Math.max(largest, n);
          expectations.add(Expectation.dataUpTo(n));
        }
      }
    }
    int piece = data.consumeInt(1, 64);
    byte[] input = data.consumeRemainingAsBytes();
    ReplyParser parser = new ReplyParser(new CappedAllocator(largest));
    expectations.forEach(parser::expect);
    List<Reply> out = new ArrayList<>();
    try {
      for (int i = 0; i < input.length; i += piece) {
        ByteBuf b = Unpooled.wrappedBuffer(input, i, Math.min(piece, input.length - i));
        try {
          parser.feed(b, out::add);
        } finally {
          b.release();
        }
      }
    } catch (ProtocolException expected) {
      // A hostile or broken server: the parser must say so and stop.
    } finally {
      parser.close();
    }
    assertThat(out.size()).isLessThanOrEqualTo(requests);
    for (Reply r : out) {
      if (r instanceof Reply.Data d) {
        assertThat(d.count()).isLessThanOrEqualTo(largest);
        d.release();
      }
    }
  }
}
