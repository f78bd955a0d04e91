package io.github.obrol.client;

/** No TCP connection to the server could be opened: unknown host, refused, unreachable network. */
public final class UnreachableException extends ChatException {
  private static final long serialVersionUID = 1L;

  /** The exception for {@code address}, with the I/O error as cause. */
  public UnreachableException(String address, Throwable cause) {
    super("cannot connect to " + address + (cause == null ? "" : ": " + cause.getMessage()), cause);
  }
}
