package io.github.obrol.server.internal;

import io.github.obrol.protocol.Dialect;
import java.util.concurrent.Executor;

/**
 * A connection as a {@link Router} sees it: something events can be queued to, with the dialect they are
 * encoded in and the loop its callbacks run on. Implemented by {@link Session}.
 */
public interface Member {
  /** A number unique among the connections of one server node. */
  long id();

  /** The dialect events for this member are encoded in; decided before it can log in. */
  Dialect dialect();

  /** The name it logged in with, or null while anonymous. */
  String name();

  /**
   * Queues an encoded event for this member (any thread). Returns false, queuing nothing, once the member
   * has departed or started closing: a caller never counts such an event as delivered.
   */
  boolean offer(byte[] encodedEvent);

  /**
   * Ends this member's connection with {@code KICKED} and {@code reason} (any thread; the work happens on
   * {@link #executor()}).
   */
  void kick(String reason);

  /** The member's own loop: router callbacks that do not complete synchronously run here. */
  Executor executor();

  /** Whether {@link #offer} would still queue an event: false once the member departed or started closing. */
  default boolean accepting() {
    return true;
  }

  /**
   * Ends this member's connection with {@code SHUTTING_DOWN} and {@code text}, as when its server shuts down
   * (any thread): a cluster node that lost its Redis gives its users up this way (CLUSTER-6).
   */
  default void shutDown(String text) {
    kick(text);
  }
}
