package io.github.obrol.server.internal;

import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.Interception;
import io.github.obrol.server.MessageInterceptor;
import java.util.List;

/** Runs an interceptor chain (on the hook executor). */
final class Interceptors {
  private Interceptors() {}

  /** The chain's decision: the first veto, else the last rewrite, else pass. */
  static Interception run(List<MessageInterceptor> chain, InboundMessage message) throws Exception {
    InboundMessage current = message;
    boolean rewritten = false;
    for (MessageInterceptor i : chain) {
      Interception d = i.intercept(current);
      if (d == null) {
        throw new NullPointerException("interceptor " + i + " returned null");
      }
      if (d instanceof Interception.Veto) {
        return d;
      }
      if (d instanceof Interception.Rewrite) {
        String text = ((Interception.Rewrite) d).text();
        if (!isSendable(text)) {
          return d; // reported as INTERNAL_ERROR by the caller
        }
        current = current.withText(text);
        rewritten = true;
      }
    }
    return rewritten ? Interception.rewrite(current.text()) : Interception.pass();
  }

  /** Whether {@code text} can be a message text: not blank, no control character. */
  static boolean isSendable(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogateAt(text, i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
