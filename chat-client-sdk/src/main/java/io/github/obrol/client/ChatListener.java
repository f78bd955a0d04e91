package io.github.obrol.client;

import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.LeaveReason;

/**
 * Receives what happens on a {@link ChatClient}. Every method has an empty default: override only what
 * you need.
 *
 * <h2>Threads and order</h2>
 *
 * The callbacks of one client are called <b>one at a time, in the order the client learned of the
 * events, and never on one of the client's I/O threads</b>: they run on the client's callback executor
 * ({@link ChatClient.Builder#callbackExecutor}), serialised per client. The futures the client returns
 * complete on the same executor, in the same order: for example a message that arrived before the reply
 * to {@link ChatClient#listUsers()} is delivered before the list future completes. A slow callback delays
 * the callbacks after it (not the network: the client keeps reading), so hand long work to another thread.
 * A callback that throws is logged and does not stop later callbacks.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   onConnected  (then messages, joins, leaves, notices, server errors)
 *   onDisconnected (willReconnect?) ... onConnected ...   (only with a {@link ReconnectPolicy})
 *   onClosed     (exactly once; nothing follows)
 * </pre>
 *
 * {@link #onClosed} is terminal: it is called exactly once per client that was built, also when the first
 * connect fails or the client is closed before it connected, and no method of this listener is called
 * for that client afterwards.
 */
public interface ChatListener {

  /**
   * The login was accepted: the first time before {@link ChatClient#connect()}'s future completes, and
   * again after each successful reconnect.
   */
  default void onConnected(ChatClient client) {}

  /**
   * A chat message from {@code sender}. {@code audience} is {@link Audience#BROADCAST} or {@link
   * Audience#PRIVATE} in the modern dialect, and always {@link Audience#UNKNOWN} in the classic dialect,
   * whose wire does not tell them apart (CL-SENDTO-1).
   */
  default void onMessage(ChatClient client, String sender, String text, Audience audience) {}

  /** Another user logged in (GEN-JOIN-1). */
  default void onJoin(ChatClient client, String name) {}

  /**
   * A user departed (GEN-LEAVE-1). {@code reason} is {@link LeaveReason#UNKNOWN} in the classic dialect,
   * which carries none; {@code detail} is the quit reason or {@code ""}.
   */
  default void onLeave(ChatClient client, String name, LeaveReason reason, String detail) {}

  /** A notice from the server, such as an administrator's broadcast (CL-NOTICE-1, MD-EVENT-1). */
  default void onNotice(ChatClient client, String text) {}

  /**
   * An error from the server that no future reports: in the classic dialect every error after the login
   * (for example {@code no such user}, which the classic wire does not tie to a request); in the modern
   * dialect only unexpected ones. Errors that end the connection arrive as {@link #onDisconnected} or
   * {@link #onClosed} causes instead.
   */
  default void onServerError(ChatClient client, ErrorCode code, String text) {}

  /**
   * A frame from the server that the client does not understand, as the server wrote it (the classic frame's
   * leading CR and trailing blanks removed, control characters shown as {@code \xNN}): for example a classic
   * server's own error text ({@code "Please login"}) or {@code "Client off"} without a name. The client does not
   * guess what it means; show it to the user as the server's words. Only after {@link #onConnected}: before the
   * login is confirmed such a frame fails the login instead (a classic success has no reply, CL-LOGIN-2).
   */
  default void onServerText(ChatClient client, String text) {}

  /**
   * The connection was lost after {@link #onConnected}, or a reconnect attempt failed. Requests that were
   * waiting for an answer have failed with {@link ConnectionLostException} before this call. If {@link
   * Disconnection#willReconnect()}, the client waits {@link Disconnection#reconnectDelay()} after this
   * method returns and then reconnects, unless this method calls {@link Disconnection#cancelReconnect()}
   * or the client is closed; otherwise {@link #onClosed} follows.
   */
  default void onDisconnected(ChatClient client, Disconnection disconnection) {}

  /**
   * The client is closed for good: by {@link ChatClient#close()} or {@link ChatClient#abort()} ({@code
   * cause} is {@code null}), because the first connect failed, or because the connection was lost and no
   * reconnect follows ({@code cause} says why). Called exactly once; nothing is called after it.
   */
  default void onClosed(ChatClient client, Throwable cause) {}
}
