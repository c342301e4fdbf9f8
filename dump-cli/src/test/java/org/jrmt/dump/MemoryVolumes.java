package org.jrmt.dump;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.RecordWriter;
import org.jrmt.tape.TapeException;

/**
 * Test helper: a dump's volumes in memory, each written through a fake of a pipelined tape that
 * holds up to {@code capacity} tape records and confirms a record only once {@code window} later
 * ones were written, so the end of a tape is met with records in flight. Like the real one, the
 * fake stops for good at the end (sticky), hands back every record not written in its own buffers,
 * and spoils those buffers when the hand-back is closed, so a record read after that shows.
 */
final class MemoryVolumes implements VolumeWriter.Device {
  final List<ByteArrayOutputStream> volumes = new ArrayList<>();
  private final long capacity;
  private final int window;
  int handedBack;
  int closed;

  /** Volumes of {@code capacity} tape records, {@code window} records in flight. */
  MemoryVolumes(long capacity, int window) {
    this.capacity = capacity;
    this.window = window;
  }

  /** One volume without an end. */
  static MemoryVolumes unlimited() {
    return new MemoryVolumes(Long.MAX_VALUE, 0);
  }

  List<byte[]> bytes() {
    return volumes.stream().map(ByteArrayOutputStream::toByteArray).toList();
  }

  @Override
  public RecordWriter open(int number) {
    ByteArrayOutputStream volume = new ByteArrayOutputStream();
    volumes.add(volume);
    return new Writer(volume);
  }

  @Override
  public String name(int number) {
    return "memory" + number;
  }

  private final class Writer implements RecordWriter {
    private final ByteArrayOutputStream volume;
    private final ArrayDeque<ByteBuffer> inFlight = new ArrayDeque<>();
    private final List<ByteBuffer> unwritten = new ArrayList<>();
    private long written;
    private TapeException stopped;

    Writer(ByteArrayOutputStream volume) {
      this.volume = volume;
    }

    @Override
    public void write(ByteBuffer record) throws TapeException {
      ByteBuffer mine = ByteBuffer.allocateDirect(record.remaining());
      mine.put(record).flip();
      if (stopped != null) {
        unwritten.add(mine);
        throw stopped;
      }
      inFlight.add(mine);
      while (inFlight.size() > window) {
        answer();
      }
      if (stopped != null) {
        throw stopped;
      }
    }

    /** The tape answers the oldest record in flight. */
    private void answer() {
      ByteBuffer r = inFlight.removeFirst();
      if (stopped == null && written < capacity) {
        byte[] b = new byte[r.remaining()];
        r.duplicate().get(b);
        volume.write(b, 0, b.length);
        written++;
        return;
      }
      if (stopped == null) {
        stopped = new TapeException(Errno.ENOSPC, "end of tape");
      }
      unwritten.add(r);
    }

    @Override
    public void flush() throws TapeException {
      while (!inFlight.isEmpty()) {
        answer();
      }
      if (stopped != null) {
        throw stopped;
      }
    }

    @Override
    public long written() {
      return written;
    }

    @Override
    public Unwritten handBack() {
      while (!inFlight.isEmpty()) {
        answer();
      }
      List<ByteBuffer> taken = List.copyOf(unwritten);
      unwritten.clear();
      handedBack++;
      List<ByteBuffer> views = taken.stream().map(ByteBuffer::asReadOnlyBuffer).toList();
      return new Unwritten() {
        @Override
        public List<ByteBuffer> records() {
          return views;
        }

        @Override
        public void close() {
          closed++;
          byte[] junk = new byte[4096];
          Arrays.fill(junk, (byte) 0x5a);
          for (ByteBuffer b : taken) {
            for (int i = 0; i < b.capacity(); i++) {
              b.put(i, junk[i % junk.length]);
            }
          }
        }
      };
    }

    @Override
    public void close() {}
  }
}
