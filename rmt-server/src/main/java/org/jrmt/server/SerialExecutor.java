package org.jrmt.server;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on threads borrowed from a shared pool: a
 * session's device thread without a dedicated thread per idle connection. Thread-safe.
 *
 * <p>A task that throws, whatever it throws ({@link OutOfMemoryError} included), is handed to the
 * failure handler and the next task runs: the queue is never left marked running with no thread to
 * drain it, so the task that ends a session (closing its device, giving its lock and slot back)
 * always runs.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final Consumer<Throwable> onFailure;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  /** Runs tasks on {@code pool}; a task's Throwable goes to {@code onFailure}. */
  SerialExecutor(Executor pool, Consumer<Throwable> onFailure) {
    this.pool = pool;
    this.onFailure = onFailure;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RuntimeException | Error e) {
      // No thread (the pool is shut down, or none can be created): the tasks stay queued for the
      // next submission instead of being lost behind a "running" that nothing runs.
      synchronized (tasks) {
        running = false;
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (Throwable t) {
        failed(t);
      }
    }
  }

  private void failed(Throwable t) {
    try {
      onFailure.accept(t);
    } catch (Throwable again) {
      log.error("device thread: {}, and its handler failed: {}", t, again.toString());
    }
  }
}
