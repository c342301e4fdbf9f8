package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Linux dump's options jdump accepts, in both forms, read back by the stock restore. */
class JdumpOptionsTest {
  @TempDir Path tmp;

  private Path jdump() {
    return ProjectRoot.jrmt().resolveSibling("jdump");
  }

  @Test
  void compressionOptionsAreAcceptedAndTheRecordsStayPlain() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 30_000);
    Path file = tmp.resolve("plain.dump");
    Proc.Result r = Proc.of(jdump(), "-0", "-a", "-z9", "-j", "-y", "-f", file, src).run().ok();
    assertThat(r.stderr().lines().filter(l -> l.contains("uncompressed")))
        .containsExactly(
            "  DUMP: -z -j -y: jdump does not compress; records are written uncompressed, which"
                + " every restore reads");
    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(restore, "-r", "-y", "-f", file).in(out).run().ok();
    assertThat(TreeDiff.compare(src, out, StockDumpRoundTrip.RESTORE_FILES)).isEmpty();
  }

  @Test
  void helpListsTheOptions() {
    Proc.Result r = Proc.of(jdump(), "--help").run().ok();
    assertThat(r.stdout())
        .contains("usage: jdump")
        .contains("-E <FILE>")
        .contains("-e <INODE[,INODE…]>")
        .contains("-h <LEVEL>")
        .contains("uncompressed");
  }

  @Test
  void theKeyLetterFormTakesEveryOptionsValueInOrder() throws Exception {
    Path restore = Peers.require("restore");
    Path src = SampleTree.write(tmp.resolve("src"), 0);
    Path list = tmp.resolve("list");
    Files.writeString(list, Files.getAttribute(src.resolve("sub"), "unix:ino") + "\n");
    Path dates = tmp.resolve("dumpdates");
    Path file = tmp.resolve("keyed.dump");
    Proc.of(jdump(), "0ufbEDL", file, "16", list, dates, "keyed", src).run().ok();
    assertThat(Files.readString(dates)).startsWith(src + " 0 ");
    assertThat(Files.size(file) % 16_384).as("16 KiB records").isZero();
    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(restore, "-r", "-y", "-b", "16", "-f", file).in(out).run().ok();
    assertThat(TreeDiff.compare(src, out, StockDumpRoundTrip.RESTORE_FILES))
        .containsExactlyInAnyOrder(
            "missing: sub",
            "missing: sub/deeper",
            "missing: sub/deeper/records.bin",
            "missing: sub/odd.bin",
            "missing: sub/secret");
  }
}
