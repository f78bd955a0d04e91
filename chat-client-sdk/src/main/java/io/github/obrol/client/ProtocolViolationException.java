package io.github.obrol.client;

/**
 * The server sent something the protocol does not allow at that point, such as a reply to no request
 * (MD-REPLY-1). The client closes the connection, because it can no longer match replies to requests.
 */
public final class ProtocolViolationException extends ChatException {
  private static final long serialVersionUID = 1L;

  /** The exception, with a message naming what arrived and what was expected. */
  public ProtocolViolationException(String message) {
    super(message, null);
  }
}
