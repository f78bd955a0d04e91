package io.github.obrol.server.internal;

import io.github.obrol.server.ServerObserver;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the user's hooks away from the event loops: the authenticator and interceptors on the hook executor
 * with a timeout, the observers on one observer thread with a bounded queue. A hook that throws or blocks
 * never reaches an event loop.
 */
final class Hooks {
  private static final Logger log = LoggerFactory.getLogger(Hooks.class);
  static final int OBSERVER_QUEUE = 65_536;

  private final Executor executor;
  private final ExecutorService ownExecutor;
  private final ThreadPoolExecutor observerThread;
  private final List<ServerObserver> observers;
  private final Duration timeout;

  Hooks(Executor configured, List<ServerObserver> observers, Duration timeout) {
    this.observers = observers;
    this.timeout = timeout;
    if (configured != null) {
      this.executor = configured;
      this.ownExecutor = null;
    } else {
      int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
      ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(65_536), daemon("obrol-hook-"));
      pool.allowCoreThreadTimeOut(true);
      this.executor = pool;
      this.ownExecutor = pool;
    }
    ThreadFactory observerFactory = daemon("obrol-observer-");
    this.observerThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(OBSERVER_QUEUE), r -> {
          Thread t = observerFactory.newThread(r);
          observer = t;
          return t;
        }, (r, e) -> log.warn("observer queue full: event dropped"));
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private volatile Thread observer;

  boolean isObserverThread() {
    return Thread.currentThread() == observer;
  }

  boolean hasObservers() {
    return !observers.isEmpty();
  }

  /** Calls {@code call} on every observer, on the observer thread. */
  void notify(Consumer<ServerObserver> call) {
    if (observers.isEmpty() || observerThread.isShutdown()) {
      return;
    }
    try {
      observerThread.execute(() -> {
        for (ServerObserver o : observers) {
          try {
            call.accept(o);
          } catch (Throwable t) {
            log.warn("observer {} threw", o, t);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // Shut down or full: the rejection handler logged it.
    }
  }

  /** A hook's work: returns its stage, or throws. */
  interface AsyncCall<T> {
    CompletionStage<T> call() throws Exception;
  }

  /**
   * Runs {@code call} on the hook executor and passes its outcome (value or failure; a {@link
   * TimeoutException} after the hook timeout) to {@code onLoop}, exactly once, on {@code loop}.
   */
  <T> void callAsync(AsyncCall<T> call, EventLoop loop, BiConsumer<T, Throwable> onLoop) {
    AtomicBoolean done = new AtomicBoolean();
    ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
    BiConsumer<T, Throwable> complete = (v, t) -> {
      if (done.compareAndSet(false, true)) {
        if (timer[0] != null) {
          timer[0].cancel(false);
        }
        try {
          loop.execute(() -> onLoop.accept(v, t));
        } catch (RejectedExecutionException e) {
          // The server is shutting down; the connection is closed anyway.
        }
      }
    };
    timer[0] = loop.schedule(
        () -> complete.accept(null, new TimeoutException("hook did not decide within " + timeout.toMillis() + " ms")),
        timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      executor.execute(() -> {
        try {
          CompletionStage<T> stage = call.call();
          if (stage == null) {
            complete.accept(null, new NullPointerException("hook returned null"));
          } else {
            stage.whenComplete(complete);
          }
        } catch (Throwable t) {
          complete.accept(null, t);
        }
      });
    } catch (RuntimeException e) {
      complete.accept(null, e);
    }
  }

  /** Runs the terminal callback, then stops the hook threads. */
  void terminate(Runnable last) {
    notify(o -> o.onTerminated());
    try {
      observerThread.execute(last);
    } catch (RejectedExecutionException e) {
      last.run();
    }
    observerThread.shutdown();
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
  }
}
