package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.server.NetworkServer;
import org.jrmt.server.ServerConfig;
import org.jrmt.tape.EndOfTapeMode;
import org.jrmt.tape.SimhTape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * jdump across volumes, read back by the stock restore: clean cuts with {@code -B}, and end of tape
 * met by the device, where every record the volume did not take is replayed on the next one
 * (pipelined to jrmtd, where the client has sent far past the end, and stop-and-wait through {@code
 * $RSH}). A volume change that would write over a volume of the set in progress (a {@code -F}
 * script that changed nothing, a name given twice) is refused, and the volume stays intact.
 */
class JdumpVolumesTest {
  private static final Set<String> RESTORE_FILES = Set.of("restoresymtable");

  @TempDir Path tmp;

  private Path jdump() {
    return ProjectRoot.jrmt().resolveSibling("jdump");
  }

  private Path tree() throws Exception {
    return SampleTree.write(tmp.resolve("src"), 600_000);
  }

  @Test
  void cleanCutsWithDashB() throws Exception {
    Path restore = Peers.require("restore");
    Path src = tree();
    Proc.Result r =
        Proc.of(jdump(), "-0", "-b", "10", "-B", "200", "-M", "-f", tmp.resolve("vol"), src)
            .run()
            .ok();
    assertThat(r.stderr()).contains("starting volume 3");
    assertThat(Files.size(tmp.resolve("vol001"))).isEqualTo(200 * 1024);
    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(restore, "-r", "-y", "-M", "-f", tmp.resolve("vol")).in(out).run().ok();
    assertThat(TreeDiff.compare(src, out, RESTORE_FILES)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(EndOfTapeMode.class)
  void endOfTapeOnJrmtdIsReplayedOnTheNextVolume(EndOfTapeMode mode) throws Exception {
    Path restore = Peers.require("restore");
    Path src = tree();
    Path tapes = tmp.resolve("tapes");
    ServerConfig config =
        ServerConfig.defaults(tapes)
            .withTapeOptions(
                SimhTape.Options.defaults().withCapacity(250_000).withEndOfTapeMode(mode));
    try (NetworkServer server = new NetworkServer(config)) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      Proc.Result r =
          Proc.of(
                  jdump(),
                  "-0",
                  "-b",
                  "10",
                  "-M",
                  "-f",
                  "rmt://127.0.0.1:" + a.getPort() + "/mv",
                  src)
              .run()
              .ok();
      assertThat(r.stderr()).contains("starting volume 3").contains("DUMP IS DONE");
      Path out = Files.createDirectory(tmp.resolve("out"));
      Proc.of(restore, "-r", "-y", "-M", "-f", "localhost:mv")
          .env("RSH", RshScript.jrmtRsh(tmp, a.getPort()))
          .in(out)
          .run()
          .ok();
      assertThat(TreeDiff.compare(src, out, RESTORE_FILES)).isEmpty();
    }
  }

  @Test
  void endOfTapeThroughRshStopAndWaitWithACommaList() throws Exception {
    Path restore = Peers.require("restore");
    Path src = tree();
    Path tapes = tmp.resolve("tapes");
    Path rsh = RshScript.jrmt(tmp, tapes, "--capacity", "250K", "--eot", "enospc");
    Proc.Result r =
        Proc.of(jdump(), "-0", "-b", "10", "-f", "localhost:a,b,c,d,e,f", src)
            .env("RSH", rsh)
            .run()
            .ok();
    assertThat(r.stderr()).contains("starting volume 3 on localhost:c");
    int volumes = Integer.parseInt(r.stderr().replaceAll("(?s).*on (\\d+) volume\\(s\\).*", "$1"));
    // restore's prompt takes the next device on the same host: the bare name.
    StringBuilder names = new StringBuilder();
    for (int v = 2; v <= volumes; v++) {
      names.append((char) ('a' + v - 1)).append('\n');
    }
    names.append("none\n");
    Path out = Files.createDirectory(tmp.resolve("out"));
    Proc.of(restore, "-r", "-y", "-f", "localhost:a")
        .env("RSH", rsh)
        .in(out)
        .input(names.toString())
        .run()
        .ok();
    assertThat(TreeDiff.compare(src, out, RESTORE_FILES)).isEmpty();
  }

  @Test
  void runningOutOfVolumeNamesAbortsWithExitThree() throws Exception {
    Path src = tree();
    Path tapes = tmp.resolve("tapes");
    Path rsh = RshScript.jrmt(tmp, tapes, "--capacity", "250K");
    Proc.Result r =
        Proc.of(jdump(), "-0", "-f", "localhost:only,second", src).env("RSH", rsh).run();
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.stderr())
        .contains("volume 3 needed and no terminal to ask on")
        .contains("The ENTIRE dump is aborted.");
    Proc.Result q = Proc.of(jdump(), "-0", "-q", "-f", "localhost:only", src).env("RSH", rsh).run();
    assertThat(q.exit()).isEqualTo(3);
    assertThat(q.stderr()).contains("volume 2 needed and -q given");
  }

  @Test
  void anFScriptChangesTheTape() throws Exception {
    Path restore = Peers.require("restore");
    Path src = tree();
    // A "tape changer": it files the finished volume away; jdump then reuses the device name.
    Path changer = tmp.resolve("changer.sh");
    Files.writeString(changer, "#!/bin/sh\nmv \"$1\" \"$1.$2\"\necho \"$1 $2\" >> \"$1.log\"\n");
    changer.toFile().setExecutable(true);
    Path out = tmp.resolve("tape");
    Proc.Result r =
        Proc.of(jdump(), "-0", "-b", "10", "-B", "250", "-F", changer, "-f", out, src).run().ok();
    int volumes = Integer.parseInt(r.stderr().replaceAll("(?s).*on (\\d+) volume\\(s\\).*", "$1"));
    assertThat(volumes).isGreaterThanOrEqualTo(3);
    assertThat(Files.readAllLines(tmp.resolve("tape.log")))
        .hasSize(volumes - 1)
        .first()
        .isEqualTo(out + " 1");
    StringBuilder names = new StringBuilder();
    for (int v = 2; v < volumes; v++) {
      names.append(out).append('.').append(v).append('\n');
    }
    names.append(out).append('\n');
    Path restored = Files.createDirectory(tmp.resolve("restored"));
    Proc.of(restore, "-r", "-y", "-f", out + ".1").in(restored).input(names.toString()).run().ok();
    assertThat(TreeDiff.compare(src, restored, RESTORE_FILES)).isEmpty();
  }

  /** A "tape changer" that changes nothing: it only counts its runs. */
  private Path idleChanger() throws IOException {
    Path changer = tmp.resolve("idle.sh");
    Files.writeString(
        changer, "#!/bin/sh\necho \"$1 $2\" >> \"" + tmp.resolve("idle.log") + "\"\n");
    changer.toFile().setExecutable(true);
    return changer;
  }

  /** A tree whose directories all fit on a 2 MiB first volume, with ~3 MiB of file data. */
  private Path threeVolumeTree() throws Exception {
    return SampleTree.write(tmp.resolve("src"), 3_000_000);
  }

  /** The stock restore's listing of the dump whose volume 1 is {@code tape}, read through rsh. */
  private static String listing(Path restore, String tape, Path rsh) {
    Proc p = Proc.of(restore, "-t", "-f", tape);
    if (rsh != null) {
      p.env("RSH", rsh);
    }
    return p.run().ok().stdout();
  }

  @Test
  void anFScriptThatChangesNothingLeavesVolumeOneIntact() throws Exception {
    Path restore = Peers.require("restore");
    Path src = threeVolumeTree();
    Path tape = tmp.resolve("tape");
    Proc.Result r =
        Proc.of(jdump(), "-0", "-b", "10", "-B", "2000", "-F", idleChanger(), "-f", tape, src)
            .run();
    assertThat(r.exit()).as(r.stderr()).isEqualTo(3);
    String refused = tape + " holds volume 1 of this dump (level 0 of " + src;
    assertThat(r.stderr())
        .contains("  DUMP: " + refused)
        .contains(": not writing volume 2 over it")
        .contains("after the -F script ran 3 times for volume 2: nothing overwritten")
        .contains("The ENTIRE dump is aborted.")
        .doesNotContain("starting volume 2");
    assertThat(Files.readAllLines(tmp.resolve("idle.log")))
        .containsExactly(tape + " 1", tape + " 1", tape + " 1");
    assertThat(Files.size(tape)).as("volume 1, whole").isEqualTo(2000 * 1024);
    assertThat(listing(restore, tape.toString(), null))
        .contains("./sub/deeper/records.bin", "./bulk.bin", "./link");
  }

  @Test
  void anFScriptOnAVirtualTapeThatCannotChangeNeverOverwritesIt() throws Exception {
    Path restore = Peers.require("restore");
    Path src = threeVolumeTree();
    try (NetworkServer server = new NetworkServer(ServerConfig.defaults(tmp.resolve("tapes")))) {
      InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0));
      String tape = "rmt://127.0.0.1:" + a.getPort() + "/monday";
      Proc.Result r =
          Proc.of(jdump(), "-0", "-b", "10", "-B", "2000", "-F", idleChanger(), "-f", tape, src)
              .run();
      assertThat(r.exit()).as(r.stderr()).isEqualTo(3);
      assertThat(r.stderr()).contains("  DUMP: " + tape + " holds volume 1 of this dump");
      assertThat(listing(restore, "localhost:monday", RshScript.jrmtRsh(tmp, a.getPort())))
          .contains("./sub/deeper/records.bin", "./bulk.bin");
    }
  }

  @Test
  void aCommaListNamingATapeTwiceIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path src = SampleTree.write(tmp.resolve("src"), 0);
    Path a = tmp.resolve("a");
    Files.writeString(a, "an older backup\n");
    String list = a + "," + tmp.resolve("b") + "," + a;
    Proc.Result r = Proc.of(jdump(), "-0", "-B", "100", "-f", list, src).run();
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr())
        .contains(
            "jdump: -f "
                + list
                + " names "
                + a
                + " twice: volume 3 would be written over"
                + " volume 1");
    assertThat(Files.readString(a)).isEqualTo("an older backup\n");
    assertThat(tmp.resolve("b")).doesNotExist();
    // A later name takes the first one's host: localhost:x,y,x names localhost:x twice.
    Proc.Result remote = Proc.of(jdump(), "-0", "-f", "localhost:x,y,x", src).run();
    assertThat(remote.exit()).isEqualTo(1);
    assertThat(remote.stderr()).contains("names localhost:x twice: volume 3 would be written over");
  }
}
