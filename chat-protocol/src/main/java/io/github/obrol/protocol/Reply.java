package io.github.obrol.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to one request (MD-REPLY-1). In the classic dialect only {@link UserList} and {@link Error}
 * have a wire form; the others are silent there.
 */
public sealed interface Reply extends ServerMessage
    permits Reply.HelloOk,
        Reply.LoginOk,
        Reply.UserList,
        Reply.SendAllOk,
        Reply.SendToOk,
        Reply.PingOk,
        Reply.QuitOk,
        Reply.AuthOk,
        Reply.AuthChallenge,
        Reply.Error {

  /** {@code OK HELLO}: the chosen version and the server's capabilities, in order (MD-HELLO-1). */
  record HelloOk(String version, Map<String, String> capabilities) implements Reply {
    public HelloOk {
      Checks.token("version", version);
      Objects.requireNonNull(capabilities, "capabilities");
      Map<String, String> copy = new LinkedHashMap<>();
      capabilities.forEach((k, v) -> {
        Checks.token("capability key", k);
        if (k.indexOf('=') >= 0) {
          throw new IllegalArgumentException("capability key: \"" + k + "\" (expected: no '=')");
        }
        copy.put(k, Checks.token("capability " + k, v));
      });
      capabilities = Collections.unmodifiableMap(copy);
    }

    /** The capability {@code key} as an integer, or {@code fallback} if absent or not a number. */
    public long capabilityAsLong(String key, long fallback) {
      String value = capabilities.get(key);
      if (value == null) {
        return fallback;
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
  }

  /** {@code OK LOGIN}: the login was accepted (MD-LOGIN-1). */
  record LoginOk(String name) implements Reply {
    public LoginOk {
      Checks.token("name", name);
    }
  }

  /** The logged-in users in order of login (GEN-LIST-1, CL-LIST-1, MD-LIST-1). */
  record UserList(List<String> names) implements Reply {
    public UserList {
      names = List.copyOf(Objects.requireNonNull(names, "names"));
      names.forEach(n -> Checks.token("name", n));
    }
  }

  /** {@code OK SEND}: the broadcast was carried out (MD-SEND-1). */
  record SendAllOk() implements Reply {}

  /** {@code OK SENDTO}: the private message was delivered to {@code recipient} (MD-SENDTO-1). */
  record SendToOk(String recipient) implements Reply {
    public SendToOk {
      Checks.token("recipient", recipient);
    }
  }

  /** {@code OK PING}, echoing the token ({@code ""} for none) (MD-PING-1). */
  record PingOk(String token) implements Reply {
    public PingOk {
      Objects.requireNonNull(token, "token");
      if (!token.isEmpty()) {
        Checks.token("token", token);
      }
    }
  }

  /** {@code OK QUIT}: the server closes the connection next (MD-QUIT-1). */
  record QuitOk() implements Reply {}

  /**
   * {@code OK AUTH <account> [<server-final>]}: the exchange succeeded and the connection is authenticated as
   * {@code account} (AUTH-4). {@code serverFinal} is {@code ""} except for SCRAM, whose base64
   * server-final-message proves the server knew the password. No classic form.
   */
  record AuthOk(String account, String serverFinal) implements Reply {
    public AuthOk {
      Checks.token("account", account);
      if (account.equals("+")) {
        throw new IllegalArgumentException("account: \"+\" (expected: not \"+\", which marks a challenge)");
      }
      Objects.requireNonNull(serverFinal, "serverFinal");
      if (!serverFinal.isEmpty()) {
        Checks.token("serverFinal", serverFinal);
      }
    }

    /** {@code OK AUTH <account>}, without a server-final message. */
    public AuthOk(String account) {
      this(account, "");
    }
  }

  /** {@code OK AUTH + <challenge>}: the server's base64 challenge; the client answers {@code AUTH +} (AUTH-4). */
  record AuthChallenge(String challenge) implements Reply {
    public AuthChallenge {
      Checks.token("challenge", challenge);
    }
  }

  /** An error reply with a code and human text (MD-ERROR-1, CL-ERROR-1). */
  record Error(ErrorCode code, String text) implements Reply {
    public Error {
      Objects.requireNonNull(code, "code");
      Checks.lineText("text", text);
    }

    /** An error whose text is the code's classic text. */
    public static Error of(ErrorCode code) {
      return new Error(code, code.classicText());
    }
  }
}
