package io.github.obrol.client.terminal;

/**
 * One line typed into {@code obrol-chat}, parsed. The original client's commands ({@code list}, {@code
 * sendall <text>}, {@code sendto <user> <text>}) work as they did; short forms start with {@code /}; any
 * other line is a broadcast.
 */
sealed interface Input {
  /** Nothing to do (an empty line). */
  record Nothing() implements Input {}

  /** {@code list}, {@code /list}, {@code /who}. */
  record ListUsers() implements Input {}

  /** {@code sendall <text>}, {@code /all <text>}, {@code /a <text>}, or a line that is no command. */
  record SendAll(String text) implements Input {}

  /** {@code sendto <user> <text>}, {@code /to <user> <text>}, {@code /msg}, {@code /m}, {@code /w}. */
  record SendTo(String user, String text) implements Input {}

  /** {@code /quit}, {@code /exit}, {@code /q}, {@code quit}, with an optional reason the others see (modern). */
  record Quit(String reason) implements Input {}

  /** {@code /help}, {@code /?}, {@code help}. */
  record Help() implements Input {}

  /** A command used wrongly; {@code message} says how to use it. */
  record Invalid(String message) implements Input {}

  /** Parses one line. Never throws. */
  static Input parse(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return new Nothing();
    }
    String[] parts = trimmed.split("\\s+", 2);
    String word = parts[0];
    String rest = parts.length > 1 ? parts[1] : "";
    switch (word) {
      case "list":
      case "/list":
      case "/who":
        return new ListUsers();
      case "sendall":
      case "/all":
      case "/a":
        return rest.isEmpty() ? new Invalid("usage: " + word + " <text>") : new SendAll(rest);
      case "sendto":
      case "/to":
      case "/msg":
      case "/m":
      case "/w": {
        String[] target = rest.split("\\s+", 2);
        if (target[0].isEmpty() || target.length < 2 || target[1].isBlank()) {
          return new Invalid("usage: " + word + " <user> <text>");
        }
        return new SendTo(target[0], target[1]);
      }
      case "quit":
      case "/quit":
      case "/exit":
      case "/q":
        return new Quit(rest);
      case "help":
      case "/help":
      case "/?":
        return new Help();
      default:
        if (word.startsWith("/") && word.length() > 1) {
          return new Invalid("unknown command " + word + " (type /help for the commands; /all " + word
              + " ... sends it as text)");
        }
        return new SendAll(trimmed);
    }
  }

  /** The help text. */
  static String help() {
    return String.join("\n",
        "commands (the original client's, and short forms):",
        "  <text>                     send <text> to everyone",
        "  sendall <text>   /all /a   send <text> to everyone",
        "  sendto <user> <text>  /to /msg /m /w",
        "                             send <text> to <user> only (shown to you as [you -> user])",
        "  list             /list /who  show who is online",
        "  /quit [reason]  /exit /q quit",
        "                             leave, telling the others the reason (or end of input: Ctrl-D; Ctrl-C)",
        "  /help  /?                  this text",
        "marks: [name] message   [name -> you] private message   --> joined   <-- left   *** server   ! error");
  }
}
