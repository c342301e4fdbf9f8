package org.jrmt.protocol;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/** An allocator that fails the test if anyone asks it for more than {@code cap} bytes. */
final class CappedAllocator extends AbstractByteBufAllocator {
  private final int cap;
  private final List<ByteBuf> allocated = new ArrayList<>();

  CappedAllocator(int cap) {
    super(false);
    this.cap = cap;
  }

  private void check(int initialCapacity) {
    if (initialCapacity > cap) {
      throw new AssertionError("allocated " + initialCapacity + " bytes, cap " + cap);
    }
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    check(initialCapacity);
    return track(Unpooled.buffer(initialCapacity, maxCapacity));
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    check(initialCapacity);
    return track(Unpooled.directBuffer(initialCapacity, maxCapacity));
  }

  private ByteBuf track(ByteBuf b) {
    allocated.add(b);
    return b;
  }

  /** How many buffers handed out still hold a reference. */
  long unreleased() {
    return allocated.stream().filter(b -> b.refCnt() > 0).count();
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }
}
