package org.jrmt.tape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jrmt.protocol.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link DriveTape}'s real native path (jnr-posix and the ioctl binding) against a regular
 * file that an LD_PRELOAD shim makes look like a drive. LD_PRELOAD only takes effect when a process
 * starts, so the drive is driven by {@link DriveShimMain} in a child JVM.
 */
class DriveTapeShimTest {
  @TempDir Path dir;

  /**
   * Runs {@code main} in a child JVM with the shim preloaded, on {@code file}; its output lines.
   */
  private static List<String> underTheShim(Class<?> main, Path file) throws Exception {
    assumeTrue(MtioLayout.current().orElse(null) == MtioLayout.LINUX, "the shim is for Linux");
    Path shim = NativeToolchain.compile("tapeshim.c", "libtapeshim.so", "-shared", "-fPIC", "-ldl");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName(),
                file.toString())
            .redirectErrorStream(true);
    pb.environment().put("LD_PRELOAD", shim.toString());
    Process child = pb.start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void rewindWeofFsfBsfAndStatusGoThroughTheIoctlBinding() throws Exception {
    Path file = Files.createFile(dir.resolve("drive"));
    assertThat(underTheShim(DriveShimMain.class, file))
        .containsExactly(
            "open file=0 block=0 bot=true online=true wp=false blocksize=0",
            "write 10 position=12",
            "written file=0 block=0 bot=true online=true wp=false blocksize=0",
            "weof file=2 block=0 bot=false online=true wp=false blocksize=0",
            "pos 2",
            "rewind file=0 block=0 bot=true online=true wp=false blocksize=0",
            "read 8 position=12 data=[1, 2, 3, 4, 5, 6, 7, 8]",
            "fsf file=2 block=0 bot=false online=true wp=false blocksize=0",
            "bsf file=1 block=-1 bot=false online=true wp=false blocksize=0",
            "bsf-past-bot EIO",
            "after-bsf-past-bot file=0 block=0 bot=true online=true wp=false blocksize=0",
            "unknown-op EINVAL",
            "read-only file=0 block=0 bot=true online=true wp=true blocksize=0");
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 11, 12, 13);
  }

  /**
   * The same decorators guard a real drive: a huge BSF that fails at the beginning of the tape (the
   * issue 14 bypass) leaves the drive at BOT, and the write after it is refused, not written there.
   */
  @Test
  void thePolicyDecoratorsGuardADrive() throws Exception {
    Path file = Files.write(dir.resolve("drive"), new byte[] {1, 2, 3});
    assertThat(underTheShim(DrivePolicyShimMain.class, file))
        .containsExactly(
            "append ok",
            "bsf-huge EIO",
            "write-after-bsf EACCES",
            "weof-after-bsf EACCES",
            "eom ok",
            "append-again ok",
            "read-only-write EACCES",
            "read-only-erase EACCES");
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3, 7, 8, 9);
  }

  @Test
  void withoutTheShimARegularFileIsNoTapeAndTheRealErrnoComesBack() throws Exception {
    assumeTrue(MtioLayout.current().isPresent(), "no tape driver support on this system");
    Path file = Files.createFile(dir.resolve("plain"));
    assertThatThrownBy(() -> DriveTape.open(file, OpenMode.readWrite()))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
    DriveTape.Options noSetblk = new DriveTape.Options(EndOfTapeMode.ENOSPC, false);
    try (DriveTape tape = DriveTape.open(file, OpenMode.readWrite(), noSetblk)) {
      for (var op : List.<ThrowingOp>of(tape::status, tape::rewind, () -> tape.spaceFiles(1))) {
        assertThatThrownBy(op::run)
            .isInstanceOfSatisfying(
                TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
      }
      assertThatThrownBy(() -> tape.seek(0, Whence.SET))
          .isInstanceOfSatisfying(
              TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESPIPE));
    }
    assertThatThrownBy(() -> DriveTape.open(dir.resolve("missing"), OpenMode.readOnly()))
        .isInstanceOfSatisfying(
            TapeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
  }

  private interface ThrowingOp {
    void run() throws TapeException;
  }
}
