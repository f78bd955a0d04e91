package io.github.obrol.benchmarks.load.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a fleet's senders, closed loop or open loop.
 *
 * <p><b>Closed loop</b> ({@link #startClosedLoop}): each sender keeps {@code inFlight} messages in flight; a
 * message leaves the window when every receiver has it, and the sender then sends the next one. Sends
 * requested while a sender's event loop is busy are coalesced into one flush.
 *
 * <p><b>Open loop</b> ({@link #startOpenLoop}): messages are due at fixed intervals whatever happens to the
 * earlier ones; every millisecond each sender sends all messages that are due, each stamped with the time it
 * was due, not the time it left. A server (or generator) that falls behind therefore shows as latency
 * rather than as a lower rate: the measurement has no coordinated omission.
 */
public final class Senders {
  private final Fleet fleet;
  private final DeliveryTracker tracker;
  private final int payloadBytes;
  private final AtomicInteger[] pending;
  private final ScheduledFuture<?>[] tickers;
  private volatile boolean running;

  /**
   * @param fleet whose senders to drive, all ready
   * @param tracker that allocates message ids and reports completions
   * @param payloadBytes size of each message text (at least {@link Payload#minimumBytes()})
   */
  public Senders(Fleet fleet, DeliveryTracker tracker, int payloadBytes) {
    this.fleet = fleet;
    this.tracker = tracker;
    this.payloadBytes = payloadBytes;
    int n = fleet.senders().size();
    this.pending = new AtomicInteger[n];
    this.tickers = new ScheduledFuture<?>[n];
    for (int i = 0; i < n; i++) {
      pending[i] = new AtomicInteger();
    }
  }

  /** Starts every sender with {@code inFlight} messages; each completion sends one more until {@link #stop()}. */
  public void startClosedLoop(int inFlight) {
    running = true;
    tracker.onComplete(
        sender -> {
          if (running) {
            request(sender, 1);
          }
        });
    for (int s = 0; s < pending.length; s++) {
      request(s, inFlight);
    }
  }

  /**
   * Sends {@code count} messages from sender {@code s}, each on its own; completes nothing by itself. Used by
   * the JMH benchmark, which waits for the completions.
   */
  public void sendBatch(int s, int count) {
    running = true;
    request(s, count);
  }

  private void request(int s, int count) {
    if (pending[s].getAndAdd(count) == 0) {
      Channel ch = fleet.senders().get(s).channel();
      ch.eventLoop().execute(() -> drain(s, ch));
    }
  }

  private void drain(int s, Channel ch) {
    String name = fleet.senders().get(s).name();
    int n;
    while ((n = pending[s].get()) > 0) {
      for (int i = 0; i < n; i++) {
        long id = tracker.newMessage();
        ch.write(Unpooled.wrappedBuffer(fleet.wire().broadcast(name, Payload.text(id, tracker.now(), s, payloadBytes))), ch.voidPromise());
      }
      ch.flush();
      pending[s].addAndGet(-n);
    }
  }

  /**
   * Starts sending {@code messagesPerSecond} messages per second in total, spread evenly over the senders,
   * the first due now.
   */
  public void startOpenLoop(double messagesPerSecond) {
    if (!(messagesPerSecond > 0)) {
      throw new IllegalArgumentException("messagesPerSecond: " + messagesPerSecond + " (expected: > 0)");
    }
    running = true;
    tracker.onComplete(sender -> {});
    List<BenchConnection> senders = fleet.senders();
    int count = senders.size();
    double interval = 1e9 * count / messagesPerSecond; // between two messages of one sender
    long start = tracker.now();
    for (int s = 0; s < count; s++) {
      int sender = s;
      Channel ch = senders.get(s).channel();
      String name = senders.get(s).name();
      long first = start + Math.round(interval * s / count);
      long[] sentSoFar = {0};
      tickers[s] =
          ch.eventLoop()
              .scheduleAtFixedRate(
                  () -> {
                    if (!running) {
                      return;
                    }
                    long now = tracker.now();
                    boolean wrote = false;
                    while (true) {
                      long due = first + Math.round(interval * sentSoFar[0]);
                      if (due > now) {
                        break;
                      }
                      long id = tracker.newMessage();
                      ch.write(Unpooled.wrappedBuffer(fleet.wire().broadcast(name, Payload.text(id, due, sender, payloadBytes))), ch.voidPromise());
                      sentSoFar[0]++;
                      wrote = true;
                    }
                    if (wrote) {
                      ch.flush();
                    }
                  },
                  0,
                  1,
                  TimeUnit.MILLISECONDS);
    }
  }

  /** Sends no more messages; those in flight still complete. */
  public void stop() {
    running = false;
    for (ScheduledFuture<?> t : tickers) {
      if (t != null) {
        t.cancel(false);
      }
    }
  }
}
