package io.github.obrol.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A command from client to server, in either dialect (PROTOCOL.md section 1). Every implementation is
 * an immutable record that rejects invalid values at construction, so a value that exists can be sent.
 */
public sealed interface ClientCommand
    permits ClientCommand.Hello,
        ClientCommand.Login,
        ClientCommand.ListUsers,
        ClientCommand.SendAll,
        ClientCommand.SendTo,
        ClientCommand.Ping,
        ClientCommand.Quit {

  /** Modern {@code HELLO}: the versions the client speaks, best first (MD-HELLO-1). No classic form. */
  record Hello(List<String> versions) implements ClientCommand {
    public Hello {
      versions = List.copyOf(Objects.requireNonNull(versions, "versions"));
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("versions: [] (expected: at least one)");
      }
      versions.forEach(v -> Checks.clientToken("version", v));
    }
  }

  /** Log in with a name (CL-LOGIN-1, MD-LOGIN-1). */
  record Login(String name) implements ClientCommand {
    public Login {
      Checks.name("name", name);
    }
  }

  /** Ask for the user list (CL-LIST-1, MD-LIST-1). */
  record ListUsers() implements ClientCommand {}

  /** Broadcast a text to every other user (CL-SENDALL-1, MD-SEND-1). */
  record SendAll(String text) implements ClientCommand {
    public SendAll {
      Checks.sendableText("text", text);
    }
  }

  /** Send a text to one user (CL-SENDTO-1, MD-SENDTO-1). */
  record SendTo(String recipient, String text) implements ClientCommand {
    public SendTo {
      Checks.clientToken("recipient", recipient);
      Checks.sendableText("text", text);
    }
  }

  /** Modern {@code PING}: keep-alive and round trip; {@code token} may be empty (MD-PING-1). No classic form. */
  record Ping(String token) implements ClientCommand {
    public Ping {
      Objects.requireNonNull(token, "token");
      if (!token.isEmpty()) {
        Checks.clientToken("token", token);
      }
    }
  }

  /** Leave, with an optional reason ({@code ""} for none) (MD-QUIT-1, CL-QUIT-1). */
  record Quit(String reason) implements ClientCommand {
    public Quit {
      Checks.optionalText("reason", reason);
    }
  }
}
