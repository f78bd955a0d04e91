package io.github.obrol.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 and character checks of client frames (GEN-TEXT-1, GEN-TEXT-2, GEN-TEXT-4). */
final class Utf8 {
  private Utf8() {}

  /**
   * Decodes {@code frame} strictly, then applies {@link #checkClientText}. Returns the text, or a
   * failure with {@link ErrorCode#INVALID_ENCODING}.
   */
  static DecodeResult<String> decodeStrict(byte[] frame, String allowedControls) {
    String text;
    try {
      CharsetDecoder decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      text = decoder.decode(ByteBuffer.wrap(frame)).toString();
    } catch (CharacterCodingException e) {
      return DecodeResult.failure(
          ErrorCode.INVALID_ENCODING, "frame is not well-formed UTF-8 (expected: UTF-8 text)");
    }
    return checkClientText(text, allowedControls);
  }

  /**
   * Checks the characters of a client frame that is already text: no C0 control or DEL except those in
   * {@code allowedControls} (GEN-TEXT-2), none of the characters {@link Checks#isRejected rejected} by
   * GEN-TEXT-4, no unpaired surrogate (what well-formed UTF-8 cannot carry, GEN-TEXT-1). Returns the text,
   * or a failure with {@link ErrorCode#INVALID_ENCODING}.
   */
  static DecodeResult<String> checkClientText(String text, String allowedControls) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if (Checks.isControl(c) && allowedControls.indexOf(c) < 0) {
          return DecodeResult.failure(
              ErrorCode.INVALID_ENCODING,
              String.format(
                  "control character 0x%02x at index %d (expected: no control characters%s)",
                  (int) c, i, c == '\r' ? "; a CR is allowed only directly before LF" : ""));
        }
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a supplementary character: none of them is rejected
      } else if (Character.isSurrogate(c)) {
        return DecodeResult.failure(
            ErrorCode.INVALID_ENCODING,
            "unpaired surrogate at index " + i + " (expected: UTF-8 text)");
      } else if (Checks.isRejected(c)) {
        return DecodeResult.failure(
            ErrorCode.INVALID_ENCODING,
            String.format(
                "character U+%04X at index %d (expected: no C1 control, line or paragraph separator,"
                    + " or bidirectional control; GEN-TEXT-4)",
                (int) c, i));
      }
    }
    return DecodeResult.success(text);
  }

  /** Decodes what a server sent, replacing malformed input with U+FFFD: clients do their best. */
  static String decodeLenient(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  static byte[] encode(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
