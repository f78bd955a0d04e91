package io.github.obrol.server.internal;

import java.util.function.Consumer;

/**
 * The events waiting for one session: many producers (any thread), one consumer (the session's loop), in
 * the order they were offered (GEN-ORDER-2: a producer's offers keep their order).
 *
 * <p>Why not a {@link java.util.concurrent.ConcurrentLinkedQueue}: it allocates a node per delivery, which
 * is most of what a broadcast allocates once the message is encoded. Here an offer stores a reference into
 * an array under a lock that is almost never contended (a recipient rarely gets two broadcasts at the same
 * instant), and the consumer swaps the filled array for an empty one it keeps, so a steady stream of events
 * allocates nothing. Why not Netty's shaded JCTools MPSC queue: its cache-line padding and first chunk cost
 * about half a kilobyte per connection, idle or not, where this costs a 48-byte array once events arrive.
 *
 * <p>The mailbox also remembers whether a drain was asked for since the last drain by the loop ({@link
 * #offer} says when to ask), so a burst of events causes one drain task, not one per event.
 */
final class Mailbox {
  private static final int INITIAL = 8;
  /**
   * Arrays longer than this (after a burst) are dropped after use, so an idle session does not keep them; so are
   * arrays that a drain filled to less than a quarter, so that the arrays shrink back once a burst is over.
   */
  private static final int KEEP_AT_MOST = 256;
  private static final byte[][] NONE = new byte[0][];

  // Guarded by this.
  private byte[][] items = NONE;
  private int size;
  private boolean drainAsked;
  private boolean closed;

  /** The consumer's empty array, swapped in at the next drain; touched by the consumer only. */
  private byte[][] spare;

  /** What {@link #offer} did. */
  enum Offer {
    /** Refused: the mailbox is closed. */
    REFUSED,
    /** Queued; a drain was asked for before and has not run yet. */
    QUEUED,
    /** Queued, and the caller must ask for a drain. */
    QUEUED_DRAIN_NEEDED
  }

  /** Queues {@code event} (any thread), unless the mailbox is closed. */
  synchronized Offer offer(byte[] event) {
    if (closed) {
      return Offer.REFUSED;
    }
    byte[][] a = items;
    if (size == a.length) {
      byte[][] grown = new byte[Math.max(INITIAL, a.length * 2)][];
      System.arraycopy(a, 0, grown, 0, size);
      items = a = grown;
    }
    a[size++] = event;
    if (drainAsked) {
      return Offer.QUEUED;
    }
    drainAsked = true;
    return Offer.QUEUED_DRAIN_NEEDED;
  }

  /**
   * Hands every queued event to {@code sink} in order (the consumer only) and returns how many. {@code
   * asked}: this is the drain {@link #offer} asked for, so the next offer asks again.
   */
  int drain(Consumer<byte[]> sink, boolean asked) {
    byte[][] batch;
    int n;
    synchronized (this) {
      if (asked) {
        drainAsked = false;
      }
      n = size;
      if (n == 0) {
        return 0;
      }
      batch = items;
      // A spare four times larger than this drain needed was grown by an earlier burst: an idle session would keep
      // it (and the batch) for its life, up to 2 x 256 entries; a fresh small array costs 48 bytes once.
      byte[][] next = spare;
      items = next != null && (next.length <= INITIAL || 4 * n >= next.length) ? next : new byte[INITIAL][];
      size = 0;
    }
    spare = null;
    try {
      for (int i = 0; i < n; i++) {
        byte[] e = batch[i];
        batch[i] = null;
        sink.accept(e);
      }
    } finally {
      if (batch.length <= KEEP_AT_MOST && (batch.length <= INITIAL || 4 * n >= batch.length)) {
        java.util.Arrays.fill(batch, 0, n, null); // entries left if the sink threw
        spare = batch;
      }
    }
    return n;
  }

  /** Refuses every further offer; what is queued stays for a last {@link #drain} or {@link #clear}. */
  synchronized void close() {
    closed = true;
  }

  /** Drops every queued event (further offers are queued). */
  synchronized void clear() {
    java.util.Arrays.fill(items, 0, size, null);
    size = 0;
  }

  /** For tests: array slots this mailbox holds (queued or spare), what an idle session keeps. */
  synchronized int heldSlots() {
    return items.length + (spare == null ? 0 : spare.length);
  }

  /** For tests: events queued. */
  synchronized int size() {
    return size;
  }
}
