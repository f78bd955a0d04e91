package io.github.obrol.client;

import io.github.obrol.protocol.ErrorCode;
import java.util.Objects;

/**
 * The server answered with an error (MD-ERROR-1, CL-ERROR-1) or closed the connection for a fatal reason
 * (MD-BYE-1). Act on {@link #code()}, never on the text.
 */
public sealed class ServerErrorException extends ChatException
    permits NameTakenException, InvalidNameException, NoSuchUserException, AuthenticationException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String serverText;

  /** An error with the given code and the server's human-readable text. */
  public ServerErrorException(ErrorCode code, String serverText) {
    super(Objects.requireNonNull(code, "code") + ": " + serverText, null);
    this.code = code;
    this.serverText = Objects.requireNonNull(serverText, "serverText");
  }

  /** The error code. */
  public ErrorCode code() {
    return code;
  }

  /** The text the server sent with the code (for people; may equal the classic text). */
  public String serverText() {
    return serverText;
  }

  /** The exception for {@code code}: a named subtype where there is one. */
  public static ServerErrorException of(ErrorCode code, String serverText) {
    switch (code) {
      case NAME_TAKEN:
        return new NameTakenException(serverText);
      case INVALID_NAME:
        return new InvalidNameException(serverText);
      case NO_SUCH_USER:
        return new NoSuchUserException(serverText);
      case AUTH_FAILED:
      case AUTH_REQUIRED:
      case AUTH_UNSUPPORTED:
      case AUTH_THROTTLED:
      case TLS_REQUIRED:
      case NAME_NOT_ALLOWED:
        return new AuthenticationException(code, serverText);
      default:
        return new ServerErrorException(code, serverText);
    }
  }
}
