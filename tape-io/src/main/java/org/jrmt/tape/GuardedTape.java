package org.jrmt.tape;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jrmt.protocol.Errno;
import org.jrmt.protocol.TapeOp;

/**
 * What the policy decorators share: every {@link Tape} call goes to the guarded tape through a
 * method of the decorator, and a refusal is a {@link TapeException#refused refusal} with {@link
 * Errno#EACCES} whose message names the policy.
 *
 * <p>{@link #execute} is final and dispatches through this decorator's own methods ({@link Tape}'s
 * default dispatch), never through the guarded tape's {@code execute}: a composite ({@code FSFM},
 * {@code BSFM} are two spaces), an alias ({@code NBSF}, {@code WEOFI}, {@code RETENSION}) or an
 * operation a backend might one day pass to its driver can only reach the tape as the primitive
 * calls that the subclass guards. Operations the default dispatch does not know fail with {@code
 * EINVAL} without reaching the tape.
 */
abstract sealed class GuardedTape implements Tape permits AppendOnlyTape, ReadOnlyTape {
  /** The tape guarded. */
  final Tape tape;

  /** Who refuses, for the messages. */
  final String policy;

  GuardedTape(Tape tape, String policy) {
    this.tape = Objects.requireNonNull(tape, "tape");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** The refusal of {@code what}, with the policy that refuses it. */
  final TapeException refused(String what) {
    return TapeException.refused(Errno.EACCES, what + ": " + policy);
  }

  @Override
  public int read(ByteBuffer dst) throws TapeException {
    return tape.read(dst);
  }

  /** A question, not a motion: the guarded tape answers it as it is. */
  @Override
  public int nextReadLength() {
    return tape.nextReadLength();
  }

  @Override
  public int write(ByteBuffer src) throws TapeException {
    return tape.write(src);
  }

  @Override
  public void writeFilemarks(int count) throws TapeException {
    tape.writeFilemarks(count);
  }

  @Override
  public void spaceFiles(int count) throws TapeException {
    tape.spaceFiles(count);
  }

  @Override
  public void spaceRecords(int count) throws TapeException {
    tape.spaceRecords(count);
  }

  @Override
  public void rewind() throws TapeException {
    tape.rewind();
  }

  @Override
  public void unload() throws TapeException {
    tape.unload();
  }

  @Override
  public void seekEndOfData() throws TapeException {
    tape.seekEndOfData();
  }

  @Override
  public void erase() throws TapeException {
    tape.erase();
  }

  @Override
  public TapePosition position() throws TapeException {
    return tape.position();
  }

  @Override
  public TapeStatus status() throws TapeException {
    return tape.status();
  }

  @Override
  public long seek(long offset, Whence whence) throws TapeException {
    return tape.seek(offset, whence);
  }

  @Override
  public long tell() throws TapeException {
    return tape.tell();
  }

  @Override
  public final void execute(TapeOp op, int count) throws TapeException {
    Tape.super.execute(op, count);
  }

  @Override
  public void close() throws TapeException {
    tape.close();
  }
}
