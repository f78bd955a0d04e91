package io.github.obrol.client;

import java.time.Duration;

/**
 * The connect (TCP connect, greeting and login) or a request did not finish within its timeout
 * ({@link ChatClient.Builder#connectTimeout}, {@link ChatClient.Builder#requestTimeout}). A request that
 * timed out may still be carried out by the server; its late answer is ignored.
 */
public final class ChatTimeoutException extends ChatException {
  private static final long serialVersionUID = 1L;

  /** The exception for {@code what} (for example {@code "LIST"}) that took longer than {@code timeout}. */
  public ChatTimeoutException(String what, Duration timeout) {
    super(what + " timed out after " + timeout.toMillis() + " ms", null);
  }
}
