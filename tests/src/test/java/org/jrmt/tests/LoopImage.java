package org.jrmt.tests;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrmt.protocol.testing.Peers;

/**
 * A small ext2 file system in a file, attached to a loop device (Linux dump reads block devices).
 * Needs root and loop devices: without them the test is skipped, or fails under {@code CI=true} (CI
 * runs as root on a machine with loop devices).
 */
final class LoopImage implements AutoCloseable {
  private final Path image;
  private final String device;
  private final Path mountPoint;
  private boolean mounted;

  private LoopImage(Path image, String device, Path mountPoint) {
    this.image = image;
    this.device = device;
    this.mountPoint = mountPoint;
  }

  /** Makes an empty ext2 file system of {@code mib} MiB in {@code dir} and attaches it. */
  static LoopImage create(Path dir, int mib) throws IOException {
    return create(dir, mib, "mkfs.ext2");
  }

  /** Makes an empty file system with {@code mkfsProgram} (mkfs.ext2, mkfs.ext4) and attaches it. */
  static LoopImage create(Path dir, int mib, String mkfsProgram) throws IOException {
    Path mkfs = Peers.require(mkfsProgram);
    Path losetup = Peers.require("losetup");
    Peers.require("mount");
    Path image = dir.resolve("fs.img");
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength((long) mib << 20);
    }
    Proc.of(mkfs, "-q", "-F", image).run().ok();
    Proc.Result attach = Proc.of(losetup, "-f", "--show", image).run();
    if (attach.exit() != 0) {
      return Peers.unavailable("no loop device (needs root and /dev/loop*): " + attach.stderr());
    }
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    return new LoopImage(image, attach.stdout().strip(), mnt);
  }

  /** The loop device, e.g. {@code /dev/loop0}. */
  String device() {
    return device;
  }

  /** The image file. */
  Path image() {
    return image;
  }

  /** Mounts the file system (read-only if asked) and returns the mount point. */
  Path mount(boolean readOnly) {
    Proc.of("mount", "-o", readOnly ? "ro" : "rw", device, mountPoint).run().ok();
    mounted = true;
    return mountPoint;
  }

  /** Unmounts it. */
  void unmount() {
    if (mounted) {
      Proc.of("umount", mountPoint).run().ok();
      mounted = false;
    }
  }

  @Override
  public void close() {
    try {
      unmount();
    } finally {
      Proc.of("losetup", "-d", device).run();
    }
  }
}
