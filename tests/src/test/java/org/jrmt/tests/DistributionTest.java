package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball the dist module builds at {@code package} ({@code
 * dist/target/jrmt-VERSION.tar.gz}), unpacked somewhere else and run from yet another directory:
 * the launchers find their jars in the unpacked lib/, not in the source tree.
 */
class DistributionTest {
  @TempDir static Path tmp;
  private static Path home;
  private static Path elsewhere;

  @BeforeAll
  static void unpack() throws IOException {
    Path target = ProjectRoot.get().resolve("dist/target");
    Path tarball;
    try (Stream<Path> s = Files.list(target)) {
      tarball =
          s.filter(p -> p.getFileName().toString().matches("jrmt-.+\\.tar\\.gz"))
              .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
              .orElseGet(() -> fail("no jrmt-*.tar.gz in " + target + ": run mvn package"));
    }
    Path unpacked = Files.createDirectories(tmp.resolve("opt"));
    Proc.of(Peers.require("tar"), "-xzf", tarball, "-C", unpacked).run().ok();
    try (Stream<Path> s = Files.list(unpacked)) {
      List<Path> top = s.toList();
      assertThat(top).as("one top directory jrmt-VERSION").hasSize(1);
      home = top.get(0);
    }
    assertThat(home.getFileName().toString())
        .isEqualTo(tarball.getFileName().toString().replace(".tar.gz", ""));
    elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
  }

  @Test
  void layoutHasLaunchersJarsConfigUnitsAndDocs() throws IOException {
    for (String launcher :
        List.of(".launch", "jrmtd", "jrmt", "jrmt-rsh", "jmt", "jdump", "jrestore")) {
      Path p = home.resolve("bin").resolve(launcher);
      assertThat(Files.getPosixFilePermissions(p))
          .as(launcher)
          .contains(
              PosixFilePermission.OWNER_EXECUTE,
              PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_EXECUTE);
    }
    try (Stream<Path> s = Files.list(home.resolve("lib"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("rmt-server-"))
          .anyMatch(n -> n.startsWith("rmt-client-"))
          .anyMatch(n -> n.startsWith("netty-handler-"))
          .anyMatch(n -> n.startsWith("slf4j-simple-"))
          .allMatch(n -> n.endsWith(".jar"));
    }
    for (String f :
        List.of(
            "conf/jrmtd.toml",
            "conf/jrmt.toml",
            "systemd/jrmtd.service",
            "systemd/jrmt.socket",
            "systemd/jrmt@.service",
            "doc/README.md",
            "doc/PROTOCOL.md",
            "man/man8/jrmtd.8",
            "man/man8/jrmt.8",
            "man/man8/jdump.8",
            "man/man8/jrestore.8",
            "man/man1/jrmt-rsh.1",
            "man/man1/jmt.1")) {
      assertThat(home.resolve(f)).as(f).isRegularFile();
    }
  }

  /** man-db looks for pages in ../man beside every PATH entry: bin/ on the PATH is enough. */
  @Test
  void manFindsThePagesOfTheLaunchersOnThePath() {
    Proc.Result r =
        Proc.of(Peers.require("man"), "-w", "jrmtd", "jmt")
            .env("PATH", home.resolve("bin") + ":/usr/bin:/bin")
            .in(elsewhere)
            .run()
            .ok();
    assertThat(r.stdout().lines())
        .containsExactly(
            home.resolve("man/man8/jrmtd.8").toString(), home.resolve("man/man1/jmt.1").toString());
  }

  @Test
  void jrmtdHelpRunsFromTheUnpackedTreeAndThroughASymlink() throws IOException {
    Proc.Result direct = Proc.of(home.resolve("bin/jrmtd"), "--help").in(elsewhere).run().ok();
    assertThat(direct.stdout()).contains("usage: jrmtd", "--tls-listen", "--config");

    // The usual install: a link in a PATH directory to the unpacked launcher.
    Path links = Files.createDirectories(tmp.resolve("links"));
    Path link = Files.createSymbolicLink(links.resolve("jrmt"), home.resolve("bin/jrmt"));
    Proc.Result viaLink = Proc.of(link, "--help").in(elsewhere).run().ok();
    assertThat(viaLink.stdout()).contains("usage: jrmt [options]", "--tape-dir");
  }

  @Test
  void certInitAndShowFromTheUnpackedTree() {
    Path tls = tmp.resolve("tls");
    Proc.Result init =
        Proc.of(home.resolve("bin/jrmtd"), "cert", "init", "--dir", tls, "--site", "example")
            .in(elsewhere)
            .run()
            .ok();
    assertThat(init.stdout()).contains("created CA " + tls.resolve("ca.crt"));
    Proc.Result show =
        Proc.of(home.resolve("bin/jrmtd"), "cert", "show", tls.resolve("ca.crt"))
            .in(elsewhere)
            .run()
            .ok();
    assertThat(show.stdout()).contains("subject:", "example", "CA:          yes");
  }
}
