package io.github.obrol.server.internal;

import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.ServerObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
  private final Metrics metrics;
  private final boolean observesMessages;

  Hooks(Executor configured, List<ServerObserver> observers, Duration timeout, Metrics metrics) {
    this.observers = observers;
    this.observesMessages = observers.stream().anyMatch(Hooks::overridesOnMessage);
    this.timeout = timeout;
    this.metrics = metrics;
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
        }, (r, e) -> {
          throw new RejectedExecutionException("observer queue full or shut down");
        });
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

  /**
   * Whether some observer overrides {@link ServerObserver#onMessage}. Per message, a notification is a task
   * handed to the observer thread (a thread woken up, on a busy server a context switch) and the sender's
   * {@link io.github.obrol.server.SessionInfo}: not worth paying for observers that ignore messages, such as the runnable server's
   * log of refused logins.
   */
  boolean observesMessages() {
    return observesMessages;
  }

  private static boolean overridesOnMessage(ServerObserver o) {
    try {
      return o.getClass().getMethod("onMessage", InboundMessage.class, int.class).getDeclaringClass() != ServerObserver.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return true; // cannot tell: notify
    }
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
      // Full (a blocked observer) or shut down: counted, and logged once per 10,000 drops.
      metrics.observerEventsDropped.increment();
      if (metrics.observerEventsDropped.sum() % 10_000 == 1) {
        log.warn("observer queue full or shut down: event dropped ({} so far)", metrics.observerEventsDropped.sum());
      }
    }
  }

  /** A hook's work: returns its stage, or throws. */
  interface AsyncCall<T> {
    CompletionStage<T> call() throws Exception;
  }

  /** {@link #callAsync(AsyncCall, Executor, BiConsumer, Runnable)} that ignores a rejecting loop (it is closing). */
  <T> void callAsync(AsyncCall<T> call, Executor loop, BiConsumer<T, Throwable> onLoop) {
    callAsync(call, loop, onLoop, null);
  }

  /**
   * Runs {@code call} on the hook executor and passes its outcome (value or failure; a {@link
   * TimeoutException} after the hook timeout) to {@code onLoop}, exactly once, on {@code loop}. If {@code
   * loop} refuses the outcome (it shut down), {@code onRejected} runs instead, on whatever thread saw it.
   * The timeout is scheduled on {@code loop} when it is a {@link ScheduledExecutorService}.
   */
  <T> void callAsync(AsyncCall<T> call, Executor loop, BiConsumer<T, Throwable> onLoop, Runnable onRejected) {
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
          if (onRejected != null) {
            onRejected.run();
          }
        }
      }
    };
    if (loop instanceof ScheduledExecutorService scheduler) {
      try {
        timer[0] = scheduler.schedule(
            () -> complete.accept(null, new TimeoutException("hook did not decide within " + timeout.toMillis() + " ms")),
            timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        if (done.compareAndSet(false, true) && onRejected != null) {
          onRejected.run();
        }
        return;
      }
    }
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

  /**
   * Runs the observers' {@code onTerminated()}, then {@code last}, on the observer thread; if its queue is
   * full (a blocked observer), {@code last} runs at once on this thread without {@code onTerminated()}. The
   * caller bounds the wait for an observer thread that never gets to it. Then stops the hook threads.
   */
  void terminate(Runnable last) {
    Runnable terminal = () -> {
      for (ServerObserver o : observers) {
        try {
          o.onTerminated();
        } catch (Throwable t) {
          log.warn("observer {} threw", o, t);
        }
      }
      last.run();
    };
    try {
      observerThread.execute(terminal);
    } catch (RejectedExecutionException e) {
      log.warn("observer queue full: terminating without onTerminated()");
      last.run();
    }
    observerThread.shutdown();
    if (ownExecutor != null) {
      ownExecutor.shutdown();
    }
  }
}
