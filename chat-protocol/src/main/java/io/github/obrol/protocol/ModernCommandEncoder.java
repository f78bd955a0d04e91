package io.github.obrol.protocol;

/** Writes client commands in the modern dialect (MD-FRAME-2, section 6.2, AUTH-3). Stateless and thread-safe. */
public final class ModernCommandEncoder {
  private ModernCommandEncoder() {}

  /** The line for {@code command}, LF included. */
  public static byte[] encode(ClientCommand command) {
    return Utf8.encode(encodeToString(command) + "\n");
  }

  /** The line for {@code command} as text, without the LF. */
  public static String encodeToString(ClientCommand command) {
    if (command instanceof ClientCommand.Hello) {
      return "HELLO " + String.join(" ", ((ClientCommand.Hello) command).versions());
    } else if (command instanceof ClientCommand.Login) {
      return "LOGIN " + ((ClientCommand.Login) command).name();
    } else if (command instanceof ClientCommand.ListUsers) {
      return "LIST";
    } else if (command instanceof ClientCommand.SendAll) {
      return "SEND " + ((ClientCommand.SendAll) command).text();
    } else if (command instanceof ClientCommand.SendTo) {
      ClientCommand.SendTo s = (ClientCommand.SendTo) command;
      return "SENDTO " + s.recipient() + " " + s.text();
    } else if (command instanceof ClientCommand.Ping) {
      String token = ((ClientCommand.Ping) command).token();
      return token.isEmpty() ? "PING" : "PING " + token;
    } else if (command instanceof ClientCommand.Authenticate) {
      ClientCommand.Authenticate a = (ClientCommand.Authenticate) command;
      return a.hasInitialResponse() ? "AUTH " + a.mechanism() + " " + a.initialResponse() : "AUTH " + a.mechanism();
    } else if (command instanceof ClientCommand.AuthResponse) {
      return "AUTH + " + ((ClientCommand.AuthResponse) command).response();
    } else if (command instanceof ClientCommand.AuthAbort) {
      return "AUTH *";
    } else {
      String reason = ((ClientCommand.Quit) command).reason();
      return reason.isEmpty() ? "QUIT" : "QUIT " + reason;
    }
  }
}
