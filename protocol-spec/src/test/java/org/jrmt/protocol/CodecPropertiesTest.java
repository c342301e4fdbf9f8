package org.jrmt.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every encoder/decoder pair round-trips, whatever the dialect and however the bytes are split. */
class CodecPropertiesTest {

  @Property(tries = 300)
  void requestsRoundTrip(
      @ForAll("requests") List<Request> requests,
      @ForAll("bsdFamilySyntax") ClientSyntax syntax,
      @ForAll @IntRange(min = 1, max = 64) int piece) {
    RequestWriter writer = new RequestWriter(syntax);
    ByteBuf wire = Wire.ALLOC.buffer();
    for (Request r : requests) {
      ByteBuf one = writer.encode(r, Wire.ALLOC);
      wire.writeBytes(one);
      one.release();
    }
    byte[] bytes = new byte[wire.readableBytes()];
    wire.readBytes(bytes);
    wire.release();
    ServerSyntax server = ServerSyntax.DEFAULT.withSeekOrder(syntax.seekOrder(), false);
    List<Request> parsed = Wire.parse(server, bytes, piece, true);
    try {
      assertThat(parsed).isEqualTo(requests);
    } finally {
      Wire.releaseAll(parsed);
      Wire.releaseAll(requests);
    }
  }

  @Property(tries = 300)
  void repliesRoundTrip(
      @ForAll("replies") List<Reply> replies, @ForAll @IntRange(min = 1, max = 64) int piece)
      throws ProtocolException {
    ReplyParser parser = new ReplyParser(Wire.ALLOC);
    ByteBuf wire = Wire.ALLOC.buffer();
    for (Reply r : replies) {
      parser.expect(
          r instanceof Reply.Data d ? Expectation.dataUpTo(d.count()) : Expectation.number());
      ByteBuf one = ReplyWriter.encode(r, Wire.ALLOC);
      wire.writeBytes(one);
      one.release();
    }
    List<Reply> parsed = new ArrayList<>();
    while (wire.isReadable()) {
      ByteBuf slice = wire.readSlice(Math.min(piece, wire.readableBytes()));
      parser.feed(slice, parsed::add);
    }
    wire.release();
    try {
      assertThat(parsed).isEqualTo(replies);
      assertThat(parser.outstanding()).isZero();
    } finally {
      Wire.releaseAll(parsed);
      Wire.releaseAll(replies);
    }
  }

  @Property(tries = 500)
  void openFlagsRoundTripInEverySyntaxWithNames(
      @ForAll AccessMode mode,
      @ForAll("flagSets") java.util.Set<OpenFlag> flags,
      @ForAll FlagSyntax syntax) {
    OpenFlags f = OpenFlags.of(mode, flags);
    String line = f.encode(syntax);
    switch (syntax) {
      case NAMES, NUMBER_AND_NAMES, ACCESS_MODE_AND_NAMES ->
          assertThat(OpenFlags.parse(line, NumericFlags.ACCESS_MODE_ONLY)).isEqualTo(f);
      case NUMERIC ->
          assertThat(OpenFlags.parse(line, NumericFlags.LINUX))
              .isEqualTo(OpenFlags.fromLinuxBits(f.linuxBits()));
      case NUMERIC_FREEBSD ->
          assertThat(OpenFlags.parse(line, NumericFlags.FREEBSD))
              .isEqualTo(OpenFlags.fromFreebsdBits(f.freebsdBits()));
    }
  }

  @Property(tries = 300)
  void mtgetRoundTripsInLinuxLayouts(
      @ForAll int type,
      @ForAll int resid,
      @ForAll int dsreg,
      @ForAll int gstat,
      @ForAll int erreg,
      @ForAll int fileno,
      @ForAll int blkno) {
    MtGet s = new MtGet(type, resid, dsreg, gstat, erreg, fileno, blkno);
    assertThat(MtGetLayout.LINUX_LP64.decode(MtGetLayout.LINUX_LP64.encode(s))).isEqualTo(s);
    assertThat(MtGetLayout.LINUX_ILP32.decode(MtGetLayout.LINUX_ILP32.encode(s))).isEqualTo(s);
  }

  @Provide
  Arbitrary<java.util.Set<OpenFlag>> flagSets() {
    return Arbitraries.of(OpenFlag.class).filter(f -> f != OpenFlag.IGNORED).set().ofMaxSize(6);
  }

  @Provide
  Arbitrary<ClientSyntax> bsdFamilySyntax() {
    return Combinators.combine(
            Arbitraries.of(SeekOrder.class),
            Arbitraries.of(
                FlagSyntax.NAMES, FlagSyntax.NUMBER_AND_NAMES, FlagSyntax.ACCESS_MODE_AND_NAMES),
            Arbitraries.of(true, false))
        .as(ClientSyntax::new);
  }

  @Provide
  Arbitrary<List<Request>> requests() {
    Arbitrary<String> path =
        Arbitraries.strings()
            .withCharRange('!', '~')
            .withChars('é', ' ')
            .ofMinLength(1)
            .ofMaxLength(200);
    Arbitrary<OpenFlags> flags =
        Combinators.combine(Arbitraries.of(AccessMode.class), flagSets()).as(OpenFlags::of);
    Arbitrary<Request> open = Combinators.combine(path, flags).as(Request.Open::new);
    Arbitrary<Request> seek =
        Combinators.combine(Arbitraries.longs(), Arbitraries.of(0, 1, 2, 3, 4, 10, 11))
            .as(Request.Seek::new);
    Arbitrary<Request> read = Arbitraries.integers().between(0, 1 << 20).map(Request.Read::new);
    Arbitrary<Request> write =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(300)
            .map(b -> new Request.Write(Wire.ALLOC.buffer(b.length).writeBytes(b)));
    Arbitrary<Request> ioctl =
        Combinators.combine(
                Arbitraries.integers(), Arbitraries.integers(), Arbitraries.of(true, false))
            .as(Request.Ioctl::new);
    Arbitrary<Request> fixed =
        Arbitraries.of(
            new Request.Close(),
            new Request.Status(),
            new Request.PortableStatus(),
            new Request.StatusField('T'),
            new Request.Version(false, "0"),
            new Request.Version(true, ""),
            new Request.Negotiate(1, List.of("pipeline", "sticky-eot", "status")));
    return Arbitraries.oneOf(open, seek, read, write, ioctl, fixed).list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<Reply>> replies() {
    Arbitrary<Reply> ack = Arbitraries.longs().map(Reply.Ack::new);
    Arbitrary<Reply> error =
        Combinators.combine(
                Arbitraries.integers().between(0, 200),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(60))
            .as(Reply.Error::new);
    Arbitrary<Reply> fatal =
        Arbitraries.integers().between(0, 200).map(n -> new Reply.Fatal(n, "x"));
    Arbitrary<Reply> data =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(300)
            .map(b -> new Reply.Data(Wire.ALLOC.buffer(b.length).writeBytes(b)));
    return Arbitraries.oneOf(ack, error, fatal, data).list().ofMaxSize(12);
  }
}
