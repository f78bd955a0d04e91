package io.github.obrol.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * Reads client lines of the modern dialect (MD-FRAME-2, MD-INVALID-1, GEN-TEXT-1, GEN-TEXT-2,
 * GEN-TEXT-3, GEN-TEXT-4, GEN-TEXT-5, AUTH-3). Total: every input gives a value or a {@link DecodeResult.Failure}
 * (the error a server answers with), never an exception. Stateless and thread-safe.
 */
public final class ModernCommandDecoder {
  private ModernCommandDecoder() {}

  /** Decodes one frame (terminator removed). */
  public static DecodeResult<ClientCommand> decode(byte[] frame) {
    DecodeResult<String> text = Utf8.decodeStrict(frame, "");
    if (!text.isSuccess()) {
      return text.map(s -> null);
    }
    return decodeChecked(text.value());
  }

  /**
   * Decodes one line of text (terminator removed), with the same character checks as the bytes would
   * get (GEN-TEXT-2, GEN-TEXT-4; an unpaired surrogate counts as malformed UTF-8, GEN-TEXT-1).
   */
  public static DecodeResult<ClientCommand> decode(String line) {
    DecodeResult<String> text = Utf8.checkClientText(line, "");
    if (!text.isSuccess()) {
      return text.map(s -> null);
    }
    return decodeChecked(line);
  }

  /**
   * Decodes a line whose characters passed the checks. Each branch checks what its record requires
   * before building it, so no record constructor throws here.
   */
  private static DecodeResult<ClientCommand> decodeChecked(String line) {
    int space = line.indexOf(' ');
    String verb = space < 0 ? line : line.substring(0, space);
    String args = space < 0 ? null : line.substring(space + 1);
    switch (verb) {
      case "HELLO":
        if (args == null) {
          return invalid("HELLO needs at least one version (expected: HELLO obrol/1)");
        }
        List<String> versions = Arrays.asList(args.split(" ", -1));
        if (versions.contains("")) {
          return invalid("HELLO versions are separated by single spaces");
        }
        return DecodeResult.success(new ClientCommand.Hello(versions));
      case "LOGIN":
        if (args == null) {
          return invalid("LOGIN needs a name (expected: LOGIN <name>)");
        }
        return Names.problem(args)
            .<DecodeResult<ClientCommand>>map(p -> DecodeResult.failure(ErrorCode.INVALID_NAME, p))
            .orElseGet(() -> DecodeResult.success(new ClientCommand.Login(args)));
      case "LIST":
        return args == null
            ? DecodeResult.success(new ClientCommand.ListUsers())
            : invalid("LIST takes no arguments");
      case "SEND":
        if (args == null || isBlank(args)) {
          return invalid("SEND needs a text that is not empty (expected: SEND <text>)");
        }
        return DecodeResult.success(new ClientCommand.SendAll(args));
      case "SENDTO":
        int gap = args == null ? -1 : args.indexOf(' ');
        if (gap <= 0 || isBlank(args.substring(gap + 1))) {
          return invalid("SENDTO needs a user and a text that is not empty (expected: SENDTO <user> <text>)");
        }
        return DecodeResult.success(
            new ClientCommand.SendTo(args.substring(0, gap), args.substring(gap + 1)));
      case "PING":
        if (args == null) {
          return DecodeResult.success(new ClientCommand.Ping(""));
        }
        if (args.isEmpty() || args.indexOf(' ') >= 0) {
          return invalid("PING takes at most one token without spaces (expected: PING [<token>])");
        }
        return DecodeResult.success(new ClientCommand.Ping(args));
      case "AUTH":
        return auth(args);
      case "QUIT":
        return DecodeResult.success(
            new ClientCommand.Quit(args == null || isBlank(args) ? "" : args));
      default:
        return invalid("unknown verb \"" + Names.printable(verb) + "\" (expected: one of "
            + String.join(", ", DialectDetector.MODERN_VERBS) + ")");
    }
  }

  /**
   * AUTH-3: {@code AUTH <mech> [<response>]}, {@code AUTH + <response>}, {@code AUTH *}. No failure text
   * repeats the response, which may be a password or a token (AUTH-13).
   */
  private static DecodeResult<ClientCommand> auth(String args) {
    String usage = " (expected: AUTH <mechanism> [<response>], AUTH + <response> or AUTH *)";
    if (args == null || args.isEmpty()) {
      return invalid("AUTH needs a mechanism" + usage);
    }
    int gap = args.indexOf(' ');
    String first = gap < 0 ? args : args.substring(0, gap);
    String rest = gap < 0 ? null : args.substring(gap + 1);
    if (rest != null && (rest.isEmpty() || rest.indexOf(' ') >= 0 || !Checks.isToken(rest))) {
      return invalid("an AUTH response is one token without spaces" + usage);
    }
    if (first.equals("*")) {
      return rest == null ? DecodeResult.success(new ClientCommand.AuthAbort()) : invalid("AUTH * takes nothing more" + usage);
    }
    if (first.equals("+")) {
      return rest == null
          ? invalid("AUTH + needs a response ('=' for an empty one)" + usage)
          : DecodeResult.success(new ClientCommand.AuthResponse(rest));
    }
    if (!Checks.isMechanism(first)) {
      return invalid("a mechanism name is 1 to 20 upper-case ASCII letters, digits, '-' or '_'" + usage);
    }
    return DecodeResult.success(new ClientCommand.Authenticate(first, rest == null ? "" : rest));
  }

  private static boolean isBlank(String s) {
    return s.chars().allMatch(c -> c == ' ');
  }

  private static DecodeResult<ClientCommand> invalid(String message) {
    return DecodeResult.failure(ErrorCode.INVALID_COMMAND, message);
  }
}
