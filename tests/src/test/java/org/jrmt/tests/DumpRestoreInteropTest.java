package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linux dump/restore 0.4b47 as clients of {@code jrmt}: {@code RSH=SCRIPT}, tape {@code
 * localhost:NAME}. dump sends {@code O…\n1 O_WRONLY|O_CREAT|O_TRUNC}, 10 KiB W records with {@code
 * -b 10}, C, then reopens read-only and closes (its rewind); restore probes with {@code R32768} and
 * sizes its blocks from the 10240-byte reply.
 */
class DumpRestoreInteropTest {
  /** restore leaves this file behind in the directory it restores into. */
  private static final Set<String> RESTORE_FILES = Set.of("restoresymtable");

  @TempDir Path tmp;
  private Path dump;
  private Path restore;
  private Path tapes;

  @BeforeEach
  void setUp() throws Exception {
    dump = Peers.require("dump");
    restore = Peers.require("restore");
    tapes = tmp.resolve("tapes");
  }

  /** Fills a mounted file system with the sample tree plus a hard link. */
  private static void populate(Path root, int bulk) throws Exception {
    SampleTree.write(root, bulk);
    Files.createLink(root.resolve("hard link"), root.resolve("sub/odd.bin"));
  }

  private void compareWithImage(LoopImage fs, Path restored) {
    Path mnt = fs.mount(true);
    try {
      assertThat(TreeDiff.compare(mnt, restored, RESTORE_FILES)).isEmpty();
    } finally {
      fs.unmount();
    }
  }

  @Test
  void dumpAndRestoreRoundTripAFileSystem() throws Exception {
    Path rsh = RshScript.jrmt(tmp, tapes);
    try (LoopImage fs = LoopImage.create(tmp, 8)) {
      populate(fs.mount(false), 0);
      fs.unmount();

      Path out = tmp.resolve("out");
      StockDumpRoundTrip.run(rsh, fs, tapes, "d1", out);
      assertThat(Files.isSameFile(out.resolve("hard link"), out.resolve("sub/odd.bin"))).isTrue();
    }
  }

  @Test
  void restoreListsTheDumpWithTheDefaultProbe() throws Exception {
    Path rsh = RshScript.jrmt(tmp, tapes);
    try (LoopImage fs = LoopImage.create(tmp, 8)) {
      populate(fs.mount(false), 0);
      fs.unmount();
      Proc.of(dump, "-0", "-b", "10", "-f", "localhost:d2", fs.device()).env("RSH", rsh).run().ok();
      Proc.Result list =
          Proc.of(restore, "-t", "-f", "localhost:d2").env("RSH", rsh).in(tmp).run().ok();
      assertThat(list.stdout())
          .contains("./sub/odd.bin", "./hard link", "./empty dir", "./link", "./zero");
    }
  }

  /**
   * A dump larger than one small virtual tape, over dump's comma list of volumes. Note the list is
   * {@code localhost:m1,m2,m3}: dump takes the host from the first name only and sends the later
   * names as they are, so {@code localhost:m1,localhost:m2} would ask jrmt to open {@code
   * localhost:m2} (refused: E13). restore takes no such list (it asks for each next volume on
   * /dev/tty), so the set is read back with restore's {@code -M}, which reads the volumes {@code
   * mv001, mv002, …} in turn: the three tapes are linked under those names.
   */
  @ParameterizedTest
  @ValueSource(strings = {"enospc", "zero"})
  void multiVolumeDumpOverThreeSmallTapes(String eot) throws Exception {
    Path rsh = RshScript.jrmt(tmp, tapes, "--capacity", "300K", "--eot", eot);
    try (LoopImage fs = LoopImage.create(tmp, 8)) {
      populate(fs.mount(false), 550_000);
      fs.unmount();

      Proc.Result d =
          Proc.of(dump, "-0", "-b", "10", "-f", "localhost:m1,m2,m3", fs.device())
              .env("RSH", rsh)
              .run()
              .ok();
      assertThat(d.stderr())
          .contains("Dumping volume 2 on m2", "Dumping volume 3 on m3", "on 3 volume(s)");
      assertThat(d.stderr().split("End of tape detected", -1)).hasSize(3);
      if (eot.equals("enospc")) {
        // dump's writer processes each report the E28 of their pending record.
        assertThat(d.stderr()).contains("DUMP: write: No space left on device");
      } else {
        assertThat(d.stderr()).doesNotContain("No space left on device");
      }
      for (int v = 1; v <= 3; v++) {
        Path tape = tapes.resolve("m" + v + ".tap");
        assertThat(Files.size(tape)).isLessThanOrEqualTo(300 * 1024);
        assertThat(TapeContents.read(tape).layout())
            .as("m" + v)
            .containsOnly(10_240, TapeContents.FILEMARK)
            .endsWith(TapeContents.FILEMARK);
        Files.createLink(tapes.resolve("mv00" + v + ".tap"), tape);
      }

      Path out = Files.createDirectory(tmp.resolve("out"));
      Proc.of(restore, "-r", "-y", "-M", "-f", "localhost:mv").env("RSH", rsh).in(out).run().ok();
      compareWithImage(fs, out);
    }
  }
}
