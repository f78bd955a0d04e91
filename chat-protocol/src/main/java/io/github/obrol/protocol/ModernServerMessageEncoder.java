package io.github.obrol.protocol;

/**
 * Writes replies and events in the modern dialect (MD-REPLY-1, MD-EVENT-1, MD-ERROR-1, MD-BYE-1,
 * AUTH-4).
 * Stateless and thread-safe; a server encodes a broadcast once and shares the bytes.
 */
public final class ModernServerMessageEncoder {
  private ModernServerMessageEncoder() {}

  /**
   * The line for {@code message}, LF included.
   *
   * @throws IllegalArgumentException for values the modern dialect cannot carry: a message whose
   *     {@link Audience} is {@code UNKNOWN}, or a leave whose reason is {@code UNKNOWN}
   */
  public static byte[] encode(ServerMessage message) {
    return Utf8.encode(encodeToString(message) + "\n");
  }

  /** The line for {@code message} as text, without the LF. */
  public static String encodeToString(ServerMessage message) {
    if (message instanceof Reply) {
      return encodeReply((Reply) message);
    }
    return encodeEvent((Event) message);
  }

  private static String encodeReply(Reply reply) {
    if (reply instanceof Reply.HelloOk) {
      Reply.HelloOk h = (Reply.HelloOk) reply;
      StringBuilder b = new StringBuilder("OK HELLO ").append(h.version());
      h.capabilities().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
      return b.toString();
    } else if (reply instanceof Reply.LoginOk) {
      return "OK LOGIN " + ((Reply.LoginOk) reply).name();
    } else if (reply instanceof Reply.UserList) {
      Reply.UserList l = (Reply.UserList) reply;
      StringBuilder b = new StringBuilder("OK LIST ").append(l.names().size());
      l.names().forEach(n -> b.append(' ').append(n));
      return b.toString();
    } else if (reply instanceof Reply.SendAllOk) {
      return "OK SEND";
    } else if (reply instanceof Reply.SendToOk) {
      return "OK SENDTO " + ((Reply.SendToOk) reply).recipient();
    } else if (reply instanceof Reply.PingOk) {
      String token = ((Reply.PingOk) reply).token();
      return token.isEmpty() ? "OK PING" : "OK PING " + token;
    } else if (reply instanceof Reply.QuitOk) {
      return "OK QUIT";
    } else if (reply instanceof Reply.AuthOk) {
      Reply.AuthOk a = (Reply.AuthOk) reply;
      return withText("OK AUTH " + a.account(), a.serverFinal());
    } else if (reply instanceof Reply.AuthChallenge) {
      return "OK AUTH + " + ((Reply.AuthChallenge) reply).challenge();
    } else {
      Reply.Error e = (Reply.Error) reply;
      return withText("ERR " + e.code().name(), e.text());
    }
  }

  private static String encodeEvent(Event event) {
    if (event instanceof Event.Message) {
      Event.Message m = (Event.Message) event;
      if (m.audience() == Audience.UNKNOWN) {
        throw new IllegalArgumentException("audience: UNKNOWN (expected: BROADCAST or PRIVATE in modern)");
      }
      return (m.audience() == Audience.PRIVATE ? "PRIV " : "MSG ") + m.from() + " " + m.text();
    } else if (event instanceof Event.UserJoined) {
      return "JOIN " + ((Event.UserJoined) event).name();
    } else if (event instanceof Event.UserLeft) {
      Event.UserLeft l = (Event.UserLeft) event;
      if (l.reason() == LeaveReason.UNKNOWN) {
        throw new IllegalArgumentException("reason: UNKNOWN (expected: a known leave reason in modern)");
      }
      return withText("LEFT " + l.name() + " " + l.reason().name(), l.detail());
    } else if (event instanceof Event.Notice) {
      return "NOTICE " + ((Event.Notice) event).text();
    } else {
      Event.Bye b = (Event.Bye) event;
      return withText("BYE " + b.code().name(), b.text());
    }
  }

  private static String withText(String head, String text) {
    return text.isEmpty() ? head : head + " " + text;
  }
}
