package org.jrmt.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.Tapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which devices a volume change may write on: not one holding an earlier volume of the dump in
 * progress; a blank or missing one, another dump's volume, anything that is not a dump, and the
 * volume itself being rewritten after its device failed, all yes.
 */
class VolumeGuardTest {
  @TempDir Path dir;

  private static final DumpStream.Label THIS =
      new DumpStream.Label(1_700_000_000, 0, 0, "none", "/home", "/home", "h");

  private final VolumeGuard.Reader files =
      name -> {
        try {
          return Tapes.open(Path.of(name), OpenMode.readOnly());
        } catch (TapeException e) {
          return null;
        }
      };

  /** The first three volumes of a dump labelled {@code label}, as files v1, v2, v3. */
  private List<Path> volumes(DumpStream.Label label, String prefix) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    byte[] data = new byte[300_000];
    new Random(3).nextBytes(data);
    Files.write(src.resolve("data"), data);
    MemoryVolumes device = new MemoryVolumes(Long.MAX_VALUE, 0);
    VolumeWriter w = new VolumeWriter(device, 10, label, new long[] {100});
    TreeDump.write(TreeScanner.scan(src), w.stream());
    List<byte[]> set = device.bytes();
    assertThat(set).hasSizeGreaterThanOrEqualTo(3);
    Path v1 = Files.write(dir.resolve(prefix + "1"), set.get(0));
    Path v2 = Files.write(dir.resolve(prefix + "2"), set.get(1));
    Path v3 = Files.write(dir.resolve(prefix + "3"), set.get(2));
    return List.of(v1, v2, v3);
  }

  @Test
  void anEarlierVolumeOfThisDumpIsRefused() throws Exception {
    List<Path> v = volumes(THIS, "v");
    VolumeGuard guard = new VolumeGuard(THIS, files, 10);
    assertThat(guard.refusal(v.get(0).toString(), 2))
        .startsWith(v.get(0) + " holds volume 1 of this dump (level 0 of /home, ");
    assertThat(guard.refusal(v.get(0).toString(), 5)).contains("holds volume 1 of this dump");
    assertThat(guard.refusal(v.get(1).toString(), 3)).contains("holds volume 2 of this dump");
    assertThat(guard.refusal(v.get(2).toString(), 3)).as("volume 3 rewritten over itself").isNull();
    assertThat(guard.refusal(v.get(0).toString(), 1)).as("volume 1: nothing to keep").isNull();
  }

  @Test
  void anotherDumpsVolumeABlankAndAnythingElseMayBeWritten() throws Exception {
    DumpStream.Label sameSecondOtherTree =
        new DumpStream.Label(THIS.date(), 0, 0, "none", "/srv", "/srv", "h");
    DumpStream.Label earlier =
        new DumpStream.Label(THIS.date() - 86_400, 0, 0, "none", "/home", "/home", "h");
    List<Path> other = volumes(sameSecondOtherTree, "o");
    List<Path> yesterday = volumes(earlier, "y");
    VolumeGuard guard = new VolumeGuard(THIS, files, 10);
    assertThat(guard.refusal(other.get(0).toString(), 2)).isNull();
    assertThat(guard.refusal(yesterday.get(0).toString(), 2)).isNull();
    assertThat(guard.refusal(dir.resolve("missing").toString(), 2)).isNull();
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThat(guard.refusal(empty.toString(), 2)).isNull();
    Path text = Files.writeString(dir.resolve("text"), "x".repeat(5000));
    assertThat(guard.refusal(text.toString(), 2)).isNull();
    // A volume of this dump whose first record was damaged is no longer recognised as one.
    byte[] damaged = Files.readAllBytes(volumes(THIS, "d").get(0));
    damaged[100] ^= 1;
    Path bad = Files.write(dir.resolve("bad"), damaged);
    assertThat(guard.refusal(bad.toString(), 2)).isNull();
  }
}
