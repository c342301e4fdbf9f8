package org.jrmt.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jrmt.protocol.Wire.bytes;
import static org.jrmt.protocol.Wire.parse;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {

  @Nested
  class Open {
    @Test
    void gnuNumberAndNamesUsesTheNames() {
      assertThat(parse("O/dev/nst0\n65 O_WRONLY|O_CREAT\n"))
          .containsExactly(
              new Request.Open("/dev/nst0", OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT)));
    }

    @Test
    void dumpAccessModeAndNames() {
      Request.Open open = (Request.Open) parse("Otape\n1 O_WRONLY|O_CREAT|O_TRUNC\n").get(0);
      assertThat(open.flags())
          .isEqualTo(OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.TRUNC));
    }

    @Test
    void bareNumberKeepsOnlyTheAccessModeByDefault() {
      Request.Open open = (Request.Open) parse("Onew\n577\n").get(0);
      assertThat(open.flags()).isEqualTo(OpenFlags.of(AccessMode.WRITE_ONLY));
    }

    @Test
    void bareNumberCanBeTrustedAsLinuxBits() {
      ServerSyntax linux =
          new ServerSyntax(ParserLimits.DEFAULT, SeekOrder.OFFSET_FIRST, true, NumericFlags.LINUX);
      Request.Open open = (Request.Open) parse(linux, "Onew\n577\n").get(0);
      assertThat(open.flags())
          .isEqualTo(OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.TRUNC));
    }

    @Test
    void namesWithoutPrefixAndBlanksAroundBars() {
      Request.Open open = (Request.Open) parse("Ox\n WRONLY | CREAT |O_APPEND\n").get(0);
      assertThat(open.flags())
          .isEqualTo(OpenFlags.of(AccessMode.WRITE_ONLY, OpenFlag.CREAT, OpenFlag.APPEND));
    }

    @Test
    void unknownNameIsOneErrorAndTheSessionGoesOn() {
      List<Request> out = parse("Ot10\nO_BOGUS\nC\n");
      assertThat(out)
          .containsExactly(
              new Request.Invalid('O', Errno.EINVAL, "invalid open mode"), new Request.Close());
    }

    @Test
    void longPathsUpToTheCapAreKept() {
      String path = "/" + "d".repeat(4000);
      Request.Open open = (Request.Open) parse("O" + path + "\n0\n").get(0);
      assertThat(open.path()).isEqualTo(path);
    }
  }

  @Nested
  class Seek {
    @Test
    void bsdOrderIsTheDefaultWhenAmbiguous() {
      assertThat(parse("L0\n1\n")).containsExactly(new Request.Seek(0, 1));
    }

    @Test
    void gnuOrderWhenConfiguredForAmbiguousLines() {
      ServerSyntax gnu = ServerSyntax.DEFAULT.withSeekOrder(SeekOrder.WHENCE_FIRST, true);
      assertThat(parse(gnu, "L0\n1\n")).containsExactly(new Request.Seek(1, 0));
    }

    @Test
    void symbolicWhenceMeansWhenceFirst() {
      assertThat(parse("LSEEK_END\n-2\n")).containsExactly(new Request.Seek(-2, 2));
    }

    @Test
    void firstLineThatIsNoWhenceMeansOffsetFirst() {
      assertThat(parse("L20480\n0\n")).containsExactly(new Request.Seek(20480, 0));
    }

    @Test
    void secondLineThatIsNoWhenceMeansWhenceFirst() {
      assertThat(parse("L1\n184320\n")).containsExactly(new Request.Seek(184320, 1));
    }

    @Test
    void dumpTapePositionCodesStayOffsetFirst() {
      assertThat(parse("L5\n11\n")).containsExactly(new Request.Seek(5, 11));
      assertThat(parse("L0\n10\n")).containsExactly(new Request.Seek(0, 10));
    }

    @Test
    void forcedOrderIgnoresDetection() {
      ServerSyntax forced = ServerSyntax.DEFAULT.withSeekOrder(SeekOrder.OFFSET_FIRST, false);
      assertThat(parse(forced, "LSEEK_SET\n5\n"))
          .containsExactly(new Request.Invalid('L', Errno.EINVAL, "Invalid seek direction"));
    }

    @Test
    void gnuUnsignedWrapGivesTheNegativeOffset() {
      assertThat(parse("L2\n18446744073709551613\n")).containsExactly(new Request.Seek(-3, 2));
    }

    @Test
    void garbageIsInvalidButInStep() {
      assertThat(parse("Lx\ny\nC\n"))
          .containsExactly(
              new Request.Invalid('L', Errno.EINVAL, "Invalid seek direction"),
              new Request.Close());
    }
  }

  @Nested
  class Read {
    @Test
    void count() {
      assertThat(parse("R10240\n")).containsExactly(new Request.Read(10240));
    }

    @Test
    void carriageReturnAndBlanksAreTolerated() {
      assertThat(parse("R3\r\nR 4 \n")).containsExactly(new Request.Read(3), new Request.Read(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "", "1e3"})
    void badCountsAreInvalidAndTheSessionGoesOn(String count) {
      assertThat(parse("R" + count + "\nC\n"))
          .containsExactly(
              new Request.Invalid('R', Errno.EINVAL, "Invalid byte count"), new Request.Close());
    }

    @Test
    void countAboveTheRecordCapEndsTheSession() {
      assertThat(parse("R99999999999\nC\n"))
          .containsExactly(new Request.Violation(Errno.ENOMEM, "Cannot allocate memory"));
    }
  }

  @Nested
  class Write {
    @Test
    void payloadGluedToHeaderAndNextCommand() {
      List<Request> out = parse("W3\nabcW2\nxyC\n");
      assertThat(out).hasSize(3);
      assertThat(Wire.text(((Request.Write) out.get(0)).data())).isEqualTo("abc");
      assertThat(Wire.text(((Request.Write) out.get(1)).data())).isEqualTo("xy");
      assertThat(out.get(2)).isEqualTo(new Request.Close());
      Wire.releaseAll(out);
    }

    @Test
    void payloadSplitAcrossEveryByte() {
      List<Request> out = Wire.parse(ServerSyntax.DEFAULT, bytes("W5\nhelloR1\n"), 1, true);
      assertThat(out).hasSize(2);
      Request.Write w = (Request.Write) out.get(0);
      assertThat(Wire.text(w.data())).isEqualTo("hello");
      assertThat(w.count()).isEqualTo(5);
      assertThat(out.get(1)).isEqualTo(new Request.Read(1));
      Wire.releaseAll(out);
    }

    @Test
    void zeroAndNegativeCountsAreRefused() {
      assertThat(parse("W0\nW-4\nC\n"))
          .containsExactly(
              new Request.Invalid('W', Errno.EINVAL, "Invalid byte count"),
              new Request.Invalid('W', Errno.EINVAL, "Invalid byte count"),
              new Request.Close());
    }

    @Test
    void recordAboveTheCapEndsTheSessionWithoutAllocating() {
      ServerSyntax small = ServerSyntax.DEFAULT.withLimits(new ParserLimits(4096, 1024));
      assertThat(parse(small, "W1025\n" + "x".repeat(1025) + "C\n"))
          .containsExactly(new Request.Violation(Errno.ENOMEM, "Cannot allocate memory"));
    }

    @Test
    void payloadCutShortIsPrematureEof() {
      List<Request> out = Wire.parse(ServerSyntax.DEFAULT, bytes("W5\nab"), 3, true);
      assertThat(out).containsExactly(new Request.Violation(Errno.EIO, "Premature eof"));
    }
  }

  @Nested
  class Status {
    @Test
    void bareStatusIsAnsweredAtOnce() {
      RequestParser p = new RequestParser(ServerSyntax.DEFAULT, Wire.ALLOC);
      List<Request> out = new java.util.ArrayList<>();
      var b = Wire.ALLOC.buffer().writeBytes(bytes("S"));
      p.feed(b, out::add);
      b.release();
      assertThat(out).containsExactly(new Request.Status());
    }

    @Test
    void newlineRightAfterStatusIsDropped() {
      assertThat(parse("S\nC\n")).containsExactly(new Request.Status(), new Request.Close());
    }

    @Test
    void newlineArrivingInALaterPieceIsStillDropped() {
      assertThat(Wire.parse(ServerSyntax.DEFAULT, bytes("S\nS\n"), 1, true))
          .containsExactly(new Request.Status(), new Request.Status());
    }

    @Test
    void bareStatusFollowedByACommand() {
      assertThat(parse("SC\n")).containsExactly(new Request.Status(), new Request.Close());
    }

    @Test
    void secondNewlineIsGarbage() {
      assertThat(parse("S\n\n"))
          .containsExactly(
              new Request.Status(), new Request.Violation(Errno.EINVAL, "Garbage command"));
    }

    @Test
    void statusFieldsTakeOneByteEach() {
      assertThat(parse("sTsEsf"))
          .containsExactly(
              new Request.StatusField('T'),
              new Request.StatusField('E'),
              new Request.StatusField('f'));
    }
  }

  @Nested
  class Others {
    @Test
    void ioctlAndExtendedIoctl() {
      assertThat(parse("I-1\n0\nI6\n1\ni4\n3\n"))
          .containsExactly(
              new Request.Ioctl(-1, 0, false),
              new Request.Ioctl(6, 1, false),
              new Request.Ioctl(4, 3, true));
    }

    @Test
    void ioctlWithJunkIsInvalidInStep() {
      assertThat(parse("Ix\n1\nC\n"))
          .containsExactly(
              new Request.Invalid('I', Errno.EINVAL, "Invalid argument"), new Request.Close());
    }

    @Test
    void versionsAndClose() {
      assertThat(parse("V0\nv0\nCanything\n"))
          .containsExactly(
              new Request.Version(false, "0"), new Request.Version(true, "0"), new Request.Close());
    }

    @Test
    void negotiationAndPortableStatus() {
      assertThat(parse("N1\npipeline sticky-eot  status\nQ\n"))
          .containsExactly(
              new Request.Negotiate(1, List.of("pipeline", "sticky-eot", "status")),
              new Request.PortableStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X\n", "\n", "\u0000", "\r\n", "o/x\n0\n"})
    void unknownLetterEndsTheSession(String input) {
      assertThat(parse(input + "C\n"))
          .containsExactly(new Request.Violation(Errno.EINVAL, "Garbage command"));
    }

    @Test
    void overlongArgumentEndsTheSession() {
      assertThat(parse("O/" + "a".repeat(5000) + "\n0\n"))
          .containsExactly(new Request.Violation(Errno.EINVAL, "Argument too long"));
    }

    @Test
    void overlongArgumentIsCaughtBeforeItsNewlineArrives() {
      RequestParser p = new RequestParser(ServerSyntax.DEFAULT, Wire.ALLOC);
      List<Request> out = new java.util.ArrayList<>();
      var b = Wire.ALLOC.buffer().writeBytes(bytes("O/" + "a".repeat(4096)));
      p.feed(b, out::add);
      b.release();
      assertThat(out).containsExactly(new Request.Violation(Errno.EINVAL, "Argument too long"));
      assertThat(p.isDead()).isTrue();
    }
  }
}
