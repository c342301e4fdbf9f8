package org.jrmt.protocol;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** An allocator that fails the test if anyone asks it for more than {@code cap} bytes. */
final class CappedAllocator extends AbstractByteBufAllocator {
  private final int cap;

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
    return Unpooled.buffer(initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    check(initialCapacity);
    return Unpooled.directBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }
}
