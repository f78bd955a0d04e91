package io.github.obrol.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The text policy of client frames (GEN-TEXT-3, GEN-TEXT-4, GEN-TEXT-5) and the totality of the command
 * decoders on the inputs of issue 10 item 4. Inputs are literal strings and bytes; expected values are
 * stated here, never taken from the decoders' own tables.
 */
class TextPolicyTest {

  /** Every character GEN-TEXT-4 names, written out one by one. */
  static final List<String> REJECTED = List.of(
      "\u0080", "\u0085", "\u009b", "\u009f", // C1 controls: first, NEL, CSI, last
      "\u2028", "\u2029", // line and paragraph separator
      "\u061c", "\u200e", "\u200f", // ALM, LRM, RLM
      "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", // LRE, RLE, PDF, LRO, RLO
      "\u2066", "\u2067", "\u2068", "\u2069"); // LRI, RLI, FSI, PDI

  static ErrorCode failureCode(DecodeResult<?> r) {
    assertFalse(r.isSuccess(), () -> "expected a failure, got " + r);
    return ((DecodeResult.Failure<?>) r).code();
  }

  @Test
  @DisplayName("issue 10 item 4: 'c says sendall' + U+3000 decodes (GEN-TEXT-5); + U+2028 is INVALID_ENCODING (GEN-TEXT-4)")
  void issueInputsNeverThrow() {
    // The literal frames of the report, as bytes and as text.
    byte[] ideographic = {'c', ' ', 's', 'a', 'y', 's', ' ', 's', 'e', 'n', 'd', 'a', 'l', 'l', ' ',
        (byte) 0xE3, (byte) 0x80, (byte) 0x80};
    byte[] lineSeparator = {'c', ' ', 's', 'a', 'y', 's', ' ', 's', 'e', 'n', 'd', 'a', 'l', 'l', ' ',
        (byte) 0xE2, (byte) 0x80, (byte) 0xA8};
    assertEquals(new ClassicCommand("c", new ClientCommand.SendAll("\u3000")),
        ClassicCommandDecoder.decode(ideographic).value());
    assertEquals(new ClassicCommand("c", new ClientCommand.SendAll("\u3000")),
        ClassicCommandDecoder.decode("c says sendall \u3000").value());
    assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode(lineSeparator)));
    assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode("c says sendall \u2028")));
    // Without the space the character belongs to the verb token: an unknown command, not a crash.
    assertEquals(ErrorCode.INVALID_COMMAND, failureCode(ClassicCommandDecoder.decode("c says sendall\u3000")));
    // The same texts in every position of both dialects.
    assertEquals(new ClassicCommand("c", new ClientCommand.SendTo("d", "\u3000")),
        ClassicCommandDecoder.decode("c says sendto d \u3000").value());
    assertEquals(new ClassicCommand("c", new ClientCommand.Quit("\u3000")),
        ClassicCommandDecoder.decode("c says quit \u3000").value());
    assertEquals(new ClientCommand.SendAll("\u3000"), ModernCommandDecoder.decode("SEND \u3000").value());
    assertEquals(new ClientCommand.SendTo("d", "\u00a0"), ModernCommandDecoder.decode("SENDTO d \u00a0").value());
    assertEquals(new ClientCommand.Quit("\u3000"), ModernCommandDecoder.decode("QUIT \u3000").value());
    assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ModernCommandDecoder.decode("SEND \u2028")));
  }

  @Test
  @DisplayName("GEN-TEXT-4: C1, U+2028/U+2029 and bidi controls are INVALID_ENCODING in every frame of both dialects")
  void rejectedCharacters() {
    for (String c : REJECTED) {
      String hex = String.format("U+%04X", (int) c.charAt(0));
      List<String> modern = List.of("SEND hi" + c + "admin says pwned", "SENDTO bob x" + c, "SENDTO b" + c + "ob x",
          "QUIT bye" + c, "PING t" + c, "HELLO obrol/1" + c, "LOGIN al" + c + "ice", "LIST" + c, c + "SEND x");
      for (String line : modern) {
        assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ModernCommandDecoder.decode(line)), hex + " in " + line);
        assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ModernCommandDecoder.decode(line.getBytes(UTF_8))),
            hex + " in the bytes of " + line);
      }
      List<String> classic = List.of("a says sendall hi" + c + "admin says pwned", "a says sendto b x" + c,
          "a says quit bye" + c, "a says a" + c, "a" + c + " says list", "a says list " + c);
      for (String frame : classic) {
        assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode(frame)), hex + " in " + frame);
        assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode(frame.getBytes(UTF_8))),
            hex + " in the bytes of " + frame);
      }
      // A client cannot even build such a command (the SDK refuses before sending).
      assertThrows(IllegalArgumentException.class, () -> new ClientCommand.SendAll("x" + c));
      assertThrows(IllegalArgumentException.class, () -> new ClientCommand.SendTo("bob", "x" + c));
      assertThrows(IllegalArgumentException.class, () -> new ClientCommand.SendTo("b" + c, "x"));
      assertThrows(IllegalArgumentException.class, () -> new ClientCommand.Quit("x" + c));
      assertThrows(IllegalArgumentException.class, () -> new ClientCommand.Ping("x" + c));
    }
    // The neighbours of the rejected ranges pass: U+007F is DEL (GEN-TEXT-2), so start above.
    for (String ok : List.of("\u00a0", "\u2027", "\u202f", "\u2065", "\u206a", "\u061b", "\u061d", "\u200d")) {
      assertTrue(ModernCommandDecoder.decode("SEND x" + ok).isSuccess(), String.format("U+%04X", (int) ok.charAt(0)));
    }
  }

  @Test
  @DisplayName("GEN-TEXT-5: other format characters (ZWJ, ZWNJ, ZWSP, BOM, soft hyphen, tags) and spaces pass unchanged")
  void otherFormatCharactersPass() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // man ZWJ woman ZWJ girl
    String flag = "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F"; // tag sequence
    List<String> texts = List.of(family, flag, "a\u200cb", "a\u200bb", "\ufeffhi", "soft\u00adhyphen", "a\u2060b",
        "\u3000", "\u00a0 \u00a0", "x\u2062y");
    for (String text : texts) {
      assertEquals(new ClientCommand.SendAll(text), ModernCommandDecoder.decode(("SEND " + text).getBytes(UTF_8)).value());
      assertEquals(new ClassicCommand("a", new ClientCommand.SendAll(text)),
          ClassicCommandDecoder.decode(("a says sendall " + text).getBytes(UTF_8)).value());
    }
  }

  @Test
  @DisplayName("GEN-TEXT-3: only U+0020 counts as space; a text of U+3000 or U+00A0 is not empty")
  void onlyAsciiSpaceIsBlank() {
    assertEquals(ErrorCode.INVALID_COMMAND, failureCode(ModernCommandDecoder.decode("SEND   ")));
    assertEquals(ErrorCode.INVALID_COMMAND, failureCode(ClassicCommandDecoder.decode("a says sendall \t ")));
    assertEquals("\u3000", new ClientCommand.SendAll("\u3000").text());
    assertEquals("\u00a0", new ClientCommand.Quit("\u00a0").reason());
  }

  @Test
  @DisplayName("GEN-TEXT-1: the text entry points treat an unpaired surrogate as malformed UTF-8, never throw")
  void unpairedSurrogates() {
    for (String s : List.of("\ud800", "\udc00", "x\ud83d", "\ude00y")) {
      assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ModernCommandDecoder.decode("SEND " + s)));
      assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode("a says sendall " + s)));
    }
  }

  @Test
  @DisplayName("GEN-TEXT-2: the text entry points check controls as the byte entry points do")
  void textEntryPointsCheckControls() {
    assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode("a says sendall x\u0001")));
    assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode("a says sendall x\ny")));
    assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ModernCommandDecoder.decode("SEND x\ny")));
  }

  @Test
  @DisplayName("CLIENT-3: error texts and log lines show C1, separators, bidi controls and lone surrogates escaped")
  void errorTextsEscape() {
    assertEquals("a\\u0085b\\u202ec\\ud800\\x01 \uD83D\uDC4D", Names.printable("a\u0085b\u202ec\ud800\u0001 \uD83D\uDC4D"));
    DecodeResult<ServerMessage> r = ModernServerMessageDecoder.decode("W\u2028X y");
    assertEquals("unknown server verb \"W\\u2028X\" (ignored, CLIENT-1)", ((DecodeResult.Failure<?>) r).message());
  }
}
