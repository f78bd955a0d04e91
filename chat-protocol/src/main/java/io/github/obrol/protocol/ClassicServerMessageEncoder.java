package io.github.obrol.protocol;

/**
 * Writes replies and events in the classic dialect, byte for byte as the original server does
 * (CL-SFRAME-1, CL-SFRAME-2, CL-JOIN-1, CL-LEAVE-1, CL-LIST-1, CL-SENDALL-1, CL-SENDTO-1, CL-NOTICE-1,
 * CL-ERROR-1). Stateless and thread-safe; a server encodes a broadcast once and shares the bytes.
 */
public final class ClassicServerMessageEncoder {
  private static final byte[] NOTHING = new byte[0];

  private ClassicServerMessageEncoder() {}

  /**
   * The bytes for {@code message}, or an empty array where the classic dialect has no frame for it (the
   * replies to hello, login, sendall, sendto, ping and quit). Error texts are the fixed classic texts of
   * PROTOCOL.md section 5.4; the human text of a modern error is not sent, except for {@code REJECTED},
   * whose text is the server's reason and the only thing that tells the user why (GEN-REJECT-1).
   */
  public static byte[] encode(ServerMessage message) {
    String s = encodeToString(message);
    return s.isEmpty() ? NOTHING : Utf8.encode(s);
  }

  /** As {@link #encode}, as text (CR and LF included), or {@code ""} for no frame. */
  public static String encodeToString(ServerMessage message) {
    if (message instanceof Event.Message) {
      Event.Message m = (Event.Message) message;
      return "\r" + m.from() + " says " + m.text() + " \n";
    } else if (message instanceof Event.UserJoined) {
      return "\r" + ((Event.UserJoined) message).name() + " sudah terhubung dengan system\n";
    } else if (message instanceof Event.UserLeft) {
      return "\r(" + ((Event.UserLeft) message).name() + ") off\n";
    } else if (message instanceof Event.Notice) {
      return "\r*** " + ((Event.Notice) message).text() + "\n";
    } else if (message instanceof Event.Bye) {
      return "\r" + ((Event.Bye) message).code().classicText() + "\n";
    } else if (message instanceof Reply.Error) {
      Reply.Error error = (Reply.Error) message;
      if (error.code() == ErrorCode.REJECTED && !error.text().isBlank()) {
        return "\r" + error.code().classicText() + ": " + error.text() + "\n";
      }
      return "\r" + error.code().classicText() + "\n";
    } else if (message instanceof Reply.UserList) {
      StringBuilder b = new StringBuilder("\rlist yang online\n");
      for (String name : ((Reply.UserList) message).names()) {
        b.append(name).append(" is online \n");
      }
      return b.toString();
    }
    return "";
  }
}
