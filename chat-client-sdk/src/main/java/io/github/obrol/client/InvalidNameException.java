package io.github.obrol.client;

import io.github.obrol.protocol.ErrorCode;

/** The server refused the login because the name breaks its name rules (GEN-NAME-1). The client never reconnects after this. */
public final class InvalidNameException extends ServerErrorException {
  private static final long serialVersionUID = 1L;

  /** The exception with the server's text. */
  public InvalidNameException(String serverText) {
    super(ErrorCode.INVALID_NAME, serverText);
  }
}
