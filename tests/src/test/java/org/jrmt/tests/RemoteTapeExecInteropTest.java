package org.jrmt.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jrmt.client.ClientConfig;
import org.jrmt.client.RemoteTape;
import org.jrmt.client.RemoteTapes;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.ServerDialect;
import org.jrmt.protocol.testing.Peers;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.Tape;
import org.jrmt.tape.TapeException;
import org.jrmt.tape.Whence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RemoteTape's exec transport against the real classic servers: GNU's rmt-tar 1.34 (whence-first
 * {@code L}, {@code S\n}, exits after {@code C}) and Linux dump's rmt-dump 0.4b47 (offset first,
 * byte parser, version 1). The {@code RSH} stand-in records its arguments and execs the server.
 */
class RemoteTapeExecInteropTest {
  static final int RECORD = 10240;
  static final OpenMode CREATE =
      OpenMode.writeOnly().with(OpenMode.Flag.CREATE, OpenMode.Flag.TRUNCATE);

  @TempDir Path tmp;

  static Path server(String name) {
    return Peers.find(name)
        .orElseGet(() -> Peers.unavailable(name + " not installed: apt-get install tar dump"));
  }

  /** An rsh stand-in: writes its arguments to {@code args} and execs {@code server}. */
  private Path rsh(Path server, Path args) throws IOException {
    Path script = tmp.resolve("rsh-" + server.getFileName() + ".sh");
    Files.writeString(
        script,
        "#!/bin/sh\necho \"$@\" > '" + args + "'\nexec '" + server + "'\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  static ByteBuffer record(int i) {
    byte[] b = new byte[RECORD];
    for (int j = 0; j < RECORD; j++) {
      b[j] = (byte) (i * 7 + j / 3);
    }
    return ByteBuffer.wrap(b);
  }

  private void roundTrip(String serverName, ServerDialect dialect) throws Exception {
    Path server = server(serverName);
    Path args = tmp.resolve("args");
    Path script = rsh(server, args);
    Path file = tmp.resolve("archive-" + serverName);
    ClientConfig config =
        ClientConfig.defaults()
            .withDialect(dialect)
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));
    Map<String, String> env = Map.of("RSH", script.toString());

    try (Tape t = RemoteTapes.open("backup@localhost:" + file, CREATE, config, env)) {
      RemoteTape rt = (RemoteTape) t;
      assertThat(rt.dialect()).isEqualTo(dialect);
      assertThat(rt.capabilities()).isEmpty();
      for (int i = 0; i < 5; i++) {
        assertThat(t.write(record(i))).isEqualTo(RECORD);
      }
      // A plain file has no drive status: the server's ENOTTY comes through, and the session
      // survives it (S\n for GNU, s fields after I-1 for dump: neither kills the server).
      TapeException status = catchThrowableOfType(TapeException.class, t::status);
      assertThat(status.errno()).isEqualTo(Errno.ENOTTY);
      assertThat(status.getMessage()).startsWith("localhost:" + file + ": ");
      TapeException rewind = catchThrowableOfType(TapeException.class, t::rewind);
      assertThat(rewind.errno()).isEqualTo(Errno.ENOTTY);
      assertThat(t.tell()).isEqualTo(5L * RECORD);
    }
    assertThat(Files.readString(args).strip())
        .isEqualTo("localhost -l backup " + RemoteTapes.DEFAULT_RMT);
    assertThat(Files.size(file)).isEqualTo(5L * RECORD);

    // Reopening is a new session: GNU's server has exited after C.
    try (Tape t = RemoteTapes.open("localhost:" + file, OpenMode.readOnly(), config, env)) {
      ByteBuffer buf = ByteBuffer.allocate(RECORD);
      for (int i = 0; i < 5; i++) {
        assertThat(t.read(buf.clear())).isEqualTo(RECORD);
        assertThat(buf.flip()).isEqualTo(record(i));
      }
      assertThat(t.read(buf.clear())).as("end of file").isZero();
      assertThat(t.seek(3L * RECORD, Whence.SET)).isEqualTo(3L * RECORD);
      assertThat(t.read(buf.clear())).isEqualTo(RECORD);
      assertThat(buf.flip()).isEqualTo(record(3));
      assertThat(t.tell()).isEqualTo(4L * RECORD);
      assertThat(t.seek(-RECORD, Whence.END)).isEqualTo(4L * RECORD);
      TapeException e = catchThrowableOfType(TapeException.class, () -> t.write(record(9)));
      assertThat(e.errno()).isEqualTo(Errno.EBADF);
    }
    assertThat(Files.readString(args).strip())
        .isEqualTo(
            "localhost -l " + System.getProperty("user.name") + " " + RemoteTapes.DEFAULT_RMT);

    TapeException missing =
        catchThrowableOfType(
            TapeException.class,
            () ->
                RemoteTapes.open(
                    "localhost:" + tmp.resolve("none"), OpenMode.readOnly(), config, env));
    assertThat(missing.errno()).isEqualTo(Errno.ENOENT);
  }

  @Test
  void gnuRmtTar() throws Exception {
    roundTrip("rmt-tar", ServerDialect.GNU);
  }

  @Test
  void linuxRmtDump() throws Exception {
    roundTrip("rmt-dump", ServerDialect.LINUX_DUMP);
  }

  /** With no dialect configured, the L probe on a seekable file tells GNU from dump. */
  @Test
  void autoDetectsTheServerOnASeekableFile() throws Exception {
    Path file = tmp.resolve("data");
    byte[] bytes = new byte[3 * RECORD];
    for (int i = 0; i < 3; i++) {
      record(i).get(bytes, i * RECORD, RECORD);
    }
    Files.write(file, bytes);
    ClientConfig auto =
        ClientConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));
    for (var expected :
        List.of(
            Map.entry("rmt-tar", ServerDialect.GNU),
            Map.entry("rmt-dump", ServerDialect.LINUX_DUMP))) {
      Path script = rsh(server(expected.getKey()), tmp.resolve("args"));
      try (Tape t =
          RemoteTapes.open(
              "localhost:" + file,
              OpenMode.readOnly(),
              auto,
              Map.of("RSH", script.toString(), "RMT", "/usr/sbin/rmt"))) {
        RemoteTape rt = (RemoteTape) t;
        assertThat(rt.dialect()).as(expected.getKey()).isEqualTo(expected.getValue());
        assertThat(rt.dialectKnown()).isTrue();
        ByteBuffer buf = ByteBuffer.allocate(RECORD);
        assertThat(t.read(buf)).isEqualTo(RECORD);
        assertThat(buf.flip()).as("the probe left the file at its start").isEqualTo(record(0));
        assertThat(t.seek(2L * RECORD, Whence.SET)).isEqualTo(2L * RECORD);
        assertThat(t.read(buf.clear())).isEqualTo(RECORD);
        assertThat(buf.flip()).isEqualTo(record(2));
      }
      assertThat(Files.readString(tmp.resolve("args"))).endsWith(" /usr/sbin/rmt\n");
    }
  }
}
