package io.github.obrol.client.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor that may have many threads. This
 * is how one client's callbacks stay ordered and never concurrent while clients share a pool. A task that
 * throws is logged; the next one still runs.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean scheduled;
  /** The thread running a task now, so that a blocking close() called from a callback does not wait on itself. */
  private volatile Thread runner;

  SerialExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (tasks) {
      tasks.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The application shut its executor down; nothing more can be delivered.
      synchronized (tasks) {
        scheduled = false;
        tasks.clear();
      }
      log.warn("callback executor rejected a task; callbacks are dropped", e);
    }
  }

  /** Whether the calling thread is running one of this executor's tasks. */
  boolean isRunningTask() {
    return runner == Thread.currentThread();
  }

  private void drain() {
    // A bounded batch per turn keeps one busy client from holding a shared pool thread for ever.
    for (int i = 0; i < 1024; i++) {
      Runnable task;
      synchronized (tasks) {
        task = tasks.poll();
        if (task == null) {
          scheduled = false;
          return;
        }
      }
      runner = Thread.currentThread();
      try {
        task.run();
      } catch (Throwable t) {
        log.warn("a chat client callback threw", t);
      } finally {
        runner = null;
      }
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (tasks) {
        scheduled = false;
        tasks.clear();
      }
      log.warn("callback executor rejected a task; callbacks are dropped", e);
    }
  }
}
