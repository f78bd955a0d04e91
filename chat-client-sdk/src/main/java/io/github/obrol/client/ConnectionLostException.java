package io.github.obrol.client;

/**
 * The connection ended (closed by the server, reset, or aborted) before the answer arrived. A request
 * that fails with this may or may not have been carried out by the server.
 */
public final class ConnectionLostException extends ChatException {
  private static final long serialVersionUID = 1L;

  /** The exception with a message and the I/O error, if any, as cause. */
  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
