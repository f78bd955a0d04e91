package io.github.obrol.client;

/**
 * The client cannot send now: it is not connected yet, is reconnecting, or is closing or closed
 * ({@link ChatClient.State}).
 */
public final class NotConnectedException extends ChatException {
  private static final long serialVersionUID = 1L;

  /** The exception, with a message that gives the client's state. */
  public NotConnectedException(String message) {
    super(message, null);
  }
}
