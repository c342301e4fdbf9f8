package org.jrmt.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

/**
 * Writes a small tree worth archiving: files of several sizes (empty, one byte, not a multiple of
 * 512, several records), odd permissions, a symbolic link, an empty directory and a name with a
 * space and UTF-8 characters. Contents are pseudo-random from a fixed seed.
 */
final class SampleTree {
  private SampleTree() {}

  /** Fills {@code root} (created if needed) with the sample tree; {@code bulk} extra bytes. */
  static Path write(Path root, int bulk) throws IOException {
    Random random = new Random(4768);
    Files.createDirectories(root.resolve("sub/deeper"));
    Files.createDirectories(root.resolve("empty dir"));
    Files.write(root.resolve("zero"), new byte[0]);
    Files.write(root.resolve("one"), bytes(random, 1));
    Files.write(root.resolve("sub/odd.bin"), bytes(random, 12_345));
    Files.write(root.resolve("sub/deeper/records.bin"), bytes(random, 3 * 10_240 + 17));
    Files.writeString(root.resolve("with space \u00fc\u00df \u20ac.txt"), "gr\u00fc\u00dfe\n");
    if (bulk > 0) {
      Files.write(root.resolve("bulk.bin"), bytes(random, bulk));
    }
    Path secret = root.resolve("sub/secret");
    Files.writeString(secret, "not for everyone\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
    Path script = root.resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(root.resolve("link"), Path.of("sub/odd.bin"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("no/such/target"));
    return root;
  }

  static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
