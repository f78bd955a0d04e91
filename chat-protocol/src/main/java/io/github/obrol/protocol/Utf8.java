package io.github.obrol.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 and control-character checks of client frames (GEN-TEXT-1, GEN-TEXT-2). */
final class Utf8 {
  private Utf8() {}

  /**
   * Decodes {@code frame} strictly, then rejects control characters except those in
   * {@code allowedControls}. Returns the text, or a failure with {@link ErrorCode#INVALID_ENCODING}.
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
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Checks.isControl(c) && allowedControls.indexOf(c) < 0) {
        return DecodeResult.failure(
            ErrorCode.INVALID_ENCODING,
            String.format(
                "control character 0x%02x at index %d (expected: no control characters%s)",
                (int) c, i, c == '\r' ? "; a CR is allowed only directly before LF" : ""));
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
