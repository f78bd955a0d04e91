package io.github.obrol.client.terminal;

import io.github.obrol.protocol.Checks;

/**
 * Makes any text safe to print on a terminal (CLIENT-3): C0 controls, DEL, C1 controls, U+2028, U+2029,
 * the bidirectional controls of GEN-TEXT-4 and unpaired surrogates are shown as {@code <U+XXXX>} instead
 * of being printed. Everything else, including format characters such as U+200D ZERO WIDTH JOINER that
 * emoji sequences need, is printed as it is. Our server refuses these characters (GEN-TEXT-4), but an
 * older or foreign server relays them, and a terminal would act on them: a CSI (U+009B) starts an escape
 * sequence, U+2028 breaks a line, U+202E turns the rest of the line around.
 */
final class TerminalText {
  private TerminalText() {}

  /** {@code text} with every character that a terminal would act on replaced by {@code <U+XXXX>}. */
  static String escape(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        if (b != null) {
          b.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (isUnsafe(c)) {
        if (b == null) {
          b = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        b.append(String.format("<U+%04X>", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? text : b.toString();
  }

  /** C0 controls and DEL, what GEN-TEXT-4 rejects, and unpaired surrogates (a pair never reaches here). */
  private static boolean isUnsafe(char c) {
    return c < 0x20 || c == 0x7f || Checks.isRejected(c) || Character.isSurrogate(c);
  }
}
