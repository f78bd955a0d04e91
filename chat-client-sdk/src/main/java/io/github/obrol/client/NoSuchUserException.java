package io.github.obrol.client;

import io.github.obrol.protocol.ErrorCode;

/** A private message was addressed to a name no logged-in user has (MD-SENDTO-2). In the classic dialect the server's answer is not tied to a request, so it reaches {@link ChatListener#onServerError} instead. */
public final class NoSuchUserException extends ServerErrorException {
  private static final long serialVersionUID = 1L;

  /** The exception with the server's text. */
  public NoSuchUserException(String serverText) {
    super(ErrorCode.NO_SUCH_USER, serverText);
  }
}
