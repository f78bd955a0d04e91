package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.LeaveReason;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the suite expects on the wire, written out here from PROTOCOL.md as literal strings, independently
 * of {@code chat-protocol}'s encoders, decoders and constants: a bug in Obrol's codecs must not be predicted
 * by the suite too. Also parses what a server sends (classic frames and modern lines) into the protocol's
 * value types, tolerating the classic variants of PROTOCOL.md section 5.6 (CL-VARIANT-1..3) so that one
 * variant frame is recognised as what it stands for and never taken as the reply to a request.
 */
public final class WireTables {
  private WireTables() {}

  /** GEN-NAME-3, literally (AUTH-1 adds {@code auth}, checked with the AUTH rules). */
  public static final List<String> RESERVED = List.of("says", "list", "sendall", "sendto", "login", "quit", "hello",
      "send", "ping", "ok", "err", "msg", "priv", "join", "left", "notice", "bye");

  /** The classic texts of section 5.4, literally. */
  public static final Map<ErrorCode, String> CLASSIC_TEXT = classicTexts();

  /** The codes whose classic text never carries a detail (section 5.4). */
  public static final Set<ErrorCode> NO_DETAIL = Set.of(ErrorCode.INVALID_COMMAND, ErrorCode.NAME_TAKEN);

  /** The fatal codes of section 1. */
  public static final Set<ErrorCode> FATAL = Set.of(ErrorCode.SERVER_FULL, ErrorCode.LOGIN_TIMEOUT,
      ErrorCode.IDLE_TIMEOUT, ErrorCode.SLOW_CONSUMER, ErrorCode.KICKED, ErrorCode.SHUTTING_DOWN,
      ErrorCode.UNSUPPORTED_VERSION, ErrorCode.UNSUPPORTED_DIALECT);

  /** The name a classic leave notice without a name ({@code "\rClient off\n"}, CL-VARIANT-2) is reported under. */
  public static final String UNNAMED = "?";

  private static Map<ErrorCode, String> classicTexts() {
    Map<ErrorCode, String> m = new LinkedHashMap<>();
    m.put(ErrorCode.INVALID_COMMAND, "invalid command");
    m.put(ErrorCode.NAME_TAKEN, "username sudah dipake");
    m.put(ErrorCode.INVALID_NAME, "invalid name");
    m.put(ErrorCode.NOT_LOGGED_IN, "not logged in");
    m.put(ErrorCode.ALREADY_LOGGED_IN, "already logged in");
    m.put(ErrorCode.NO_SUCH_USER, "no such user");
    m.put(ErrorCode.NAME_MISMATCH, "name mismatch");
    m.put(ErrorCode.LINE_TOO_LONG, "line too long");
    m.put(ErrorCode.INVALID_ENCODING, "invalid encoding");
    m.put(ErrorCode.RATE_LIMITED, "rate limited");
    m.put(ErrorCode.LOGIN_REJECTED, "login rejected");
    m.put(ErrorCode.REJECTED, "message rejected");
    m.put(ErrorCode.SERVER_FULL, "server full");
    m.put(ErrorCode.LOGIN_TIMEOUT, "login timeout");
    m.put(ErrorCode.IDLE_TIMEOUT, "idle timeout");
    m.put(ErrorCode.SLOW_CONSUMER, "too slow");
    m.put(ErrorCode.KICKED, "kicked");
    m.put(ErrorCode.SHUTTING_DOWN, "server shutting down");
    m.put(ErrorCode.UNSUPPORTED_VERSION, "unsupported version");
    m.put(ErrorCode.UNSUPPORTED_DIALECT, "unsupported dialect");
    m.put(ErrorCode.INTERNAL_ERROR, "internal error");
    m.put(ErrorCode.AUTH_FAILED, "authentication failed");
    m.put(ErrorCode.AUTH_REQUIRED, "authentication required");
    m.put(ErrorCode.AUTH_UNSUPPORTED, "authentication mechanism not supported");
    m.put(ErrorCode.AUTH_THROTTLED, "too many failed logins");
    m.put(ErrorCode.TLS_REQUIRED, "this server requires TLS");
    m.put(ErrorCode.NAME_NOT_ALLOWED, "name not allowed");
    return Map.copyOf(m);
  }

  /** The classic text of {@code code}. */
  public static String classicText(ErrorCode code) {
    return CLASSIC_TEXT.get(code);
  }

  /** Whether the classic text of {@code code} may carry {@code ": <detail>"}. */
  public static boolean classicDetailAllowed(ErrorCode code) {
    return !NO_DETAIL.contains(code);
  }

  /** A name's comparison key: ASCII letters lower-cased, nothing else changed (GEN-NAME-2). */
  public static String key(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return b.toString();
  }

  /** Whether {@code name} is valid by GEN-NAME-1 and GEN-NAME-3. */
  public static boolean validName(String name) {
    return name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}") && !RESERVED.contains(key(name));
  }

  // ------------------------------------------------------------------ classic server frames

  private static final Pattern JOIN = Pattern.compile("(\\S+) sudah terhubung dengan system( *)");
  private static final Pattern LEAVE = Pattern.compile("(Client )?\\((\\S+)\\) off( *)");
  private static final Pattern CLIENT_OFF = Pattern.compile("Client off *");
  /** A message (CL-SENDALL-1); without its trailing space it is still recognised, CL-SENDALL-1 judges the bytes. */
  private static final Pattern MESSAGE = Pattern.compile("(\\S+) says (.*?) ?", Pattern.DOTALL);
  /** A list entry line (CL-LIST-1); extra trailing spaces are CL-VARIANT-1. */
  public static final Pattern LIST_ENTRY = Pattern.compile("(\\S+) is online *");
  /** The list header (CL-LIST-1), CR included; extra trailing spaces are CL-VARIANT-1. */
  public static final Pattern LIST_HEADER = Pattern.compile("\rlist yang online *");

  /**
   * One classic frame (LF removed, leading CR kept if present, not a list line): the message it stands
   * for, or null if the suite does not recognise it.
   */
  public static ServerMessage classic(String raw) {
    String text = raw.startsWith("\r") ? raw.substring(1) : raw;
    try {
      for (Map.Entry<ErrorCode, String> e : CLASSIC_TEXT.entrySet()) {
        String t = e.getValue();
        String detail = null;
        if (text.equals(t)) {
          detail = t;
        } else if (classicDetailAllowed(e.getKey()) && text.startsWith(t + ": ") && text.length() > t.length() + 2) {
          detail = text.substring(t.length() + 2);
        }
        if (detail != null) {
          return FATAL.contains(e.getKey()) ? new Event.Bye(e.getKey(), detail) : new Reply.Error(e.getKey(), detail);
        }
      }
      Matcher m = JOIN.matcher(text);
      if (m.matches()) {
        return new Event.UserJoined(m.group(1));
      }
      m = LEAVE.matcher(text);
      if (m.matches()) {
        return new Event.UserLeft(m.group(2), LeaveReason.UNKNOWN, "");
      }
      if (CLIENT_OFF.matcher(text).matches()) {
        return new Event.UserLeft(UNNAMED, LeaveReason.UNKNOWN, "");
      }
      if (text.startsWith("*** ")) {
        return new Event.Notice(text.substring(4));
      }
      m = MESSAGE.matcher(text);
      if (m.matches()) {
        return new Event.Message(m.group(1), m.group(2), Audience.UNKNOWN);
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  // ------------------------------------------------------------------ modern server lines

  /** One modern line (LF and a CR before it removed): the message it stands for, or null if unrecognised. */
  public static ServerMessage modern(String line) {
    try {
      String[] w = line.split(" ", -1);
      switch (w[0]) {
        case "OK":
          return modernOk(line, w);
        case "ERR":
        case "BYE": {
          if (w.length < 3 || w[2].isEmpty()) {
            return null;
          }
          ErrorCode code = code(w[1]);
          String text = rest(line, 2);
          if (code == null) {
            return null;
          }
          return w[0].equals("ERR") ? new Reply.Error(code, text) : new Event.Bye(code, text);
        }
        case "MSG":
        case "PRIV":
          if (w.length < 3 || w[1].isEmpty()) {
            return null;
          }
          return new Event.Message(w[1], rest(line, 2), w[0].equals("MSG") ? Audience.BROADCAST : Audience.PRIVATE);
        case "JOIN":
          return w.length == 2 && !w[1].isEmpty() ? new Event.UserJoined(w[1]) : null;
        case "LEFT": {
          if (w.length < 3) {
            return null;
          }
          LeaveReason reason = leaveReason(w[2]);
          return reason == null ? null : new Event.UserLeft(w[1], reason, w.length > 3 ? rest(line, 3) : "");
        }
        case "NOTICE":
          return w.length >= 2 ? new Event.Notice(rest(line, 1)) : null;
        default:
          return null;
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ServerMessage modernOk(String line, String[] w) {
    if (w.length < 2) {
      return null;
    }
    switch (w[1]) {
      case "HELLO": {
        if (w.length < 3) {
          return null;
        }
        Map<String, String> caps = new LinkedHashMap<>();
        for (int i = 3; i < w.length; i++) {
          int eq = w[i].indexOf('=');
          if (eq <= 0) {
            return null;
          }
          caps.put(w[i].substring(0, eq), w[i].substring(eq + 1));
        }
        return new Reply.HelloOk(w[2], caps);
      }
      case "LOGIN":
        return w.length == 3 ? new Reply.LoginOk(w[2]) : null;
      case "LIST": {
        if (w.length < 3 || !w[2].matches("[0-9]{1,7}") || Integer.parseInt(w[2]) != w.length - 3) {
          return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 3; i < w.length; i++) {
          names.add(w[i]);
        }
        return new Reply.UserList(names);
      }
      case "SEND":
        return w.length == 2 ? new Reply.SendAllOk() : null;
      case "SENDTO":
        return w.length == 3 ? new Reply.SendToOk(w[2]) : null;
      case "PING":
        return w.length == 2 ? new Reply.PingOk("") : w.length == 3 ? new Reply.PingOk(w[2]) : null;
      case "QUIT":
        return w.length == 2 ? new Reply.QuitOk() : null;
      case "AUTH":
        // AUTH-4: "OK AUTH <account> [<server-final>]" or "OK AUTH + <challenge>".
        if (w.length == 4 && w[2].equals("+")) {
          return w[3].isEmpty() ? null : new Reply.AuthChallenge(w[3]);
        }
        if (w.length == 3 && !w[2].isEmpty() && !w[2].equals("+")) {
          return new Reply.AuthOk(w[2]);
        }
        return w.length == 4 && !w[2].isEmpty() && !w[3].isEmpty() ? new Reply.AuthOk(w[2], w[3]) : null;
      default:
        return null;
    }
  }

  private static String rest(String line, int words) {
    int at = 0;
    for (int i = 0; i < words; i++) {
      at = line.indexOf(' ', at) + 1;
    }
    return line.substring(at);
  }

  private static ErrorCode code(String word) {
    for (ErrorCode c : CLASSIC_TEXT.keySet()) {
      if (c.name().equals(word)) {
        return c;
      }
    }
    return null;
  }

  private static LeaveReason leaveReason(String word) {
    for (String r : List.of("QUIT", "DISCONNECTED", "TIMEOUT", "KICKED", "SLOW_CONSUMER", "SHUTDOWN")) {
      if (r.equals(word)) {
        return LeaveReason.valueOf(r);
      }
    }
    return null;
  }
}
