package io.github.obrol.server;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a login is accepted, possibly asynchronously (for example by asking another service).
 *
 * <p>Called on the server's hook executor, never on an I/O thread, after the name passed the protocol's
 * name rules and was found free. While it decides, the session reads no further command. A stage that does
 * not complete within {@link ChatServer#hookTimeout()}, completes exceptionally, or an authenticator that
 * throws, rejects the login with {@code LOGIN_REJECTED}; the connection stays open (MD-LOGIN-2).
 */
@FunctionalInterface
public interface Authenticator {
  /** Accepts every login. */
  Authenticator ACCEPT_ALL = (session, name) -> java.util.concurrent.CompletableFuture.completedFuture(true);

  /**
   * Whether {@code session} may log in as {@code name}: completes with {@code true} to accept, {@code false}
   * to reject with {@code LOGIN_REJECTED}.
   */
  CompletionStage<Boolean> authenticate(SessionInfo session, String name) throws Exception;
}
