package io.github.obrol.protocol;

import java.util.ArrayList;
import java.util.List;

/** Classic whitespace: tokens and the whitespace collapse of the original server (section 5.2). */
final class ClassicText {
  private ClassicText() {}

  /** Space, TAB, VT and FF: what Python's {@code str.split()} splits a CR-and-LF-free frame on. */
  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == 0x0b || c == 0x0c;
  }

  static List<String> tokens(String s) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && isWhitespace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        tokens.add(s.substring(start, i));
      }
    }
    return tokens;
  }

  /** The text the original server relays: tokens joined by one space. */
  static String normalize(String text) {
    return String.join(" ", tokens(text));
  }
}
