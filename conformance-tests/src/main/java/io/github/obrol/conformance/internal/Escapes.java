package io.github.obrol.conformance.internal;

import java.nio.charset.StandardCharsets;

/**
 * Java string literals for bytes and text, so transcripts and messages show CR, LF and controls; C1
 * controls, U+2028/U+2029 and bidi controls show as {@code \}{@code uNNNN} (CLIENT-3).
 */
public final class Escapes {
  private static final int MAX_SHOWN = 400;

  private Escapes() {}

  /** {@code bytes} as a quoted literal; valid UTF-8 shows as text, other bytes as {@code \xNN}. */
  public static String literal(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    boolean clean = java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes);
    StringBuilder b = new StringBuilder(Math.min(bytes.length, MAX_SHOWN) + 16).append('"');
    if (clean) {
      appendEscaped(b, text);
    } else {
      for (int i = 0; i < bytes.length && b.length() < MAX_SHOWN; i++) {
        int v = bytes[i] & 0xff;
        if (v >= 0x20 && v < 0x7f && v != '"' && v != '\\') {
          b.append((char) v);
        } else {
          appendByte(b, v);
        }
      }
    }
    if (b.length() >= MAX_SHOWN) {
      b.setLength(MAX_SHOWN);
      b.append("\"... (").append(bytes.length).append(" bytes)");
      return b.toString();
    }
    return b.append('"').toString();
  }

  /** {@code text} as a quoted literal. */
  public static String literal(String text) {
    return literal(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void appendEscaped(StringBuilder b, String text) {
    for (int i = 0; i < text.length() && b.length() < MAX_SHOWN; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r':
          b.append("\\r");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            appendByte(b, c);
          } else if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x061c || c == 0x200e
              || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            // C1 controls, line separators and bidi controls would act on the reader's terminal (CLIENT-3).
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
  }

  private static void appendByte(StringBuilder b, int v) {
    switch (v) {
      case '\r':
        b.append("\\r");
        return;
      case '\n':
        b.append("\\n");
        return;
      case '"':
        b.append("\\\"");
        return;
      case '\\':
        b.append("\\\\");
        return;
      default:
        b.append(String.format("\\x%02x", v));
    }
  }

  /**
   * Parses a literal written by {@link #literal(byte[])} (quotes included) back into bytes; understands
   * {@code \r \n \t \" \\ \xNN} and {@code \}{@code uNNNN}.
   *
   * @throws IllegalArgumentException if {@code literal} is not such a literal
   */
  public static byte[] parse(String literal) {
    String s = literal.trim();
    if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
      throw new IllegalArgumentException("literal: " + literal + " (expected: a quoted string)");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() - 1) {
          enc = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(enc, 0, enc.length);
        continue;
      }
      if (i + 1 >= s.length() - 1) {
        throw new IllegalArgumentException("literal: " + literal + " (expected: no lone backslash at the end)");
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'r':
          out.write('\r');
          break;
        case 'n':
          out.write('\n');
          break;
        case 't':
          out.write('\t');
          break;
        case '"':
          out.write('"');
          break;
        case '\\':
          out.write('\\');
          break;
        case 'x':
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
          break;
        case 'u':
          byte[] u = String.valueOf((char) Integer.parseInt(s.substring(i + 1, i + 5), 16))
              .getBytes(StandardCharsets.UTF_8);
          out.write(u, 0, u.length);
          i += 4;
          break;
        default:
          throw new IllegalArgumentException("literal: " + literal + " (expected: a known escape, got \\" + e + ")");
      }
    }
    return out.toByteArray();
  }
}
