package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EscapesTest {
  @Test
  @DisplayName("CLIENT-3: transcripts show C1, U+2028/U+2029 and bidi controls as \\u escapes, and parse them back")
  void escapesWhatWouldActOnATerminal() {
    String text = "hi\u0085x\u2028y\u202ez\u2066w \uD83D\uDC68\u200D\uD83D\uDC69";
    String literal = Escapes.literal(text);
    assertEquals("\"hi\\u0085x\\u2028y\\u202ez\\u2066w \uD83D\uDC68\u200D\uD83D\uDC69\"", literal);
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Escapes.parse(literal));
  }
}
