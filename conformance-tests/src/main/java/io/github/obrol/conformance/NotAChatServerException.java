package io.github.obrol.conformance;

/**
 * The server accepted connections but does not speak the chat protocol (for example an HTTP server): the
 * calibration saw no answer of the selected dialect, so no rule was checked. The message starts with
 * {@code "not a chat server:"} and says what was seen; {@link #transcript()} has the calibration traffic.
 */
public final class NotAChatServerException extends ServerUnreachableException {
  private static final long serialVersionUID = 1L;

  private final String transcript;

  public NotAChatServerException(String message, String transcript) {
    super(message, null);
    this.transcript = transcript;
  }

  /** Every byte of the calibration, timestamped. */
  public String transcript() {
    return transcript;
  }
}
