package io.github.obrol.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Decides a connection's dialect from the first bytes it sends (GEN-DIALECT-1): modern if the first
 * token is exactly a modern verb, classic otherwise. Decides as early as possible: at the first
 * delimiter, or as soon as the bytes can no longer become a modern verb.
 */
public final class DialectDetector {
  /** The modern verbs a client line may start with (GEN-DIALECT-1, AUTH-1, MD-FRAME-2). */
  public static final List<String> MODERN_VERBS =
      List.of("HELLO", "LOGIN", "LIST", "SEND", "SENDTO", "PING", "QUIT", "AUTH");

  private DialectDetector() {}

  /**
   * The dialect of a connection whose first bytes are {@code bytes[offset, offset + length)}, or empty
   * if more bytes are needed to decide.
   */
  public static Optional<Dialect> detect(byte[] bytes, int offset, int length) {
    int tokenEnd = -1;
    for (int i = 0; i < length; i++) {
      byte b = bytes[offset + i];
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        tokenEnd = i;
        break;
      }
    }
    String token =
        new String(bytes, offset, tokenEnd < 0 ? length : tokenEnd, StandardCharsets.ISO_8859_1);
    if (tokenEnd >= 0) {
      return Optional.of(MODERN_VERBS.contains(token) ? Dialect.MODERN : Dialect.CLASSIC);
    }
    for (String verb : MODERN_VERBS) {
      if (verb.startsWith(token)) {
        return Optional.empty();
      }
    }
    return Optional.of(Dialect.CLASSIC);
  }

  /** {@link #detect(byte[], int, int)} over a whole array. */
  public static Optional<Dialect> detect(byte[] bytes) {
    return detect(bytes, 0, bytes.length);
  }

  /**
   * The dialect when no more bytes will help (the quiet period passed or input ended): as
   * {@link #detect(byte[], int, int)}, but classic where that would wait.
   */
  public static Dialect detectFinal(byte[] bytes, int offset, int length) {
    return detect(bytes, offset, length).orElse(Dialect.CLASSIC);
  }
}
