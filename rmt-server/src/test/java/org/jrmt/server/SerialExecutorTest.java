package org.jrmt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A task that throws, Errors included, neither stops the tasks after it nor wedges the queue. */
class SerialExecutorTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aThrowingTaskIsReportedAndTheNextOnesRun() throws Exception {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Integer> ran = new CopyOnWriteArrayList<>();
    SerialExecutor e = new SerialExecutor(pool, failures::add);
    CountDownLatch done = new CountDownLatch(1);
    e.execute(() -> ran.add(1));
    e.execute(
        () -> {
          throw new OutOfMemoryError("injected");
        });
    e.execute(() -> ran.add(2));
    e.execute(
        () -> {
          throw new IllegalStateException("injected");
        });
    e.execute(() -> ran.add(3));
    e.execute(done::countDown);
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly(1, 2, 3);
    assertThat(failures)
        .hasSize(2)
        .hasExactlyElementsOfTypes(OutOfMemoryError.class, IllegalStateException.class);
    // And later submissions still run: the executor is not left "running" with no thread.
    CountDownLatch later = new CountDownLatch(1);
    e.execute(later::countDown);
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aFailingFailureHandlerDoesNotWedgeItEither() throws Exception {
    SerialExecutor e =
        new SerialExecutor(
            pool,
            t -> {
              throw new IllegalStateException("handler broken too");
            });
    e.execute(
        () -> {
          throw new StackOverflowError("injected");
        });
    CountDownLatch later = new CountDownLatch(1);
    e.execute(later::countDown);
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
