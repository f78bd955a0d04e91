package io.github.obrol.server.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Producer backpressure (GEN-LIMIT-8): the connections over their high-water mark that are still taking
 * bytes ("progressing"), and the producers waiting for them. A connection that routed a message while any
 * connection progresses over its mark stops reading until none does. A connection over its mark that takes
 * nothing is not a reason to wait: it is cut instead (see {@link NettyConnection}). Thread-safe.
 */
final class Backpressure {
  private final Set<NettyConnection> progressing = ConcurrentHashMap.newKeySet();
  private final Set<NettyConnection> waiting = ConcurrentHashMap.newKeySet();

  /** Whether some connection over its high-water mark is still taking bytes. */
  boolean active() {
    return !progressing.isEmpty();
  }

  /** Marks {@code c} as progressing over its mark, or not (any more). */
  void progressing(NettyConnection c, boolean on) {
    if (on) {
      progressing.add(c);
    } else if (progressing.remove(c) && progressing.isEmpty()) {
      releaseAll();
    }
  }

  /** {@code c} stops reading until no connection progresses over its mark; it is told by {@link NettyConnection#recipientsCaughtUp()}. */
  void await(NettyConnection c) {
    waiting.add(c);
    if (progressing.isEmpty() && waiting.remove(c)) {
      c.recipientsCaughtUp();
    }
  }

  /** {@code c} closed. */
  void forget(NettyConnection c) {
    waiting.remove(c);
    progressing(c, false);
  }

  private void releaseAll() {
    for (NettyConnection c : waiting) {
      if (waiting.remove(c)) {
        c.recipientsCaughtUp();
      }
    }
  }
}
