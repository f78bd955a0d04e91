package io.github.obrol.protocol;

import java.util.Objects;

/** Argument checks shared by the model's records; messages read {@code "field: actual (expected: ...)"}. */
final class Checks {
  private Checks() {}

  /** A token: not empty, no space, no control character, no unpaired surrogate. */
  static String token(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + ": \"\" (expected: not empty)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || isControl(c)) {
        throw new IllegalArgumentException(
            field + ": \"" + Names.printable(value) + "\" (expected: no spaces or control characters)");
      }
    }
    noUnpairedSurrogate(field, value);
    return value;
  }

  /** Whether {@link #token} accepts {@code value}. */
  static boolean isToken(String value) {
    try {
      token("token", value);
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  /** A token a client may send: as {@link #token}, and none of the characters GEN-TEXT-4 rejects. */
  static String clientToken(String field, String value) {
    token(field, value);
    noRejectedCharacters(field, value);
    return value;
  }

  /** An AUTH mechanism name: 1 to 20 of A-Z, 0-9, '-', '_' (AUTH-3). */
  static String mechanism(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!isMechanism(value)) {
      throw new IllegalArgumentException(field + ": \"" + Names.printable(value)
          + "\" (expected: 1 to 20 upper-case ASCII letters, digits, '-' or '_')");
    }
    return value;
  }

  /** Whether {@code value} is a valid AUTH mechanism name (AUTH-3). */
  static boolean isMechanism(String value) {
    if (value.isEmpty() || value.length() > 20) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * A token that may hold a secret (an AUTH response): checked as {@link #clientToken}, but a failure's
   * message never shows the value (AUTH-13).
   */
  static String secretToken(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!isToken(value)) {
      throw new IllegalArgumentException(field + ": <hidden> (expected: not empty, no spaces or control characters)");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Utf8.isRejected(value.charAt(i))) {
        throw new IllegalArgumentException(field + ": <hidden> (expected: none of the characters GEN-TEXT-4 rejects)");
      }
    }
    return value;
  }

  /** A valid name (GEN-NAME-1, GEN-NAME-3). */
  static String name(String field, String value) {
    Objects.requireNonNull(value, field);
    Names.problem(value).ifPresent(p -> {
      throw new IllegalArgumentException(field + " " + p);
    });
    return value;
  }

  /**
   * Text a client may send: not empty or only spaces (U+0020; other white space such as U+3000 is text),
   * no control characters, none of the characters GEN-TEXT-4 rejects (GEN-TEXT-2, GEN-TEXT-3, GEN-TEXT-4,
   * GEN-TEXT-5).
   */
  static String sendableText(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.chars().allMatch(c -> c == ' ')) {
      throw new IllegalArgumentException(
          field + ": \"" + Names.printable(value) + "\" (expected: not empty or only spaces)");
    }
    noControls(field, value);
    noUnpairedSurrogate(field, value);
    noRejectedCharacters(field, value);
    return value;
  }

  /** Optional text a client may send: empty, or as {@link #sendableText}. */
  static String optionalText(String field, String value) {
    Objects.requireNonNull(value, field);
    return value.isEmpty() ? value : sendableText(field, value);
  }

  /** Text a server may send: anything that keeps the frame one line (no CR, no LF). */
  static String lineText(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          field + ": \"" + Names.printable(value) + "\" (expected: no CR or LF)");
    }
    noUnpairedSurrogate(field, value);
    return value;
  }

  static boolean isControl(char c) {
    return c < 0x20 || c == 0x7f;
  }

  private static void noControls(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isControl(value.charAt(i))) {
        throw new IllegalArgumentException(
            field + ": \"" + Names.printable(value) + "\" (expected: no control characters)");
      }
    }
  }

  private static void noRejectedCharacters(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Utf8.isRejected(value.charAt(i))) {
        throw new IllegalArgumentException(
            String.format(
                "%s: U+%04X at index %d (expected: no C1 control, line or paragraph separator, or"
                    + " bidirectional control; GEN-TEXT-4)",
                field, (int) value.charAt(i), i));
      }
    }
  }

  private static void noUnpairedSurrogate(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new IllegalArgumentException(field + ": unpaired surrogate at index " + i);
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException(field + ": unpaired surrogate at index " + i);
      }
    }
  }
}
