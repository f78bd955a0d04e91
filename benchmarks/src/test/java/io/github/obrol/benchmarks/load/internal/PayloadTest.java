package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The message text the load generator stamps and the receivers parse back, in place. */
class PayloadTest {
  private static ByteBuf buf(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a text parses back to its id, stamp and sender, at every size")
  void roundTrip() {
    long[][] cases = {{0, 0, 0}, {1, 2, 3}, {0xFFFF_FFFFL, 0xFFF_FFFF_FFFFL, 0xFFF}, {123_456, 987_654_321, 7}};
    for (long[] c : cases) {
      for (int bytes : new int[] {0, 32, 512}) {
        String text = Payload.text(c[0], c[1], (int) c[2], bytes);
        assertTrue(text.length() >= bytes, text);
        assertTrue(text.length() <= Math.max(bytes, Payload.minimumBytes()), text);
        assertFalse(text.chars().anyMatch(Character::isWhitespace), "classic collapses whitespace: " + text);
        ByteBuf line = buf("MSG alice " + text);
        Payload.Header h = new Payload.Header();
        assertTrue(Payload.parse(line, 10, line.writerIndex(), h), text);
        assertEquals(c[0], h.id);
        assertEquals(c[1], h.stamp);
        assertEquals(c[2], h.sender);
      }
    }
  }

  @Test
  @DisplayName("text that is not a whole header is not a delivery")
  void rejectsOtherText() {
    Payload.Header h = new Payload.Header();
    for (String s : new String[] {"", "~", "~1.2.3", "~1.2~", "~.2.3~", "~1.2.3x", "x1.2.3~", "~1.G.3~", "~1..3~", "hello"}) {
      ByteBuf b = buf(s);
      assertFalse(Payload.parse(b, 0, b.writerIndex(), h), s);
    }
  }
}
