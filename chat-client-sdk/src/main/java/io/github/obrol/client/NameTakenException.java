package io.github.obrol.client;

import io.github.obrol.protocol.ErrorCode;

/** The server refused the login because a logged-in user has that name, ignoring case (GEN-NAME-4, CL-LOGIN-2). The client never reconnects after this. */
public final class NameTakenException extends ServerErrorException {
  private static final long serialVersionUID = 1L;

  /** The exception with the server's text. */
  public NameTakenException(String serverText) {
    super(ErrorCode.NAME_TAKEN, serverText);
  }
}
