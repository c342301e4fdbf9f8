package org.jrmt.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
  private final ReplyParser parser = new ReplyParser(Wire.ALLOC);
  private final List<Reply> out = new ArrayList<>();

  private void feed(String s) throws ProtocolException {
    ByteBuf b = Wire.ALLOC.buffer().writeBytes(Wire.bytes(s));
    try {
      parser.feed(b, out::add);
    } finally {
      b.release();
    }
  }

  @Test
  void ackErrorAndDataInOrder() throws Exception {
    parser.expect(Expectation.number());
    parser.expect(Expectation.dataUpTo(10));
    parser.expect(Expectation.numberUpTo(3));
    feed("A0\nA4\n0123E28\nNo space left on device\n");
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isEqualTo(new Reply.Ack(0));
    assertThat(Wire.text(((Reply.Data) out.get(1)).payload())).isEqualTo("0123");
    assertThat(out.get(2)).isEqualTo(new Reply.Error(28, "No space left on device"));
    Wire.releaseAll(out);
    assertThat(parser.outstanding()).isZero();
  }

  @Test
  void negativeIoctlCountFromDumpIsAccepted() throws Exception {
    parser.expect(Expectation.number());
    feed("A-5\n");
    assertThat(out).containsExactly(new Reply.Ack(-5));
  }

  @Test
  void fatalReplyIsAccepted() throws Exception {
    parser.expect(Expectation.number());
    feed("F5\nInput/output error\n");
    assertThat(out).containsExactly(new Reply.Fatal(5, "Input/output error"));
  }

  @Test
  void readCountAboveTheRequestIsRefusedBeforeAnyPayload() {
    // CVE-2010-0624: a hostile server announcing more data than was asked for.
    parser.expect(Expectation.dataUpTo(10));
    assertThatThrownBy(() -> feed("A11\n01234567890"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("exceeds the 10 requested");
    assertThat(out).isEmpty();
    assertThatThrownBy(() -> feed("A0\n")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void writeAckAboveTheCountIsRefused() {
    parser.expect(Expectation.numberUpTo(3));
    assertThatThrownBy(() -> feed("A4\n")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void unexpectedByteIsFatal() {
    parser.expect(Expectation.number());
    assertThatThrownBy(() -> feed("Last login: today\n"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unexpected byte");
  }

  @Test
  void replyToNoRequestIsFatal() {
    assertThatThrownBy(() -> feed("A0\n")).hasMessageContaining("to no request");
  }

  @Test
  void endlessLineIsCutOffAtTheLimit() {
    parser.expect(Expectation.number());
    assertThatThrownBy(() -> feed("A" + "1".repeat(100)))
        .hasMessageContaining("longer than " + ReplyParser.MAX_STATUS_LINE);
  }

  @Test
  void endlessMessageIsCutOffAtTheLimit() {
    parser.expect(Expectation.number());
    assertThatThrownBy(() -> feed("E5\n" + "x".repeat(2000)))
        .hasMessageContaining("longer than " + ReplyParser.MAX_MESSAGE_LINE);
  }

  @Test
  void junkNumbersAreFatal() {
    parser.expect(Expectation.number());
    assertThatThrownBy(() -> feed("A1x\n")).hasMessageContaining("not a number");
  }

  @Test
  void payloadSplitAcrossPieces() throws Exception {
    parser.expect(Expectation.dataUpTo(100));
    feed("A5");
    feed("\nhe");
    feed("llo");
    assertThat(out).hasSize(1);
    assertThat(Wire.text(((Reply.Data) out.get(0)).payload())).isEqualTo("hello");
    Wire.releaseAll(out);
  }

  @Test
  void zeroLengthDataIsEndOfFile() throws Exception {
    parser.expect(Expectation.dataUpTo(100));
    feed("A0\n");
    assertThat(((Reply.Data) out.get(0)).count()).isZero();
  }
}
