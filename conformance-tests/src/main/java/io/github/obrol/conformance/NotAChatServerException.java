package io.github.obrol.conformance;

/**
 * The target answered like a server of another protocol (an HTTP server, for example), so no rule was
 * checked; the message says what it sent. A kind of {@link ServerUnreachableException}: the chat server
 * the options name cannot be reached there.
 */
public final class NotAChatServerException extends ServerUnreachableException {
  private static final long serialVersionUID = 1L;

  public NotAChatServerException(String message) {
    super(message, null);
  }
}
