package org.jrmt.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one external program to completion with a time limit. Standard input comes from a file (or
 * {@code /dev/null}, so nothing ever waits on a terminal), standard output and error go to files,
 * so no pipe can fill up and block the child. Children get {@code LC_ALL=C} and a {@code TMPDIR} of
 * their own.
 */
final class Proc {
  private static final AtomicInteger counter = new AtomicInteger();

  private final List<String> command = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Path dir;
  private Path stdin;
  private byte[] input;
  private Duration timeout = Duration.ofSeconds(60);

  private Proc(List<String> command) {
    this.command.addAll(command);
    env.put("LC_ALL", "C");
  }

  /** A program and its arguments. */
  static Proc of(Object... command) {
    List<String> c = new ArrayList<>();
    for (Object o : command) {
      c.add(o.toString());
    }
    return new Proc(c);
  }

  /** Adds arguments. */
  Proc args(Object... more) {
    for (Object o : more) {
      command.add(o.toString());
    }
    return this;
  }

  /** Runs in {@code directory}. */
  Proc in(Path directory) {
    this.dir = directory;
    return this;
  }

  /** Sets an environment variable of the child. */
  Proc env(String name, Object value) {
    env.put(name, value.toString());
    return this;
  }

  /** Feeds these bytes on standard input. */
  Proc input(byte[] bytes) {
    this.input = bytes.clone();
    return this;
  }

  /** Feeds this text on standard input. */
  Proc input(String text) {
    return input(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Kills the program (and fails) after this long. */
  Proc timeout(Duration limit) {
    this.timeout = limit;
    return this;
  }

  /** What a finished program left behind. */
  record Result(List<String> command, int exit, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Fails unless the exit status is 0. */
    Result ok() {
      if (exit != 0) {
        fail(describe("exited " + exit));
      }
      return this;
    }

    String describe(String what) {
      return String.join(" ", command)
          + " "
          + what
          + "\n--- stdout:\n"
          + stdout().substring(0, Math.min(stdout().length(), 4000))
          + "\n--- stderr:\n"
          + stderr.substring(0, Math.min(stderr.length(), 4000));
    }
  }

  /** Runs the program and returns its result, whatever its exit status. */
  Result run() {
    try {
      Path tmp = Files.createTempDirectory("jrmt-proc");
      try {
        return run(tmp);
      } finally {
        TreeDiff.deleteRecursively(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result run(Path tmp) throws IOException {
    int n = counter.incrementAndGet();
    Path out = tmp.resolve("out" + n);
    Path err = tmp.resolve("err" + n);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    if (!env.containsKey("TMPDIR")) {
      // The stock restore names its temporary files after the second it starts in (rstdir<time>)
      // and fails when one exists: two restores started in the same second, by two tests or by
      // two builds on one machine, must not share a directory.
      pb.environment().put("TMPDIR", Files.createDirectory(tmp.resolve("tmp" + n)).toString());
    }
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    if (input != null) {
      stdin = tmp.resolve("in" + n);
      Files.write(stdin, input);
    }
    pb.redirectInput(stdin != null ? stdin.toFile() : new File("/dev/null"));
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        Result r = result(p, out, err, -1);
        return fail(r.describe("did not finish within " + timeout));
      }
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for " + command);
    }
    return result(p, out, err, p.exitValue());
  }

  private Result result(Process p, Path out, Path err, int exit) throws IOException {
    return new Result(
        List.copyOf(command),
        exit,
        Files.readAllBytes(out),
        new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
  }
}
