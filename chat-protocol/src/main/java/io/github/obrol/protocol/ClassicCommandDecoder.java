package io.github.obrol.protocol;

import java.util.List;

/**
 * Reads classic client frames the way the original server splits them, with the defined behaviour the
 * original lacks (CL-CMD-1, CL-LOGIN-1, CL-LIST-1, CL-SENDALL-1, CL-SENDTO-1, CL-SENDTO-3, CL-QUIT-1,
 * CL-INVALID-1, GEN-TEXT-1, GEN-TEXT-2, GEN-TEXT-3, GEN-TEXT-4, GEN-TEXT-5). Texts are the body's tokens
 * joined by one space. Total: every input gives a value or a {@link DecodeResult.Failure}, never an
 * exception. Stateless and thread-safe.
 */
public final class ClassicCommandDecoder {
  private static final String CLASSIC_WHITESPACE_CONTROLS = "\t\u000b\u000c";

  private ClassicCommandDecoder() {}

  /** Decodes one frame (terminator removed). */
  public static DecodeResult<ClassicCommand> decode(byte[] frame) {
    DecodeResult<String> text = Utf8.decodeStrict(frame, CLASSIC_WHITESPACE_CONTROLS);
    if (!text.isSuccess()) {
      return text.map(s -> null);
    }
    return decodeChecked(text.value());
  }

  /**
   * Decodes one frame of text (terminator removed), with the same character checks as the bytes would
   * get (GEN-TEXT-2, GEN-TEXT-4; an unpaired surrogate counts as malformed UTF-8, GEN-TEXT-1).
   */
  public static DecodeResult<ClassicCommand> decode(String frame) {
    DecodeResult<String> text = Utf8.checkClientText(frame, CLASSIC_WHITESPACE_CONTROLS);
    if (!text.isSuccess()) {
      return text.map(s -> null);
    }
    return decodeChecked(frame);
  }

  /**
   * Decodes a frame whose characters passed the checks. Every value built here meets its record's
   * checks by construction: tokens are non-empty and hold no whitespace or control character, texts are
   * joined tokens (so not only spaces, GEN-TEXT-3; U+3000 or U+00A0 alone are text, GEN-TEXT-5).
   */
  private static DecodeResult<ClassicCommand> decodeChecked(String frame) {
    List<String> tokens = ClassicText.tokens(frame);
    if (tokens.size() < 3 || !tokens.get(1).equals("says")) {
      return invalid("frame: \"" + Names.printable(frame) + "\" (expected: <name> says <command>)");
    }
    String claimed = tokens.get(0);
    List<String> body = tokens.subList(2, tokens.size());
    String verb = body.get(0);
    ClientCommand command;
    if (verb.equals(claimed)) {
      var problem = Names.problem(claimed);
      if (problem.isPresent()) {
        return DecodeResult.failure(ErrorCode.INVALID_NAME, problem.get());
      }
      command = new ClientCommand.Login(claimed);
    } else if (verb.equals("list")) {
      command = new ClientCommand.ListUsers();
    } else if (verb.equals("sendall")) {
      String text = String.join(" ", body.subList(1, body.size()));
      if (text.isEmpty()) {
        return invalid("sendall needs a text (expected: sendall <text>)");
      }
      command = new ClientCommand.SendAll(text);
    } else if (verb.equals("sendto")) {
      if (body.size() < 3) {
        return invalid("sendto needs a user and a text (expected: sendto <user> <text>)");
      }
      command = new ClientCommand.SendTo(body.get(1), String.join(" ", body.subList(2, body.size())));
    } else if (verb.equals("quit")) {
      command = new ClientCommand.Quit(String.join(" ", body.subList(1, body.size())));
    } else {
      return invalid("unknown command \"" + Names.printable(verb) + "\" (expected: list, sendall or sendto)");
    }
    return DecodeResult.success(new ClassicCommand(claimed, command));
  }

  private static DecodeResult<ClassicCommand> invalid(String message) {
    return DecodeResult.failure(ErrorCode.INVALID_COMMAND, message);
  }
}
