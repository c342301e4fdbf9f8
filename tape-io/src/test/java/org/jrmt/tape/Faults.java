package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.jrmt.protocol.Errno;

/**
 * Faults to inject into a tape for tests: {@link #wrap} decorates any {@link Tape} with them, so
 * backends stay free of test-only branches.
 *
 * <p>Operations are counted from 1 per kind: the Nth {@code write} call, the Nth {@code read} call.
 * Every counted operation happens before the fault takes effect, so a failed write has written
 * nothing.
 *
 * @param failWriteAt the write call that fails (1-based), 0 for none
 * @param writeErrno the errno the failing write reports
 * @param failReadAt the read call that fails (1-based), 0 for none
 * @param readErrno the errno the failing read reports
 * @param shortReadAt the read call that returns fewer bytes (1-based), 0 for none
 * @param shortReadBytes the most bytes that short read returns
 * @param delayPerOperation how long every operation waits first, as a slow device would
 */
public record Faults(
    long failWriteAt,
    Errno writeErrno,
    long failReadAt,
    Errno readErrno,
    long shortReadAt,
    int shortReadBytes,
    Duration delayPerOperation) {

  /** How the decorator waits; tests substitute one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    /** Waits for {@code d}. */
    void sleep(Duration d) throws InterruptedException;
  }

  /** Validates the configuration. */
  public Faults {
    Objects.requireNonNull(writeErrno, "writeErrno");
    Objects.requireNonNull(readErrno, "readErrno");
    Objects.requireNonNull(delayPerOperation, "delayPerOperation");
    if (failWriteAt < 0 || failReadAt < 0 || shortReadAt < 0 || shortReadBytes < 0) {
      throw new IllegalArgumentException("negative fault setting");
    }
  }

  /** No faults. */
  public static Faults none() {
    return new Faults(0, Errno.EIO, 0, Errno.EIO, 0, 0, Duration.ZERO);
  }

  /** These faults plus: the {@code n}th write fails with {@code errno} and writes nothing. */
  public Faults failingWrite(long n, Errno errno) {
    return new Faults(
        n, errno, failReadAt, readErrno, shortReadAt, shortReadBytes, delayPerOperation);
  }

  /** These faults plus: the {@code n}th read fails with {@code errno}. */
  public Faults failingRead(long n, Errno errno) {
    return new Faults(
        failWriteAt, writeErrno, n, errno, shortReadAt, shortReadBytes, delayPerOperation);
  }

  /** These faults plus: the {@code n}th read returns at most {@code bytes} bytes. */
  public Faults shortRead(long n, int bytes) {
    return new Faults(failWriteAt, writeErrno, failReadAt, readErrno, n, bytes, delayPerOperation);
  }

  /** These faults plus: every operation first waits {@code delay}. */
  public Faults slow(Duration delay) {
    return new Faults(
        failWriteAt, writeErrno, failReadAt, readErrno, shortReadAt, shortReadBytes, delay);
  }

  /** {@code tape} with these faults, waiting with {@link Thread#sleep}. */
  public Tape wrap(Tape tape) {
    return wrap(tape, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
  }

  /** {@code tape} with these faults, waiting with {@code sleeper}. */
  public Tape wrap(Tape tape, Sleeper sleeper) {
    return new FaultyTape(tape, this, sleeper);
  }

  /** The decorator. Closing it closes the wrapped tape. */
  private static final class FaultyTape implements Tape {
    private final Tape tape;
    private final Faults faults;
    private final Sleeper sleeper;
    private long writes;
    private long reads;

    FaultyTape(Tape tape, Faults faults, Sleeper sleeper) {
      this.tape = Objects.requireNonNull(tape, "tape");
      this.faults = faults;
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    private void delay() throws TapeException {
      if (faults.delayPerOperation.isZero()) {
        return;
      }
      try {
        sleeper.sleep(faults.delayPerOperation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TapeException(Errno.EINTR, "interrupted while delaying", e);
      }
    }

    @Override
    public int read(ByteBuffer dst) throws TapeException {
      delay();
      reads++;
      if (reads == faults.failReadAt) {
        throw new TapeException(faults.readErrno, "injected read fault #" + reads);
      }
      int start = dst.position();
      int n = tape.read(dst);
      if (reads == faults.shortReadAt && n > faults.shortReadBytes) {
        dst.position(start + faults.shortReadBytes);
        return faults.shortReadBytes;
      }
      return n;
    }

    @Override
    public int nextReadLength() {
      return tape.nextReadLength();
    }

    @Override
    public int write(ByteBuffer src) throws TapeException {
      delay();
      writes++;
      if (writes == faults.failWriteAt) {
        throw new TapeException(faults.writeErrno, "injected write fault #" + writes);
      }
      return tape.write(src);
    }

    @Override
    public void writeFilemarks(int count) throws TapeException {
      delay();
      tape.writeFilemarks(count);
    }

    @Override
    public void spaceFiles(int count) throws TapeException {
      delay();
      tape.spaceFiles(count);
    }

    @Override
    public void spaceRecords(int count) throws TapeException {
      delay();
      tape.spaceRecords(count);
    }

    @Override
    public void rewind() throws TapeException {
      delay();
      tape.rewind();
    }

    @Override
    public void unload() throws TapeException {
      delay();
      tape.unload();
    }

    @Override
    public void seekEndOfData() throws TapeException {
      delay();
      tape.seekEndOfData();
    }

    @Override
    public void erase() throws TapeException {
      delay();
      tape.erase();
    }

    @Override
    public TapePosition position() throws TapeException {
      return tape.position();
    }

    @Override
    public TapeStatus status() throws TapeException {
      delay();
      return tape.status();
    }

    @Override
    public long seek(long offset, Whence whence) throws TapeException {
      delay();
      return tape.seek(offset, whence);
    }

    @Override
    public long tell() throws TapeException {
      return tape.tell();
    }

    @Override
    public void close() throws TapeException {
      tape.close();
    }
  }
}
