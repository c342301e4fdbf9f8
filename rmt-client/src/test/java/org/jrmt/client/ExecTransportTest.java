package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.ServerDialect;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.TapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec transport when the remote command misbehaves; {@code RSH} is a shell script. */
class ExecTransportTest {
  @TempDir Path tmp;

  private Path script(String body) throws Exception {
    Path p = Files.createTempFile(tmp, "rsh", ".sh");
    Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private static ClientConfig config(Duration reply) {
    return ClientConfig.defaults()
        .withDialect(ServerDialect.LINUX_DUMP)
        .withTimeouts(Duration.ofSeconds(5), reply);
  }

  @Test
  void theArgvIsRshHostDashLUserRmt() {
    assertThat(RemoteTapes.execCommand("ssh", "h", "bob", null))
        .containsExactly("ssh", "h", "-l", "bob", "/etc/rmt");
    assertThat(RemoteTapes.execCommand("rsh", "h", null, "/usr/sbin/rmt"))
        .containsExactly("rsh", "h", "-l", System.getProperty("user.name"), "/usr/sbin/rmt");
  }

  @Test
  void aServerThatNeverAnswersTimesOutAndIsStopped() throws Exception {
    Path rsh = script("exec sleep 60");
    long start = System.nanoTime();
    TapeException e =
        catchThrowableOfType(
            TapeException.class,
            () ->
                RemoteTapes.open(
                    "h:/dev/nst0",
                    OpenMode.readOnly(),
                    config(Duration.ofMillis(300)),
                    Map.of("RSH", rsh.toString())));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT);
    assertThat(e.getMessage()).isEqualTo("h:/dev/nst0: no reply from h within 300 ms");
  }

  @Test
  void aServerThatExitsIsAConnectionLoss() throws Exception {
    Path rsh = script("echo 'rsh: h: Connection refused' >&2\nexit 1");
    TapeException e =
        catchThrowableOfType(
            TapeException.class,
            () ->
                RemoteTapes.open(
                    "h:/dev/nst0",
                    OpenMode.readOnly(),
                    config(Duration.ofSeconds(10)),
                    Map.of("RSH", rsh.toString())));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage())
        .startsWith("h:/dev/nst0: connection lost: ")
        .contains("closed by the server");
  }

  @Test
  void aLoginBannerIsAProtocolError() throws Exception {
    Path rsh = script("echo 'Welcome to tapehost'\ncat > /dev/null");
    TapeException e =
        catchThrowableOfType(
            TapeException.class,
            () ->
                RemoteTapes.open(
                    "tapehost:/dev/nst0",
                    OpenMode.readOnly(),
                    config(Duration.ofSeconds(10)),
                    Map.of("RSH", rsh.toString())));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage()).startsWith("protocol error from tapehost: unexpected byte");
  }

  @Test
  void aMissingRshCannotRun() {
    TapeException e =
        catchThrowableOfType(
            TapeException.class,
            () ->
                RemoteTape.openExec(
                    List.of(tmp.resolve("no-such-rsh").toString(), "h", "-l", "u", "/etc/rmt"),
                    "h",
                    "/dev/nst0",
                    OpenMode.readOnly(),
                    config(Duration.ofSeconds(1))));
    assertThat(e.errno()).isEqualTo(Errno.EIO);
    assertThat(e.getMessage()).startsWith("h:/dev/nst0: cannot run ");
  }
}
