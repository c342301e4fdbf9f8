package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.jrmt.fs.Xattr;
import org.junit.jupiter.api.Test;

/** The EA block codec: the stock dump's own record, round trips, limits and damaged input. */
class XattrBlockTest {
  private static Xattr x(String name, byte[] value) {
    return new Xattr(name.getBytes(StandardCharsets.UTF_8), value);
  }

  private static Xattr x(String name, String value) {
    return x(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code getfattr -e base64} of {@code setfacl -m u:1234:rwx} on a 0644 file, as Linux hands it.
   */
  static final byte[] ACL_U1234 =
      Base64.getDecoder().decode("AgAAAAEABgD/////AgAHANIEAAAEAAQA/////xAABwD/////IAAEAP////8=");

  /** A default ACL with a named group, as Linux hands it. */
  static final byte[] DEFAULT_ACL_G99 =
      Base64.getDecoder().decode("AgAAAAEABwD/////BAAFAP////8IAAUAYwAAABAABQD/////IAAFAP////8=");

  @Test
  void theStockDumpsInInodeRecordDecodes() throws Exception {
    byte[] dump;
    try (InputStream in =
        Objects.requireNonNull(getClass().getResourceAsStream("fixtures/level0.dump"))) {
      dump = in.readAllBytes();
    }
    DumpHeader h = DumpHeader.decode(dump, 1331 * DumpHeader.TP_BSIZE);
    assertThat(h.isExtendedAttributes()).isTrue();
    assertThat(h.extAttributes()).isEqualTo(XattrBlock.EXT_XATTR);
    assertThat(h.flags()).isEqualTo(DumpHeader.DR_NEWINODEFMT | XattrBlock.DR_EXTATTRIBUTES);
    assertThat(h.size()).isEqualTo(256);
    byte[] data = Arrays.copyOfRange(dump, 1332 * 1024, 1333 * 1024);
    List<String> problems = new ArrayList<>();
    assertThat(XattrBlock.decode(data, (int) h.size(), problems))
        .containsExactly(x("user.jdump", "lab-value"));
    assertThat(problems).isEmpty();
  }

  @Test
  void aclsAreStoredInExt2sDiskFormAndComeBackAsLinuxHandsThemOut() {
    XattrBlock.Encoded e =
        XattrBlock.encode(
            List.of(
                x("user.color", "blue"),
                x("system.posix_acl_access", ACL_U1234),
                x("system.posix_acl_default", DEFAULT_ACL_G99)));
    assertThat(e.leftOut()).isEmpty();
    byte[] b = e.block();
    assertThat(b).hasSize(1024);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bb.getInt(0)).isEqualTo(0xEA020000);
    // Entries in ext2's order: user (1), then the access (2) and default (3) ACLs, no names.
    assertThat(b[32] & 0xFF).as("name length").isEqualTo(5);
    assertThat(b[33]).as("index").isEqualTo((byte) 1);
    int second = 32 + ((16 + 5 + 3) & ~3);
    assertThat(b[second]).isZero();
    assertThat(b[second + 1]).isEqualTo((byte) 2);
    int offs = bb.getShort(second + 2) & 0xFFFF;
    int size = bb.getInt(second + 8);
    // owner, named user 1234 rwx, group, mask, other: 4 short entries, 1 long one.
    byte[] disk = Arrays.copyOfRange(b, offs, offs + size);
    assertThat(disk)
        .isEqualTo(
            new byte[] {
              1,
              0,
              0,
              0,
              1,
              0,
              6,
              0,
              2,
              0,
              7,
              0,
              (byte) 0xD2,
              4,
              0,
              0,
              4,
              0,
              4,
              0,
              0x10,
              0,
              7,
              0,
              0x20,
              0,
              4,
              0
            });
    List<String> problems = new ArrayList<>();
    assertThat(XattrBlock.decode(b, b.length, problems))
        .containsExactly(
            x("user.color", "blue"),
            x("system.posix_acl_access", ACL_U1234),
            x("system.posix_acl_default", DEFAULT_ACL_G99));
    assertThat(problems).isEmpty();
  }

  @Test
  void whatDoesNotFitIsLeftOutWithItsReasonAndTheAclsGoFirst() {
    byte[] big = new byte[3000];
    Arrays.fill(big, (byte) 'b');
    List<Xattr> in =
        List.of(
            x("user.big", big),
            x("user.bigger", new byte[3500]),
            x("user.huge", new byte[5000]),
            x("system.posix_acl_access", ACL_U1234),
            x("trusted.t", "t"),
            x("security.selinux", "system_u:object_r:etc_t:s0\0"),
            x("system.richacl", "x"),
            x("user.", "only a namespace"),
            x("system.posix_acl_default", new byte[] {2, 0, 0, 0, 9, 9, 9, 9, 0, 0, 0, 0}));
    XattrBlock.Encoded e = XattrBlock.encode(in);
    assertThat(e.block().length).isEqualTo(4096);
    assertThat(e.carried())
        .containsExactlyInAnyOrder(
            x("user.big", big),
            x("system.posix_acl_access", ACL_U1234),
            x("trusted.t", "t"),
            x("security.selinux", "system_u:object_r:etc_t:s0\0"));
    assertThat(e.leftOut())
        .extracting(l -> new String(l.attribute().name(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder(
            "user.bigger", "user.huge", "system.richacl", "user.", "system.posix_acl_default");
    assertThat(e.leftOut().stream().map(Object::toString))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("extended attribute user.huge not carried: a value of 5000 bytes"))
        .anySatisfy(s -> assertThat(s).contains("user.bigger").contains("at most 4096 bytes"))
        .anySatisfy(s -> assertThat(s).contains("system.richacl").contains("no name index"))
        .anySatisfy(s -> assertThat(s).contains("posix_acl_default").contains("not a POSIX ACL"));
    assertThat(XattrBlock.decode(e.block(), 4096, new ArrayList<>()))
        .containsExactlyInAnyOrderElementsOf(e.carried());
  }

  @Test
  void cExtattributesSurvivesTheHeaderAndIsZeroOtherwise() throws Exception {
    DumpHeader plain =
        new DumpHeader(
            HeaderType.INODE,
            1,
            0,
            1,
            5,
            12,
            0100644,
            1,
            3,
            0,
            0,
            0,
            0,
            0x80000,
            0,
            0,
            1,
            null,
            "l",
            0,
            "/",
            "-",
            "h",
            DumpHeader.DR_NEWINODEFMT,
            0,
            10);
    assertThat(plain.extAttributes()).isZero();
    assertThat(plain.isExtendedAttributes()).isFalse();
    DumpHeader ea =
        new DumpHeader(
            HeaderType.INODE,
            1,
            0,
            1,
            6,
            12,
            0100644,
            1,
            1024,
            0,
            0,
            0,
            0,
            0x80000,
            0,
            0,
            1,
            null,
            "l",
            0,
            "/",
            "-",
            "h",
            DumpHeader.DR_NEWINODEFMT | XattrBlock.DR_EXTATTRIBUTES,
            0,
            10,
            XattrBlock.EXT_XATTR);
    byte[] bytes = ea.encode();
    assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(900)).isEqualTo(3);
    DumpHeader back = DumpHeader.decode(bytes, 0);
    assertThat(back).isEqualTo(ea);
    assertThat(back.extAttributes()).isEqualTo(XattrBlock.EXT_XATTR);
    assertThat(back.fileFlags()).isEqualTo(0x80000);
    assertThat(back.isExtendedAttributes()).isTrue();
  }

  @Test
  void nothingToCarryMeansNoRecord() {
    assertThat(XattrBlock.encode(List.of()).block()).isEmpty();
    assertThat(XattrBlock.encode(List.of(x("os2.x", "y"))).block()).isEmpty();
  }

  @Test
  void damageIsReportedAndTheRestIsRead() {
    XattrBlock.Encoded e = XattrBlock.encode(List.of(x("user.a", "1"), x("user.b", "2")));
    byte[] b = e.block();
    b[33] = 9; // the first entry's name index: unknown
    List<String> problems = new ArrayList<>();
    assertThat(XattrBlock.decode(b, b.length, problems)).containsExactly(x("user.b", "2"));
    assertThat(problems).singleElement().asString().contains("unknown name index");

    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(32 + 20 + 2, (short) 4000);
    problems.clear();
    assertThat(XattrBlock.decode(b, 1024, problems)).isEmpty();
    assertThat(problems).hasSize(2).last().asString().contains("outside the record");

    problems.clear();
    assertThat(XattrBlock.decode(new byte[] {1, 2, 3, 4, 5}, 5, problems)).isEmpty();
    assertThat(problems).singleElement().asString().contains("magic 04030201");
  }

  @Property(tries = 300)
  void anyBytesDecodeWithoutThrowing(@ForAll @Size(max = 4096) byte[] data, @ForAll boolean block) {
    if (data.length >= 4) {
      ByteBuffer.wrap(data)
          .order(ByteOrder.LITTLE_ENDIAN)
          .putInt(0, block ? XattrBlock.MAGIC : XattrBlock.MAGIC_IN_INODE);
    }
    List<String> problems = new ArrayList<>();
    List<Xattr> got = XattrBlock.decode(data, data.length, problems);
    assertThat(got.size() + problems.size()).isLessThanOrEqualTo(data.length / 16 + 2);
  }

  @Property(tries = 300)
  void whatIsCarriedDecodesExactlyAndNothingIsLost(@ForAll("attributes") List<Xattr> attributes) {
    XattrBlock.Encoded e = XattrBlock.encode(attributes);
    List<Xattr> accounted = new ArrayList<>(e.carried());
    e.leftOut().forEach(l -> accounted.add(l.attribute()));
    assertThat(accounted).containsExactlyInAnyOrderElementsOf(attributes);
    assertThat(e.block().length % 1024).isZero();
    assertThat(e.block().length).isLessThanOrEqualTo(XattrBlock.MAX_BYTES);
    if (e.block().length == 0) {
      assertThat(e.carried()).isEmpty();
    } else {
      List<String> problems = new ArrayList<>();
      List<Xattr> back = XattrBlock.decode(e.block(), e.block().length, problems);
      assertThat(problems).isEmpty();
      assertThat(back).containsExactlyInAnyOrderElementsOf(e.carried());
    }
    // Only the size limit leaves anything out of these.
    assertThat(e.leftOut()).allSatisfy(l -> assertThat(l.reason()).contains("4096"));
  }

  @Provide
  Arbitrary<List<Xattr>> attributes() {
    Arbitrary<String> prefix = Arbitraries.of("user.", "trusted.", "security.", "lustre.");
    Arbitrary<byte[]> suffix =
        Arbitraries.bytes().filter(b -> b != 0).array(byte[].class).ofMinSize(1).ofMaxSize(255);
    Arbitrary<byte[]> value =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(3000));
    Arbitrary<Xattr> plain =
        Combinators.combine(prefix, suffix, value)
            .as(
                (p, s, v) -> {
                  byte[] pb = p.getBytes(StandardCharsets.US_ASCII);
                  byte[] name = Arrays.copyOf(pb, pb.length + s.length);
                  System.arraycopy(s, 0, name, pb.length, s.length);
                  return new Xattr(name, v);
                });
    Arbitrary<Xattr> acl =
        Combinators.combine(
                Arbitraries.of("system.posix_acl_access", "system.posix_acl_default"),
                Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 7))
            .as((n, named, perm) -> x(n, acl(named, perm)));
    return Arbitraries.oneOf(plain, plain, acl)
        .list()
        .ofMaxSize(12)
        .uniqueElements(a -> new String(a.name(), StandardCharsets.ISO_8859_1));
  }

  /** A valid ACL in Linux's xattr form with {@code named} named users and groups. */
  private static byte[] acl(int named, int perm) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * (3 + named + (named > 0 ? 1 : 0)));
    b.order(ByteOrder.LITTLE_ENDIAN).putInt(2);
    b.putShort((short) 1).putShort((short) perm).putInt(-1);
    for (int i = 0; i < named; i++) {
      b.putShort((short) (i % 2 == 0 ? 2 : 8)).putShort((short) perm).putInt(1000 + i);
    }
    b.putShort((short) 4).putShort((short) perm).putInt(-1);
    if (named > 0) {
      b.putShort((short) 0x10).putShort((short) perm).putInt(-1);
    }
    b.putShort((short) 0x20).putShort((short) perm).putInt(-1);
    return b.array();
  }
}
