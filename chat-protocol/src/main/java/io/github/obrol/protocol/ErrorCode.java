package io.github.obrol.protocol;

import java.util.Optional;

/**
 * The closed set of protocol errors (PROTOCOL.md section 1). Each code has a modern code word (its
 * {@link #name()}, MD-ERROR-1) and a classic text (CL-ERROR-1). A {@linkplain #isFatal() fatal} code
 * ends the connection.
 */
public enum ErrorCode {
  INVALID_COMMAND("invalid command", false),
  NAME_TAKEN("username sudah dipake", false),
  INVALID_NAME("invalid name", false),
  NOT_LOGGED_IN("not logged in", false),
  ALREADY_LOGGED_IN("already logged in", false),
  NO_SUCH_USER("no such user", false),
  NAME_MISMATCH("name mismatch", false),
  LINE_TOO_LONG("line too long", false),
  INVALID_ENCODING("invalid encoding", false),
  RATE_LIMITED("rate limited", false),
  LOGIN_REJECTED("login rejected", false),
  /** A hook of the server (a content filter, for example) refused a message; the text says why (GEN-REJECT-1). */
  REJECTED("message rejected", false),
  SERVER_FULL("server full", true),
  LOGIN_TIMEOUT("login timeout", true),
  IDLE_TIMEOUT("idle timeout", true),
  SLOW_CONSUMER("too slow", true),
  KICKED("kicked", true),
  SHUTTING_DOWN("server shutting down", true),
  UNSUPPORTED_VERSION("unsupported version", true),
  UNSUPPORTED_DIALECT("unsupported dialect", true),
  INTERNAL_ERROR("internal error", false),
  /** {@code AUTH} failed: wrong secret, unknown account, bad or expired token, all alike (AUTH-5). */
  AUTH_FAILED("authentication failed", false),
  /** {@code LOGIN} before {@code AUTH} on a server that requires authentication (AUTH-10, AUTH-12). */
  AUTH_REQUIRED("authentication required", false),
  /** {@code AUTH} with a mechanism this connection is not offered (AUTH-6). */
  AUTH_UNSUPPORTED("authentication mechanism not supported", false),
  /** Too many failed {@code AUTH} attempts for the account or the address; the text says when to retry (AUTH-11). */
  AUTH_THROTTLED("too many failed logins", false),
  /**
   * The request needs TLS (a password or token over plain text, AUTH-9), or the server takes TLS connections
   * only (TLS-3; then sent as a closing {@code BYE}).
   */
  TLS_REQUIRED("this server requires TLS", false),
  /** After {@code AUTH}, a {@code LOGIN} with a name the account may not use (AUTH-10). */
  NAME_NOT_ALLOWED("name not allowed", false);

  private final String classicText;
  private final boolean fatal;

  ErrorCode(String classicText, boolean fatal) {
    this.classicText = classicText;
    this.fatal = fatal;
  }

  /** The text of this error in the classic dialect, without CR and LF (PROTOCOL.md section 5.4). */
  public String classicText() {
    return classicText;
  }

  /** Whether a server closes the connection after sending this error. */
  public boolean isFatal() {
    return fatal;
  }

  /** Whether a classic frame may append {@code ": detail"} to the text (CL-ERROR-1). */
  public boolean classicDetailAllowed() {
    return this != INVALID_COMMAND && this != NAME_TAKEN;
  }

  /** The code whose modern code word is {@code word}, if any. */
  public static Optional<ErrorCode> fromWord(String word) {
    for (ErrorCode code : values()) {
      if (code.name().equals(word)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  /** The code whose classic text is {@code text}, if any. */
  public static Optional<ErrorCode> fromClassicText(String text) {
    for (ErrorCode code : values()) {
      if (code.classicText.equals(text)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }
}
