package io.github.obrol.client;

import io.github.obrol.protocol.ErrorCode;

/**
 * The server refused the login because a logged-in user has that name, ignoring case (GEN-NAME-4,
 * CL-LOGIN-2). Final for a first login. During a reconnect the client tries again for the policy's
 * {@linkplain ReconnectPolicy#nameTakenRetryWindow() retry window}, because the server may still hold the
 * lost connection; when the window has passed it closes with this exception, {@link #duringReconnect()}
 * true.
 */
public final class NameTakenException extends ServerErrorException {
  private static final long serialVersionUID = 1L;

  private final boolean duringReconnect;

  /** The exception with the server's text, for a first login. */
  public NameTakenException(String serverText) {
    this(serverText, false);
  }

  private NameTakenException(String serverText, boolean duringReconnect) {
    super(ErrorCode.NAME_TAKEN, serverText);
    this.duringReconnect = duringReconnect;
  }

  /**
   * The reason a reconnecting client gives up: the name was still taken {@code window} after the loss.
   *
   * @param name the name the client logs in with
   * @param window the retry window that has passed
   * @param serverText the server's text with the last refusal
   */
  public static NameTakenException stillTakenAfterReconnect(String name, java.time.Duration window, String serverText) {
    String after = window.toMillis() % 1000 == 0 ? window.toSeconds() + " s" : window.toMillis() + " ms";
    return new NameTakenException("the name " + name + " was still taken " + after
        + " after the connection was lost (the server kept the old connection, or someone else took the"
        + " name); gave up reconnecting. Last answer: " + serverText, true);
  }

  /** Whether the refusal ended a reconnect, after the retry window, rather than a first login. */
  public boolean duringReconnect() {
    return duringReconnect;
  }
}
