package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.tape.ToolVersion;
import org.junit.jupiter.api.Test;

/**
 * The Debian package the dist module builds ({@code dist/target/jrmt_VERSION_all.deb}) as an
 * administrator meets it, without a running systemd (as in CI): {@code dpkg -i} installs the
 * launchers on the PATH, the man pages, the units (not enabled), the completion, the conffiles in
 * /etc/jrmt, the system user jrmt in group tape and /var/lib/jrmt; the demo runs against the
 * installed tools; a second {@code dpkg -i} (the upgrade path of the maintainer scripts) keeps an
 * edited conffile; {@code dpkg -r} removes everything but the conffiles, the user and the state;
 * {@code dpkg -P} removes the conffiles and the empty state directories and keeps a virtual tape.
 *
 * <p>It installs on this machine, so it needs root and dpkg and refuses (skips; fails under {@code
 * CI=true}) where jrmt is installed already, by the package or by hand (a file of the package,
 * /etc/jrmt, /var/lib/jrmt or the user jrmt exists). It leaves the machine as it found it, the user
 * and /var/lib/jrmt it made removed, and takes a file lock so that two builds on one machine do not
 * use dpkg at once.
 */
class DebianPackageTest {
  private static final Path STATE = Path.of("/var/lib/jrmt");
  private static final Path CONF = Path.of("/etc/jrmt");
  private static final Map<String, String> INSTALLED =
      Map.of(
          "jrmtd", "/usr/sbin/jrmtd",
          "jrmt", "/usr/sbin/jrmt",
          "jdump", "/usr/sbin/jdump",
          "jrestore", "/usr/sbin/jrestore",
          "jrmt-rsh", "/usr/bin/jrmt-rsh",
          "jmt", "/usr/bin/jmt");

  private Path dpkg;
  private Path dpkgQuery;

  private static Proc.Result run(Object... command) {
    return Proc.of(command)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .timeout(Duration.ofMinutes(3))
        .run();
  }

  /** The package's status word pair, e.g. {@code install ok installed}; null when unknown. */
  private String status() {
    Proc.Result r = run(dpkgQuery, "-W", "-f=${Status}", "jrmt");
    return r.exit() == 0 ? r.stdout().strip() : null;
  }

  /**
   * The package {@code package} built, which must be newer than what goes into it: {@code mvn test}
   * does not rebuild it, and a stale package would test yesterday's scripts.
   */
  private static Path deb() throws IOException {
    Path root = ProjectRoot.get();
    Path target = root.resolve("dist/target");
    Path deb;
    try (Stream<Path> s = Files.list(target)) {
      deb =
          s.filter(p -> p.getFileName().toString().matches("jrmt_.+_all\\.deb"))
              .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
              .orElseGet(() -> fail("no jrmt_*_all.deb in " + target + ": run mvn package"));
    }
    long built = Files.getLastModifiedTime(deb).toMillis();
    for (String dir :
        List.of(
            "bin",
            "dist/src",
            "protocol-spec/src/main",
            "tape-io/src/main",
            "rmt-server/src/main",
            "rmt-client/src/main",
            "dump-cli/src/main")) {
      try (Stream<Path> s = Files.walk(root.resolve(dir))) {
        s.filter(Files::isRegularFile)
            .filter(p -> p.toFile().lastModified() > built)
            .findFirst()
            .ifPresent(p -> fail(deb + " is older than " + p + ": run mvn package (verify does)"));
      }
    }
    return deb;
  }

  /**
   * Lintian, Debian's package checker, finds no error and no warning. (The two warnings that hold
   * for any package of these jars are overridden, with the reason, in
   * /usr/share/lintian/overrides/jrmt.)
   */
  @Test
  void lintianFindsNoErrorOrWarning() throws IOException {
    Proc.Result r = run(Peers.require("lintian"), "--tag-display-limit", "0", deb());
    assertThat(r.stdout().lines().filter(l -> l.startsWith("E:") || l.startsWith("W:")))
        .as(r.describe("lintian"))
        .isEmpty();
    assertThat(r.exit()).as(r.describe("lintian")).isZero();
  }

  @Test
  void installRunTheDemoUpgradeRemoveAndPurge() throws Exception {
    if (!run("id", "-u").stdout().strip().equals("0")) {
      Peers.unavailable("installing a Debian package needs root");
    }
    dpkg = Peers.require("dpkg");
    dpkgQuery = Peers.require("dpkg-query");
    Path dpkgDeb = Peers.require("dpkg-deb");
    Peers.require("man");
    Path deb = deb();
    String version = run(dpkgDeb, "-f", deb, "Version").ok().stdout().strip();
    try (FileChannel channel =
            FileChannel.open(
                Path.of("/tmp/jrmt-package-test.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      refuseIfPresent(dpkgDeb, deb);
      try {
        installAndCheck(deb, version);
        purgeAfterUpgradeAndRemove(deb);
      } finally {
        // Everything below was made by this test: refuseIfPresent saw none of it.
        if (status() != null && !status().endsWith("not-installed")) {
          run(dpkg, "-P", "jrmt");
        }
        TreeDiff.deleteRecursively(STATE);
        if (run("getent", "passwd", "jrmt").exit() == 0) {
          run("deluser", "--system", "--quiet", "jrmt").ok();
        }
      }
    }
  }

  /** Nothing of jrmt may be here already: the test would take it over, then remove it. */
  private void refuseIfPresent(Path dpkgDeb, Path deb) {
    String s = status();
    if (s != null && !s.endsWith("not-installed")) {
      Peers.unavailable("a jrmt package is on this machine (" + s + "): dpkg -P jrmt first");
    }
    for (String line : run(dpkgDeb, "-c", deb).ok().stdout().lines().toList()) {
      // "-rw-r--r-- root/root 1023 2026-12-03 14:43 ./etc/jrmt/jrmt.toml" (links: "a -> b")
      String name = line.replaceFirst("^\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\.", "");
      name = name.replaceFirst(" -> .*$", "");
      Path p = Path.of(name);
      if (!line.startsWith("d") && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Peers.unavailable(p + " exists and is not from a jrmt package: remove it to run this");
      }
    }
    for (Path p : List.of(CONF, STATE)) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Peers.unavailable(p + " exists (jrmt installed by hand?): remove it to run this");
      }
    }
    if (run("getent", "passwd", "jrmt").exit() == 0) {
      Peers.unavailable(
          "a user jrmt exists (jrmt installed by hand?): deluser --system jrmt first");
    }
  }

  private void installAndCheck(Path deb, String version) throws Exception {
    Proc.Result install = run(dpkg, "-i", deb);
    if (install.exit() != 0 && install.stderr().contains("dependency problems")) {
      // A JDK unpacked by hand is no package: dpkg cannot see it (the finally block purges).
      Peers.unavailable(
          "no Debian package provides java17-runtime-headless: apt-get install"
              + " default-jre-headless (or run .ci/peers)");
    }
    assertThat(install.exit()).as(install.describe("dpkg -i")).isZero();
    assertThat(status()).isEqualTo("install ok installed");
    assertThat(run(dpkgQuery, "-W", "-f=${Version}", "jrmt").ok().stdout()).isEqualTo(version);

    for (Map.Entry<String, String> e : INSTALLED.entrySet()) {
      Path link = Path.of(e.getValue());
      assertThat(link).isSymbolicLink();
      assertThat(link.toRealPath()).isEqualTo(Path.of("/usr/share/jrmt/bin", e.getKey()));
      Proc.Result v = run(link, "--version").ok();
      assertThat(v.stdout())
          .as(link + " finds /usr/share/jrmt/lib")
          .isEqualTo(ToolVersion.line(e.getKey()) + "\n");
    }
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(Path.of("/usr/share/doc/jrmt/changelog.gz")))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .startsWith("jrmt (" + version + ") ");
    }

    String[] user = run("getent", "passwd", "jrmt").ok().stdout().strip().split(":");
    assertThat(Integer.parseInt(user[2])).as("a system uid").isLessThan(1000);
    assertThat(user[5]).isEqualTo(STATE.toString());
    assertThat(user[6]).isEqualTo("/usr/sbin/nologin");
    assertThat(run("id", "-Gn", "jrmt").ok().stdout().strip().split(" ")).contains("jrmt", "tape");
    assertThat(Files.getOwner(STATE).getName()).isEqualTo("jrmt");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(STATE)))
        .isEqualTo("rwx------");

    Path conf = ProjectRoot.get().resolve("dist/src/conf");
    for (String f : List.of("jrmtd.toml", "jrmt.toml")) {
      assertThat(CONF.resolve(f)).hasSameTextualContentAs(conf.resolve(f));
    }
    assertThat(run(dpkgQuery, "-W", "-f=${Conffiles}", "jrmt").ok().stdout().lines())
        .map(l -> l.strip().split(" ")[0])
        .containsExactlyInAnyOrder("/etc/jrmt/jrmtd.toml", "/etc/jrmt/jrmt.toml");

    String unit = Files.readString(Path.of("/lib/systemd/system/jrmtd.service"));
    assertThat(unit)
        .contains("ExecStart=/usr/sbin/jrmtd --config /etc/jrmt/jrmtd.toml")
        .doesNotContain("/opt/jrmt/bin/");
    assertThat(Files.readString(Path.of("/lib/systemd/system/jrmt@.service")))
        .contains("ExecStart=/usr/sbin/jrmt --config /etc/jrmt/jrmt.toml");
    assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/jrmtd.service"))
        .as("not enabled by the package")
        .doesNotExist();
    Proc.Result verify =
        run(
            Peers.require("systemd-analyze"),
            "verify",
            "--man=no",
            "--generators=no",
            "/lib/systemd/system/jrmtd.service",
            "/lib/systemd/system/jrmt.socket",
            "/lib/systemd/system/jrmt@.service");
    assertThat(verify.exit()).as(verify.describe("systemd-analyze verify")).isZero();
    assertThat(verify.stderr().lines().filter(l -> l.contains("jrmt"))).isEmpty();

    assertThat(
            run("man", "-w", "jrmtd", "jrmt", "jdump", "jrestore", "jrmt-rsh", "jmt")
                .ok()
                .stdout()
                .lines())
        .containsExactly(
            "/usr/share/man/man8/jrmtd.8.gz",
            "/usr/share/man/man8/jrmt.8.gz",
            "/usr/share/man/man8/jdump.8.gz",
            "/usr/share/man/man8/jrestore.8.gz",
            "/usr/share/man/man1/jrmt-rsh.1.gz",
            "/usr/share/man/man1/jmt.1.gz");
    Proc.Result man = Proc.of("man", "jrmtd").env("MANPAGER", "cat").run().ok();
    assertThat(man.stdout()).contains("jrmtd - remote magnetic tape (rmt) network daemon");

    Proc.Result completion =
        run(
            Peers.require("bash"),
            "-c",
            "source /usr/share/bash-completion/completions/jmt && complete -p jmt jdump");
    assertThat(completion.ok().stdout().lines())
        .containsExactly("complete -F _jrmt_jmt jmt", "complete -F _jrmt_jdump jdump");

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Proc.Result demo =
        Proc.of(ProjectRoot.get().resolve("bin/jrmt-demo"))
            .env("JRMT_BIN", "/usr/sbin:/usr/bin")
            .env("JRMT_PORT", port)
            .timeout(Duration.ofMinutes(3))
            .run();
    assertThat(demo.exit()).as(demo.describe("jrmt-demo")).isZero();
    assertThat(demo.stdout())
        .contains("tools: /usr/sbin/jrmtd /usr/sbin/jdump /usr/sbin/jrestore /usr/bin/jrmt-rsh")
        .contains("jrestore: restored tree is identical", "tar: restored tree is identical")
        .endsWith("jrmt demo: OK\n");
  }

  private void purgeAfterUpgradeAndRemove(Path deb) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String l : run(dpkgQuery, "-L", "jrmt").ok().stdout().lines().toList()) {
      Path p = Path.of(l);
      // Directories (/lib too, a link to usr/lib on merged-/usr systems) stay if not empty.
      if (l.startsWith("/") && !Files.isDirectory(p)) {
        files.add(p);
      }
    }
    assertThat(files).contains(Path.of("/usr/sbin/jrmtd"), Path.of("/etc/jrmt/jrmtd.toml"));

    // The administrator's edit of a conffile survives the upgrade path and the removal.
    Path edited = CONF.resolve("jrmtd.toml");
    String mine = Files.readString(edited) + "# edited by the administrator\n";
    Files.writeString(edited, mine);
    Proc.Result again = run(dpkg, "-i", deb);
    assertThat(again.exit()).as(again.describe("dpkg -i again")).isZero();
    assertThat(edited).hasContent(mine);

    // A backup on a virtual tape, and an empty directory jrmtd made.
    Path tape = Files.createDirectories(STATE.resolve("tapes")).resolve("monday.tap");
    Files.write(tape, new byte[] {0, 0, 0, 0});
    Files.createDirectories(STATE.resolve("tls"));

    Proc.Result remove = run(dpkg, "-r", "jrmt");
    assertThat(remove.exit()).as(remove.describe("dpkg -r")).isZero();
    assertThat(status()).isEqualTo("deinstall ok config-files");
    for (Path p : files) {
      if (p.startsWith(CONF)) {
        assertThat(p).as("conffile kept by dpkg -r").exists();
      } else {
        assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as(p + " after dpkg -r").isFalse();
      }
    }
    assertThat(edited).hasContent(mine);
    assertThat(Path.of("/usr/share/jrmt")).doesNotExist();
    assertThat(run("getent", "passwd", "jrmt").exit()).as("the user stays").isZero();
    assertThat(tape).exists();

    Proc.Result purge = run(dpkg, "-P", "jrmt");
    assertThat(purge.exit()).as(purge.describe("dpkg -P")).isZero();
    assertThat(status()).isIn(null, "unknown ok not-installed");
    assertThat(CONF).doesNotExist();
    assertThat(Path.of("/var/lib/systemd/deb-systemd-helper-enabled/jrmtd.service.dsh-also"))
        .doesNotExist();
    assertThat(STATE.resolve("tls")).as("empty, removed").doesNotExist();
    assertThat(tape).as("a backup is never removed by a purge").exists();
    assertThat(purge.stdout() + purge.stderr())
        .contains("jrmt: kept /var/lib/jrmt: it holds virtual tapes or TLS files");
    assertThat(run("getent", "passwd", "jrmt").exit()).as("the user stays").isZero();
  }
}
