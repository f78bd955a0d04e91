package io.github.obrol.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a classic server sends, for clients (CL-SFRAME-1, CL-JOIN-1, CL-LEAVE-1, CL-LIST-1,
 * CL-LIST-2, CL-NOTICE-1, CL-ERROR-1). Feed it the lines of a {@link LineFramer}.
 *
 * <p>A classic user list has no end marker, so this decoder holds an open list until the next frame that
 * starts with CR, or until its owner calls {@link #endOfBurst} (no byte arrived for the quiet period, or
 * the connection ended). Lines without the leading CR are accepted as frames too, for servers that omit
 * it. Messages decode with {@link Audience#UNKNOWN} and leaves with {@link LeaveReason#UNKNOWN}: the
 * classic wire does not carry them. Errors with a fatal code decode as {@link Event.Bye}.
 *
 * <p>Lenient: malformed UTF-8 becomes U+FFFD; an unrecognised line is a {@link DecodeResult.Failure}.
 * Total: no input makes it throw. A line is only ever attributed to the name it starts with: it splits
 * frames at LF alone, never at CR inside a line, U+0085, U+2028 or U+2029 (which a legacy server may
 * relay); a text holding CR is a failure. Not thread-safe: one instance per connection.
 */
public final class ClassicServerMessageDecoder {
  private static final Pattern MESSAGE = Pattern.compile("(\\S+) says (.*)", Pattern.DOTALL);
  private static final Pattern JOIN = Pattern.compile("(\\S+) sudah terhubung dengan system");
  private static final Pattern LEAVE = Pattern.compile("(?:Client )?\\((\\S+)\\) off");
  private static final Pattern LIST_ENTRY = Pattern.compile("(\\S+) is online[ \\t]*");
  private static final String LIST_HEADER = "list yang online";
  private static final String NOTICE_PREFIX = "*** ";
  private static final Pattern TRAILING_BLANKS = Pattern.compile("[ \\t]+$");

  private List<String> openList;

  /** Decodes one line (LF removed) and passes every completed message to {@code out}. */
  public void decode(byte[] line, Consumer<? super DecodeResult<ServerMessage>> out) {
    String text = Utf8.decodeLenient(line);
    boolean startsFrame = text.startsWith("\r");
    if (!startsFrame && openList != null) {
      Matcher entry = LIST_ENTRY.matcher(text);
      // Only names a UserList can hold join the list, so ending the list never fails (totality).
      if (entry.matches() && Checks.isToken(entry.group(1))) {
        openList.add(entry.group(1));
        return;
      }
    }
    endOfBurst(out);
    DecodeResult<ServerMessage> result = decodeFrame(startsFrame ? text.substring(1) : text);
    if (result != null) {
      out.accept(result);
    }
  }

  /** Decodes one line and returns the completed messages. */
  public List<DecodeResult<ServerMessage>> decode(byte[] line) {
    List<DecodeResult<ServerMessage>> out = new ArrayList<>();
    decode(line, out::add);
    return out;
  }

  /** Ends an open user list (CL-LIST-2); call after the quiet period and at the end of the connection. */
  public void endOfBurst(Consumer<? super DecodeResult<ServerMessage>> out) {
    if (openList != null) {
      List<String> names = openList;
      openList = null;
      out.accept(DecodeResult.success(new Reply.UserList(names)));
    }
  }

  /** Ends an open user list and returns it, if one was open. */
  public Optional<Reply.UserList> endOfBurst() {
    List<DecodeResult<ServerMessage>> out = new ArrayList<>(1);
    endOfBurst(out::add);
    return out.stream().map(r -> (Reply.UserList) r.value()).findFirst();
  }

  /** Whether a user list has begun and not yet ended. */
  public boolean hasOpenList() {
    return openList != null;
  }

  /** The decoded frame, or null for a list header, which opens a list instead. */
  private DecodeResult<ServerMessage> decodeFrame(String frame) {
    // A tolerated variant (CL-VARIANT-1): spaces or TABs before the LF of a join, leave, list header or error
    // carry nothing. Messages and notices keep their text as sent (a message drops the original's one space).
    String text = TRAILING_BLANKS.matcher(frame).replaceFirst("");
    try {
      if (text.equals(LIST_HEADER)) {
        openList = new ArrayList<>();
        return null; // the list is reported when it ends
      }
      Optional<DecodeResult<ServerMessage>> error = decodeError(frame);
      if (error.isEmpty() && !text.equals(frame)) {
        error = decodeError(text);
      }
      if (error.isPresent()) {
        return error.get();
      }
      Matcher m = JOIN.matcher(text);
      if (m.matches()) {
        return DecodeResult.success(new Event.UserJoined(m.group(1)));
      }
      m = LEAVE.matcher(text);
      if (m.matches()) {
        return DecodeResult.success(new Event.UserLeft(m.group(1), LeaveReason.UNKNOWN, ""));
      }
      // Before messages: "*** says x" is a notice, and "***" is no valid name (GEN-NAME-1).
      if (frame.startsWith(NOTICE_PREFIX)) {
        return DecodeResult.success(new Event.Notice(frame.substring(NOTICE_PREFIX.length())));
      }
      m = MESSAGE.matcher(frame);
      if (m.matches()) {
        String body = m.group(2);
        // The original appends one space after the text (CL-SENDALL-1).
        if (body.endsWith(" ")) {
          body = body.substring(0, body.length() - 1);
        }
        return DecodeResult.success(new Event.Message(m.group(1), body, Audience.UNKNOWN));
      }
    } catch (IllegalArgumentException e) {
      return DecodeResult.failure(ErrorCode.INVALID_COMMAND,
          "malformed classic server frame \"" + Names.printable(text) + "\": " + e.getMessage());
    }
    return DecodeResult.failure(ErrorCode.INVALID_COMMAND,
        "unrecognised classic server frame \"" + Names.printable(text) + "\"");
  }

  private static Optional<DecodeResult<ServerMessage>> decodeError(String text) {
    for (ErrorCode code : ErrorCode.values()) {
      String t = code.classicText();
      String detail;
      if (text.equals(t)) {
        detail = t;
      } else if (code.classicDetailAllowed() && text.startsWith(t + ": ")) {
        detail = text.substring(t.length() + 2);
      } else {
        continue;
      }
      ServerMessage message = code.isFatal() ? new Event.Bye(code, detail) : new Reply.Error(code, detail);
      return Optional.of(DecodeResult.success(message));
    }
    return Optional.empty();
  }
}
