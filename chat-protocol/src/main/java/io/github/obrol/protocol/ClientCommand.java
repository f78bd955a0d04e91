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
        ClientCommand.Quit,
        ClientCommand.Authenticate,
        ClientCommand.AuthResponse,
        ClientCommand.AuthAbort {

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

  /**
   * Modern {@code AUTH <mechanism> [<initial-response>]}: starts an authentication exchange (AUTH-3).
   * {@code initialResponse} is {@code ""} for none. Its {@link #toString()} never shows the response, which
   * may hold a password or a token (AUTH-13). No classic form.
   */
  record Authenticate(String mechanism, String initialResponse) implements ClientCommand {
    public Authenticate {
      Checks.mechanism("mechanism", mechanism);
      Objects.requireNonNull(initialResponse, "initialResponse");
      if (!initialResponse.isEmpty()) {
        Checks.secretToken("initialResponse", initialResponse);
      }
    }

    /** Whether the command carries an initial response. */
    public boolean hasInitialResponse() {
      return !initialResponse.isEmpty();
    }

    @Override
    public String toString() {
      return "Authenticate[mechanism=" + mechanism + ", initialResponse="
          + (initialResponse.isEmpty() ? "none" : "<" + initialResponse.length() + " characters, hidden>") + "]";
    }
  }

  /**
   * Modern {@code AUTH + <response>}: the answer to the server's challenge (AUTH-3, AUTH-4). Its
   * {@link #toString()} never shows the response (AUTH-13). No classic form.
   */
  record AuthResponse(String response) implements ClientCommand {
    public AuthResponse {
      Checks.secretToken("response", response);
    }

    @Override
    public String toString() {
      return "AuthResponse[<" + response.length() + " characters, hidden>]";
    }
  }

  /** Modern {@code AUTH *}: aborts the authentication exchange in progress (AUTH-3, AUTH-5). No classic form. */
  record AuthAbort() implements ClientCommand {}
}
