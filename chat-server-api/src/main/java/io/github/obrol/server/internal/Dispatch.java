package io.github.obrol.server.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers events to recipients without a cross-thread task per recipient.
 *
 * <p>A sender appends an event's shared bytes to each recipient's mailbox at once ({@link Session#offer}), so
 * that a reply the recipient writes later is always preceded by it (GEN-ORDER-3: a connection drains its
 * mailbox before writing a reply). The recipients whose mailboxes became non-empty are collected per
 * thread; {@link #flush()}, called at the end of every piece of work on an event loop, groups them by their
 * event loop and hands them to that loop's {@link Inbox}, whose one task writes every collected mailbox and
 * flushes each socket once. Recipients on the current loop are drained directly. Only the server's event loops collect here
 * (they flush at the end of every piece of work); an offer from any other thread goes to the recipient's
 * loop as a task of its own ({@link NettyConnection#scheduleDrain()}).
 */
final class Dispatch {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Dispatch.class);
  private static final FastThreadLocal<Dispatch> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected Dispatch initialValue() {
          return new Dispatch();
        }
      };

  private List<NettyConnection> pending = new ArrayList<>();
  /** The list {@link #pending} becomes at the next flush: reused, not allocated per message. */
  private List<NettyConnection> spare = new ArrayList<>();
  /** Recipients on other loops, per loop, during one flush; the lists are reused. */
  private final Map<Inbox, ArrayList<NettyConnection>> byLoop = new IdentityHashMap<>();

  private Dispatch() {}

  /**
   * The recipients handed over to one event loop, by any number of other loops: one task drains them all,
   * and it is submitted only when the inbox was empty, so a loop that several senders feed at once is woken
   * once, and no task object or list is allocated per message.
   */
  static final class Inbox implements Runnable {
    private final EventLoop loop;
    private ArrayList<NettyConnection> items = new ArrayList<>(); // guarded by this
    private boolean scheduled; // guarded by this
    /** The consumer's empty list, swapped in when the task takes the items; on the loop only. */
    private ArrayList<NettyConnection> spare = new ArrayList<>();

    Inbox(EventLoop loop) {
      this.loop = loop;
    }

    /** Adds {@code recipients} (any thread); submits the task if none is pending. */
    void addAll(List<NettyConnection> recipients) {
      synchronized (this) {
        items.addAll(recipients);
        if (scheduled) {
          return;
        }
        scheduled = true;
      }
      try {
        loop.execute(this);
      } catch (RuntimeException rejected) {
        // The loop is shutting down; its connections are being closed anyway. Said, not dropped silently.
        log.debug("{} deliveries not handed over: their event loop is shutting down", recipients.size());
      }
    }

    @Override
    public void run() {
      ArrayList<NettyConnection> batch;
      synchronized (this) {
        batch = items;
        items = spare != null ? spare : new ArrayList<>();
        scheduled = false;
      }
      spare = null;
      try {
        for (int i = 0, n = batch.size(); i < n; i++) {
          batch.get(i).drainFromTask();
        }
      } finally {
        batch.clear();
        spare = batch;
      }
      flush();
    }
  }

  /** The mailbox of {@code recipient} became non-empty; it is written at the next {@link #flush()} of this thread. */
  static void enqueue(NettyConnection recipient) {
    CURRENT.get().pending.add(recipient);
  }

  /**
   * Writes or hands over every mailbox filled on this thread since the last flush. The other loops get
   * their recipients first, so that they write to them while this loop writes to its own: with one message
   * in flight, the last recipient's write comes one fan-out earlier than if this loop wrote first.
   */
  static void flush() {
    Dispatch d = CURRENT.get();
    // Draining may cause further events (a slow consumer's leave notice): loop until nothing is left.
    while (!d.pending.isEmpty()) {
      List<NettyConnection> batch = d.pending;
      List<NettyConnection> next = d.spare;
      d.spare = null; // a flush re-entered from a drain below must not take the same list
      d.pending = next != null ? next : new ArrayList<>();
      boolean local = false;
      boolean foreign = false;
      for (int i = 0, n = batch.size(); i < n; i++) {
        NettyConnection c = batch.get(i);
        EventLoop loop = c.eventLoop();
        if (loop == null) {
          continue;
        }
        if (loop.inEventLoop()) {
          local = true;
        } else {
          foreign = true;
          d.byLoop.computeIfAbsent(c.inbox(), k -> new ArrayList<>()).add(c);
        }
      }
      if (foreign) {
        for (Map.Entry<Inbox, ArrayList<NettyConnection>> e : d.byLoop.entrySet()) {
          ArrayList<NettyConnection> targets = e.getValue();
          if (!targets.isEmpty()) {
            e.getKey().addAll(targets);
            targets.clear();
          }
        }
      }
      if (local) {
        for (int i = 0, n = batch.size(); i < n; i++) {
          NettyConnection c = batch.get(i);
          EventLoop loop = c.eventLoop();
          if (loop != null && loop.inEventLoop()) {
            c.drainFromTask();
          }
        }
      }
      batch.clear();
      d.spare = batch;
    }
  }
}
