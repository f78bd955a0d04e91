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
 * event loop and submits one task per loop, which writes every collected mailbox and flushes each socket
 * once. Recipients on the current loop are drained directly. Only the server's event loops collect here
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
  private final Map<EventLoop, List<NettyConnection>> byLoop = new IdentityHashMap<>();

  private Dispatch() {}

  /** The mailbox of {@code recipient} became non-empty; it is written at the next {@link #flush()} of this thread. */
  static void enqueue(NettyConnection recipient) {
    CURRENT.get().pending.add(recipient);
  }

  /** Writes or hands over every mailbox filled on this thread since the last flush. */
  static void flush() {
    Dispatch d = CURRENT.get();
    // Draining may cause further events (a slow consumer's leave notice): loop until nothing is left.
    for (int round = 0; !d.pending.isEmpty(); round++) {
      List<NettyConnection> batch = d.pending;
      d.pending = new ArrayList<>();
      for (NettyConnection c : batch) {
        EventLoop loop = c.eventLoop();
        if (loop == null) {
          continue;
        }
        if (loop.inEventLoop()) {
          c.drainFromTask();
        } else {
          d.byLoop.computeIfAbsent(loop, k -> new ArrayList<>()).add(c);
        }
      }
      for (Map.Entry<EventLoop, List<NettyConnection>> e : d.byLoop.entrySet()) {
        List<NettyConnection> targets = e.getValue();
        try {
          e.getKey().execute(() -> {
            for (NettyConnection c : targets) {
              c.drainFromTask();
            }
            flush();
          });
        } catch (RuntimeException rejected) {
          // The loop is shutting down; its connections are being closed anyway. Said, not dropped silently.
          log.debug("{} deliveries not handed over: their event loop is shutting down", targets.size());
        }
      }
      d.byLoop.clear();
    }
  }
}
