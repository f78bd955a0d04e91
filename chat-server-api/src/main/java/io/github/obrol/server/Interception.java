package io.github.obrol.server;

import io.github.obrol.protocol.ErrorCode;
import java.util.Objects;

/** What a {@link MessageInterceptor} decides about a message: let it pass, rewrite its text, or veto it. */
public sealed interface Interception permits Interception.Pass, Interception.Rewrite, Interception.Veto {

  /** Let the message pass unchanged. */
  static Interception pass() {
    return Pass.INSTANCE;
  }

  /** Replace the message's text; later interceptors see the new text. */
  static Interception rewrite(String text) {
    return new Rewrite(text);
  }

  /**
   * Refuse the message: it is not delivered and the sender is answered with {@code code} and {@code text}.
   * Use {@link ErrorCode#REJECTED} for a policy's refusal (a content filter, for example): both dialects
   * then carry {@code text} as the reason ({@code ERR REJECTED no spam}, classic {@code "\rmessage rejected:
   * no spam\n"}; GEN-REJECT-1). With another code a classic client gets only that code's fixed text. Later
   * interceptors are not called.
   */
  static Interception veto(ErrorCode code, String text) {
    return new Veto(code, text);
  }

  /** The message passes unchanged. */
  final class Pass implements Interception {
    private static final Pass INSTANCE = new Pass();

    private Pass() {}

    @Override
    public String toString() {
      return "Pass";
    }
  }

  /** The message passes with a new text: not empty and without control characters, else the sender gets INTERNAL_ERROR. */
  record Rewrite(String text) implements Interception {
    public Rewrite {
      Objects.requireNonNull(text, "text");
    }
  }

  /** The message is refused with a non-fatal error code. */
  record Veto(ErrorCode code, String text) implements Interception {
    public Veto {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(text, "text");
      if (code.isFatal()) {
        throw new IllegalArgumentException("code: " + code + " (expected: a non-fatal error code)");
      }
      if (text.isBlank() || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("text: \"" + text + "\" (expected: not blank, one line)");
      }
    }
  }
}
