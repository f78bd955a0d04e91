package io.github.obrol.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The name rules shared by both dialects (GEN-NAME-1, GEN-NAME-2, GEN-NAME-3).
 *
 * <p>Names are ASCII so that case-insensitive comparison is unambiguous and no two names look alike.
 */
public final class Names {
  /** Words that are not valid names, in lower case; compared ignoring case (GEN-NAME-3, AUTH-1). */
  public static final Set<String> RESERVED =
      Set.of(
          "says", "list", "sendall", "sendto", "login", "quit", "hello", "send", "ping", "ok", "err",
          "msg", "priv", "join", "left", "notice", "bye", "auth");

  private Names() {}

  /** Whether {@code name} is a valid name (GEN-NAME-1, GEN-NAME-3). */
  public static boolean isValid(String name) {
    return problem(name).isEmpty();
  }

  /**
   * What is wrong with {@code name} as a name, or empty if it is valid. The text is meant for people,
   * for example {@code "name: \"a b\" (expected: only letters, digits, '_', '-' and '.')"}.
   */
  public static Optional<String> problem(String name) {
    if (name == null) {
      return Optional.of("name: null (expected: a name)");
    }
    if (name.isEmpty() || name.length() > ProtocolDefaults.MAX_NAME_LENGTH) {
      return Optional.of(
          "name length: " + name.length() + " (expected: 1 to " + ProtocolDefaults.MAX_NAME_LENGTH + ")");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = isAsciiLetterOrDigit(c) || c == '_' || (i > 0 && (c == '-' || c == '.'));
      if (!ok) {
        return Optional.of(
            "name: \"" + printable(name) + "\" (expected: an ASCII letter, digit or '_' first, then letters,"
                + " digits, '_', '-' or '.')");
      }
    }
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      return Optional.of("name: \"" + name + "\" (expected: not a reserved word)");
    }
    return Optional.empty();
  }

  /**
   * The key under which a name is unique: its ASCII lower case (GEN-NAME-2). Two names denote the same
   * user exactly when their keys are equal.
   */
  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else if (Checks.isRejected(c) || Character.isSurrogate(c)) {
        // Error texts and logs show these escaped: they would act on a terminal (GEN-TEXT-4, CLIENT-3).
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > 64) {
      b.append("...");
    }
    return b.toString();
  }
}
