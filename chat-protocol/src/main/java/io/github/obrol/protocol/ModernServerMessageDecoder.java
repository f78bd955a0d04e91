package io.github.obrol.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads server lines of the modern dialect, for clients (MD-REPLY-1, MD-EVENT-1, MD-ERROR-1,
 * section 6.8). Lenient where that is safe: malformed UTF-8 becomes U+FFFD, an unknown error code becomes
 * {@link ErrorCode#INTERNAL_ERROR}. An unknown event verb is a failure the client ignores (CLIENT-1).
 * Stateless and thread-safe.
 */
public final class ModernServerMessageDecoder {
  private ModernServerMessageDecoder() {}

  /** Decodes one frame (terminator removed). */
  public static DecodeResult<ServerMessage> decode(byte[] frame) {
    return decode(Utf8.decodeLenient(frame));
  }

  /** Decodes one line of text (terminator removed). */
  public static DecodeResult<ServerMessage> decode(String line) {
    try {
      String[] head = line.split(" ", 3);
      switch (head[0]) {
        case "OK":
          return decodeOk(line, head);
        case "ERR":
          if (head.length < 2) {
            return malformed(line);
          }
          return DecodeResult.success(new Reply.Error(code(head[1]), head.length == 3 ? head[2] : ""));
        case "MSG":
        case "PRIV":
          if (head.length < 2) {
            return malformed(line);
          }
          return DecodeResult.success(new Event.Message(head[1], head.length == 3 ? head[2] : "",
              head[0].equals("PRIV") ? Audience.PRIVATE : Audience.BROADCAST));
        case "JOIN":
          if (head.length != 2) {
            return malformed(line);
          }
          return DecodeResult.success(new Event.UserJoined(head[1]));
        case "LEFT":
          if (head.length < 3) {
            return malformed(line);
          }
          String[] rest = head[2].split(" ", 2);
          LeaveReason reason;
          try {
            reason = LeaveReason.valueOf(rest[0]);
          } catch (IllegalArgumentException e) {
            reason = LeaveReason.UNKNOWN;
          }
          return DecodeResult.success(new Event.UserLeft(head[1], reason, rest.length == 2 ? rest[1] : ""));
        case "NOTICE":
          return DecodeResult.success(new Event.Notice(line.length() > 7 ? line.substring(7) : ""));
        case "BYE":
          if (head.length < 2) {
            return malformed(line);
          }
          return DecodeResult.success(new Event.Bye(code(head[1]), head.length == 3 ? head[2] : ""));
        default:
          return DecodeResult.failure(ErrorCode.INVALID_COMMAND,
              "unknown server verb \"" + Names.printable(head[0]) + "\" (ignored, CLIENT-1)");
      }
    } catch (IllegalArgumentException e) {
      return DecodeResult.failure(ErrorCode.INVALID_COMMAND,
          "malformed server line \"" + Names.printable(line) + "\": " + e.getMessage());
    }
  }

  private static DecodeResult<ServerMessage> decodeOk(String line, String[] head) {
    if (head.length < 2) {
      return malformed(line);
    }
    String arg = head.length == 3 ? head[2] : null;
    switch (head[1]) {
      case "HELLO": {
        if (arg == null) {
          return malformed(line);
        }
        String[] parts = arg.split(" ");
        if (parts.length == 0) {
          return malformed(line); // only spaces: split drops every (empty) part
        }
        Map<String, String> caps = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
          int eq = parts[i].indexOf('=');
          if (eq > 0) {
            caps.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
          }
        }
        return DecodeResult.success(new Reply.HelloOk(parts[0], caps));
      }
      case "LOGIN":
        return arg == null ? malformed(line) : DecodeResult.success(new Reply.LoginOk(arg));
      case "LIST": {
        if (arg == null) {
          return malformed(line);
        }
        String[] parts = arg.split(" ");
        if (parts.length == 0) {
          return malformed(line); // "OK LIST  ": found by ProtocolFuzzTest#modernServerMessageDecoder
        }
        int count;
        try {
          count = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
          return malformed(line);
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
          names.add(parts[i]);
        }
        if (count != names.size()) {
          return DecodeResult.failure(ErrorCode.INVALID_COMMAND,
              "user list count: " + count + " (expected: " + names.size() + ", the number of names)");
        }
        return DecodeResult.success(new Reply.UserList(names));
      }
      case "SEND":
        return arg == null ? DecodeResult.success(new Reply.SendAllOk()) : malformed(line);
      case "SENDTO":
        return arg == null ? malformed(line) : DecodeResult.success(new Reply.SendToOk(arg));
      case "PING":
        return DecodeResult.success(new Reply.PingOk(arg == null ? "" : arg));
      case "QUIT":
        return arg == null ? DecodeResult.success(new Reply.QuitOk()) : malformed(line);
      case "AUTH": {
        if (arg == null) {
          return malformed(line);
        }
        String[] parts = arg.split(" ", -1);
        if (parts.length > 2) {
          return malformed(line);
        }
        if (parts[0].equals("+")) {
          return parts.length == 2 ? DecodeResult.success(new Reply.AuthChallenge(parts[1])) : malformed(line);
        }
        return DecodeResult.success(new Reply.AuthOk(parts[0], parts.length == 2 ? parts[1] : ""));
      }
      default:
        return malformed(line);
    }
  }

  private static ErrorCode code(String word) {
    return ErrorCode.fromWord(word).orElse(ErrorCode.INTERNAL_ERROR);
  }

  private static DecodeResult<ServerMessage> malformed(String line) {
    return DecodeResult.failure(ErrorCode.INVALID_COMMAND, "malformed server line \"" + Names.printable(line) + "\"");
  }
}
