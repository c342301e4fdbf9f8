package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jrmt.protocol.testing.Peers;

/**
 * The stock Linux dump writing a loop image's file system to the virtual tape {@code NAME} through
 * an rsh stand-in, and the stock restore rebuilding it: the scenario the dump interop tests share,
 * whatever the transport behind the rsh.
 */
final class StockDumpRoundTrip {
  /** What restore adds to the target directory. */
  static final Set<String> RESTORE_FILES = Set.of("restoresymtable");

  private StockDumpRoundTrip() {}

  /**
   * Dumps {@code fs} with 10 KiB records to {@code tapes/NAME.tap} through {@code rsh}, checks the
   * tape holds 10 KiB records and one filemark, restores it into {@code out} and compares the
   * result with the image mounted read-only.
   */
  static void run(Path rsh, LoopImage fs, Path tapes, String name, Path out) throws Exception {
    Path dump = Peers.require("dump");
    Path restore = Peers.require("restore");
    Proc.Result d =
        Proc.of(dump, "-0", "-b", "10", "-f", "localhost:" + name, fs.device())
            .env("RSH", rsh)
            .run()
            .ok();
    assertThat(d.stderr()).contains("DUMP: Writing 10 Kilobyte records", "DUMP IS DONE");
    TapeContents tape = TapeContents.read(tapes.resolve(name + ".tap"));
    assertThat(tape.layout()).containsOnly(10_240, TapeContents.FILEMARK);
    assertThat(tape.filemarks()).isEqualTo(1);

    Files.createDirectories(out);
    Proc.of(restore, "-r", "-y", "-b", "10", "-f", "localhost:" + name)
        .env("RSH", rsh)
        .in(out)
        .run()
        .ok();
    Path mnt = fs.mount(true);
    try {
      assertThat(TreeDiff.compare(mnt, out, RESTORE_FILES)).isEmpty();
    } finally {
      fs.unmount();
    }
  }
}
