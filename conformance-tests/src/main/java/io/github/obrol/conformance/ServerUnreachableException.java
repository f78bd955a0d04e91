package io.github.obrol.conformance;

import java.io.IOException;

/** The suite could not open a TCP connection to the server, so no rule was checked. */
public class ServerUnreachableException extends IOException {
  private static final long serialVersionUID = 1L;

  public ServerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
