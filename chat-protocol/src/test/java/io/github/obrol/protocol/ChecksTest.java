package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.obrol.testkit.Verifies;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The public character predicate {@link Checks#isRejected}, against PROTOCOL.md's list written out here. */
class ChecksTest {

  @Test
  @DisplayName("GEN-TEXT-4: exactly the C1 controls, U+2028, U+2029 and the listed bidi controls are rejected")
  @Verifies("GEN-TEXT-4")
  void rejectedCharactersAreExactlyTheListedOnes() {
    // Every code point up to U+FFFF plus a few supplementary ones, compared with the ranges of GEN-TEXT-4.
    List<String> rejected = new ArrayList<>();
    for (int cp = 0; cp <= 0xffff; cp++) {
      if (Checks.isRejected(cp)) {
        rejected.add(String.format("%04X", cp));
      }
    }
    for (int cp : new int[] {0x1f600, 0x10ffff, 0xe0001}) {
      if (Checks.isRejected(cp)) {
        rejected.add(String.format("%04X", cp));
      }
    }
    List<String> expected = new ArrayList<>();
    for (int cp = 0x80; cp <= 0x9f; cp++) {
      expected.add(String.format("%04X", cp));
    }
    expected.addAll(List.of("061C", "200E", "200F", "2028", "2029", "202A", "202B", "202C", "202D", "202E",
        "2066", "2067", "2068", "2069"));
    assertEquals(expected, rejected);
  }

  @Test
  @DisplayName("GEN-TEXT-4: neighbours of the rejected ranges, C0 controls, DEL and ZWJ are not in the set")
  @Verifies("GEN-TEXT-4")
  void neighboursAreNotRejected() {
    // C0 and DEL are GEN-TEXT-2's business; U+200D ZERO WIDTH JOINER is needed by emoji sequences.
    for (int cp : new int[] {0x00, 0x0a, 0x1f, 0x7f, 0xa0, 0x061b, 0x061d, 0x200d, 0x2010, 0x2027, 0x202f, 0x2065,
        0x206a, 'a'}) {
      assertEquals(false, Checks.isRejected(cp), String.format("U+%04X", cp));
    }
  }

  @Test
  @DisplayName("GEN-TEXT-1: a model value with an unpaired surrogate (no UTF-8 encoding exists) is refused, a pair is kept")
  @Verifies("GEN-TEXT-1")
  void unpairedSurrogatesAreRefusedInEveryKindOfText() {
    // Values built in code, not decoded from bytes: an unpaired surrogate has no UTF-8 form, so a frame holding
    // one could not be encoded. Found by PIT: removing these checks from lineText and token broke no test.
    for (String bad : new String[] {"a\uD800b", "\uDC00", "x\uD83D"}) {
      assertThrows(IllegalArgumentException.class, () -> Checks.lineText("text", bad), bad);
      assertThrows(IllegalArgumentException.class, () -> Checks.token("token", bad), bad);
      assertThrows(IllegalArgumentException.class, () -> Checks.sendableText("text", bad), bad);
    }
    String pair = "ok \uD83D\uDE00";
    assertEquals(pair, Checks.lineText("text", pair));
    assertEquals(pair, Checks.sendableText("text", pair));
    assertEquals("\uD83D\uDE00", Checks.token("token", "\uD83D\uDE00"));
  }
}
