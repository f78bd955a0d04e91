package io.github.obrol.protocol;

import java.util.Objects;

/**
 * Something the server tells a client without being asked (MD-EVENT-1, section 5.3). Event values accept
 * whatever a server may put on the wire (for example the empty messages the original server sends), so a
 * client can represent every frame it receives.
 */
public sealed interface Event extends ServerMessage
    permits Event.Message, Event.UserJoined, Event.UserLeft, Event.Notice, Event.Bye {

  /** A chat message from a user (CL-SENDALL-1, CL-SENDTO-1, MD-SEND-1, MD-SENDTO-1). */
  record Message(String from, String text, Audience audience) implements Event {
    public Message {
      Checks.token("from", from);
      Checks.lineText("text", text);
      Objects.requireNonNull(audience, "audience");
    }
  }

  /** A user logged in (GEN-JOIN-1, CL-JOIN-1). */
  record UserJoined(String name) implements Event {
    public UserJoined {
      Checks.token("name", name);
    }
  }

  /** A user departed; {@code detail} is the quit reason or {@code ""} (GEN-LEAVE-1, CL-LEAVE-1). */
  record UserLeft(String name, LeaveReason reason, String detail) implements Event {
    public UserLeft {
      Checks.token("name", name);
      Objects.requireNonNull(reason, "reason");
      Checks.lineText("detail", detail);
    }
  }

  /** A notice from the server, such as an administrator's broadcast (CL-NOTICE-1). */
  record Notice(String text) implements Event {
    public Notice {
      Checks.lineText("text", text);
    }
  }

  /** The server closes this connection next, for the given fatal reason (MD-BYE-1). */
  record Bye(ErrorCode code, String text) implements Event {
    public Bye {
      Objects.requireNonNull(code, "code");
      Checks.lineText("text", text);
    }
  }
}
