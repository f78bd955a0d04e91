package io.github.obrol.server;

/**
 * Inspects every chat message (and every {@link ChatServer#broadcast(String) administrator notice}) before
 * it is delivered, and may veto or rewrite it.
 *
 * <p>Threading: called on the server's hook executor, never on an I/O thread. The interceptors of a
 * server are called one after the other, in the order they were added, for one message at a time per
 * session: the session reads no further command until the chain has decided, so its messages keep their
 * order (GEN-ORDER-1). The whole chain must decide within {@link ChatServer#hookTimeout()}; a chain that
 * throws or runs out of time answers the sender {@code INTERNAL_ERROR} and the message is not delivered.
 */
@FunctionalInterface
public interface MessageInterceptor {
  /** Decides about {@code message}; must not return null. */
  Interception intercept(InboundMessage message) throws Exception;
}
