package io.github.obrol.server;

import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.LeaveReason;

/**
 * Observes what happens on a server. Every method has a no-op default.
 *
 * <p>Threading and order: all observers of a server are called on one dedicated observer thread, one
 * call at a time, in the order the server reported the events; never on an I/O thread. A call that throws
 * is logged and otherwise ignored. A slow observer never slows the server: events wait in a bounded queue
 * (65,536 events) and events beyond it are dropped and logged. {@link #onTerminated()} is the last call;
 * nothing is called after it.
 */
public interface ServerObserver {
  /** A connection was accepted. */
  default void onConnect(SessionInfo session) {}

  /** A user logged in. */
  default void onJoin(SessionInfo session) {}

  /** A logged-in user departed, for {@code reason}. */
  default void onLeave(SessionInfo session, LeaveReason reason) {}

  /** A connection closed (logged in or not). */
  default void onDisconnect(SessionInfo session) {}

  /** A message was delivered (after the interceptors); {@code deliveries} is the number of recipients. */
  default void onMessage(InboundMessage message, int deliveries) {}

  /** A connection was answered with an error, or closed for a fatal one. */
  default void onError(SessionInfo session, ErrorCode code, String detail) {}

  /** The server has shut down; the last call. */
  default void onTerminated() {}
}
