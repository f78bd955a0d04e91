package io.github.obrol.protocol;

/**
 * Writes client commands in the classic dialect: {@code "<sender> says <body>\n"} (CL-CMD-1). Frames end
 * with LF (CL-FRAME-4), the login frame included, which the original client leaves unterminated.
 * Stateless and thread-safe.
 */
public final class ClassicCommandEncoder {
  private ClassicCommandEncoder() {}

  /**
   * The frame for {@code command} sent by {@code sender}, LF included. A login frame claims the login
   * name itself. Texts go out as given; the server collapses their whitespace (section 5.2).
   *
   * @throws IllegalArgumentException for {@code HELLO} and {@code PING}, which have no classic form
   */
  public static byte[] encode(String sender, ClientCommand command) {
    return Utf8.encode(encodeToString(sender, command) + "\n");
  }

  /** The frame for {@code command} as text, without the LF. */
  public static String encodeToString(String sender, ClientCommand command) {
    Checks.token("sender", sender);
    if (command instanceof ClientCommand.Login) {
      String name = ((ClientCommand.Login) command).name();
      return name + " says " + name;
    } else if (command instanceof ClientCommand.ListUsers) {
      return sender + " says list";
    } else if (command instanceof ClientCommand.SendAll) {
      return sender + " says sendall " + ((ClientCommand.SendAll) command).text();
    } else if (command instanceof ClientCommand.SendTo) {
      ClientCommand.SendTo s = (ClientCommand.SendTo) command;
      return sender + " says sendto " + s.recipient() + " " + s.text();
    } else if (command instanceof ClientCommand.Quit) {
      String reason = ((ClientCommand.Quit) command).reason();
      return sender + " says quit" + (reason.isEmpty() ? "" : " " + reason);
    }
    throw new IllegalArgumentException(
        "command: " + command + " (expected: login, list, sendall, sendto or quit; the classic dialect has no "
            + command.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT) + ")");
  }
}
