package io.github.obrol.client.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads all clients of a JVM share: one timer thread (timeouts, keep-alive, reconnect backoff;
 * its tasks are short and never call application code) and the default callback pool. All are daemon
 * threads, so an application that forgets to close a client can still exit.
 */
final class ClientThreads {
  private static final ScheduledThreadPoolExecutor TIMER = newTimer();
  static final ExecutorService DEFAULT_CALLBACKS =
      Executors.newCachedThreadPool(daemonFactory("obrol-client-callback-"));

  private ClientThreads() {}

  static ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return TIMER.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  static ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration period) {
    long nanos = period.toNanos();
    return TIMER.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  static Thread newThread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonFactory("obrol-client-timer-"));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private static ThreadFactory daemonFactory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> newThread(prefix + count.incrementAndGet(), r);
  }
}
