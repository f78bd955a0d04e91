package io.github.obrol.client.terminal;

/** Where {@code obrol-chat} reads lines and prints output: a line-editing terminal or plain streams. */
interface Console extends AutoCloseable {
  /** Reads one line, showing {@code prompt} where that makes sense; {@code null} at end of input or Ctrl-C. */
  String readLine(String prompt);

  /** Prints a chat line without disturbing the line being typed. Safe from any thread. */
  void printChat(Style style, String line);

  /** Prints a status or error line (stderr when not interactive, so scripts can keep stdout for chat). */
  void printStatus(Style style, String line);

  @Override
  void close();

  /** How a line is shown on a terminal that has colours. */
  enum Style {
    PLAIN,
    PRIVATE,
    JOIN_LEAVE,
    NOTICE,
    ERROR,
    STATUS
  }
}
