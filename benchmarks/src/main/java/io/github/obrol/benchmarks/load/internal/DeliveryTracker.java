package io.github.obrol.benchmarks.load.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts deliveries at the receivers. Each message in flight has a counter of the receivers still to get it,
 * in a ring indexed by message id; the receiver that brings it to zero completes the message, records the
 * latency to the last recipient and tells the sender (closed loop: so it sends the next one).
 *
 * <p>Latencies are recorded only for messages whose intended send time is at or after {@link
 * #measureFrom(long)}, so warm-up traffic never reaches the histograms. Thread-safe.
 */
public final class DeliveryTracker {
  private static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

  private final int recipients;
  private final int mask;
  private final AtomicIntegerArray remaining;
  private final AtomicLong nextId = new AtomicLong();
  private final long epochNanos = System.nanoTime();
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder overruns = new LongAdder();
  private final LongAdder unknown = new LongAdder();
  private final Recorder perRecipient = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
  private final Recorder toLastRecipient = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
  private volatile long measureFrom = Long.MAX_VALUE;
  private volatile IntConsumer onComplete = sender -> {};
  private volatile boolean recordEachDelivery = true;

  /**
   * @param recipients receivers that count, each message is complete when all have it
   * @param capacity messages that may be in flight at once, rounded up to a power of two
   */
  public DeliveryTracker(int recipients, int capacity) {
    if (recipients <= 0) {
      throw new IllegalArgumentException("recipients: " + recipients + " (expected: > 0)");
    }
    if (capacity <= 0 || capacity > 1 << 26) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1 to 2^26)");
    }
    int size = Integer.highestOneBit(capacity - 1 == 0 ? 1 : capacity - 1) << 1;
    this.recipients = recipients;
    this.mask = size - 1;
    this.remaining = new AtomicIntegerArray(size);
  }

  /** Nanoseconds since this tracker was made: the clock of every stamp. */
  public long now() {
    return System.nanoTime() - epochNanos;
  }

  /** Called with the sender index of every completed message; replaces the previous listener. */
  public void onComplete(IntConsumer listener) {
    this.onComplete = listener;
  }

  /**
   * Whether to record the latency of every delivery (default) or only to the last recipient: the
   * throughput mode leaves it off, to spend less of the shared processors on measuring.
   */
  public void recordEachDelivery(boolean on) {
    recordEachDelivery = on;
  }

  /** Records latencies only for messages stamped at or after {@code stamp}; clears what was recorded. */
  public void measureFrom(long stamp) {
    measureFrom = stamp;
    perRecipient.reset();
    toLastRecipient.reset();
  }

  /** Allocates the next message: arms its counter and returns its id. */
  public long newMessage() {
    long id = nextId.getAndIncrement();
    if (remaining.getAndSet((int) (id & mask), recipients) != 0) {
      overruns.increment(); // a message older by a whole ring never completed: it is counted as lost
    }
    return id;
  }

  /** One receiver got message {@code id}; {@code receivedAt} on this tracker's clock. */
  public void delivered(long id, long stamp, int sender, long receivedAt) {
    deliveries.increment();
    int left = remaining.decrementAndGet((int) (id & mask));
    boolean measured = stamp >= measureFrom;
    long latency = Math.max(0, receivedAt - stamp);
    if (measured && recordEachDelivery) {
      perRecipient.recordValue(Math.min(latency, HIGHEST_TRACKABLE_NANOS));
    }
    if (left == 0) {
      completed.increment();
      if (measured) {
        toLastRecipient.recordValue(Math.min(latency, HIGHEST_TRACKABLE_NANOS));
      }
      onComplete.accept(sender);
    } else if (left < 0) {
      unknown.increment();
    }
  }

  /** Deliveries counted so far, at receivers only. */
  public long deliveries() {
    return deliveries.sum();
  }

  /** Messages that reached every receiver. */
  public long completed() {
    return completed.sum();
  }

  /** Messages allocated so far. */
  public long sent() {
    return nextId.get();
  }

  /** Messages whose ring slot was reused before they completed (never all delivered). */
  public long overruns() {
    return overruns.sum();
  }

  /** Deliveries beyond a message's recipients (duplicates, or of messages already overrun). */
  public long unexpected() {
    return unknown.sum();
  }

  /** Latencies per delivery recorded since the last call (or {@link #measureFrom}), in nanoseconds. */
  public Histogram takePerRecipient() {
    return perRecipient.getIntervalHistogram();
  }

  /** Latencies to the last recipient recorded since the last call, in nanoseconds. */
  public Histogram takeToLastRecipient() {
    return toLastRecipient.getIntervalHistogram();
  }
}
