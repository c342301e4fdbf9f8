package org.jrmt.server;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * An unpooled allocator that counts the memory its buffers hold ({@link #used}), records the
 * largest buffer asked for, and can fail: what no real peer can do to a server, made observable. A
 * failure is whatever {@code failure} returns for a request of that many bytes (null: none), as an
 * exhausted direct memory throws {@link OutOfMemoryError}.
 */
final class TestAllocator extends AbstractByteBufAllocator {
  private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(true, true);
  private final IntFunction<Throwable> failure;
  private final AtomicInteger largest = new AtomicInteger();
  private final AtomicLong peak = new AtomicLong();

  private TestAllocator(IntFunction<Throwable> failure) {
    super(true);
    this.failure = failure;
  }

  /** Never fails. */
  static TestAllocator counting() {
    return new TestAllocator(n -> null);
  }

  /** Fails every buffer of {@code limit} bytes or more as exhausted direct memory does. */
  static TestAllocator outOfMemoryFrom(int limit) {
    return new TestAllocator(
        n ->
            n >= limit
                ? new OutOfMemoryError(
                    "Cannot reserve " + n + " bytes of direct buffer memory (injected)")
                : null);
  }

  /** Fails every buffer of {@code limit} bytes or more with a RuntimeException. */
  static TestAllocator brokenFrom(int limit) {
    return new TestAllocator(n -> n >= limit ? new IllegalStateException("injected") : null);
  }

  /** Bytes held by live buffers of this allocator. */
  long used() {
    return delegate.metric().usedDirectMemory() + delegate.metric().usedHeapMemory();
  }

  /**
   * The most {@link #used} has been right after an allocation, so far: what a session held at once,
   * at the granularity of its allocations.
   */
  long peak() {
    return peak.get();
  }

  /** The largest initial capacity asked for so far. */
  int largest() {
    return largest.get();
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    check(initialCapacity);
    return measured(delegate.directBuffer(initialCapacity, maxCapacity));
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    check(initialCapacity);
    return measured(delegate.heapBuffer(initialCapacity, maxCapacity));
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private ByteBuf measured(ByteBuf b) {
    peak.accumulateAndGet(used(), Math::max);
    return b;
  }

  private void check(int n) {
    largest.accumulateAndGet(n, Math::max);
    Throwable t = failure.apply(n);
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }
}
