package io.github.obrol.client;

import io.github.obrol.protocol.ErrorCode;

/**
 * The server did not let the client authenticate or log in as itself: {@link #code()} says why.
 *
 * <ul>
 *   <li>{@code AUTH_FAILED}: wrong password, unknown account, bad or expired token (the server does not say
 *       which);
 *   <li>{@code AUTH_REQUIRED}: the server requires authentication and the client has no {@link Credentials};
 *   <li>{@code AUTH_UNSUPPORTED}: the server does not offer the credentials' mechanism (also raised by the
 *       client itself when the greeting does not announce it, before any secret is sent);
 *   <li>{@code AUTH_THROTTLED}: too many failures for the account or address; try again later;
 *   <li>{@code TLS_REQUIRED}: the server refuses secrets or connections over plain text;
 *   <li>{@code NAME_NOT_ALLOWED}: the account may not use the name the client logs in with.
 * </ul>
 *
 * <p>The client does not reconnect after these, except {@code AUTH_THROTTLED}, which it retries with its
 * {@link ReconnectPolicy}'s backoff.
 */
public final class AuthenticationException extends ServerErrorException {
  private static final long serialVersionUID = 1L;

  /** The exception for {@code code} with the server's (or the client's) text. */
  public AuthenticationException(ErrorCode code, String serverText) {
    super(code, serverText);
  }
}
