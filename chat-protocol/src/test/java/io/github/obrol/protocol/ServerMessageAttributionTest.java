package io.github.obrol.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the client decoders make of texts a legacy or foreign server relays despite GEN-TEXT-4: the frame
 * stays one message, attributed to the name it starts with, never split at U+0085, U+2028, U+2029 or a
 * CR inside a line (CLIENT-3, CL-SFRAME-1, MD-EVENT-1). And they never throw (CLIENT-1).
 */
class ServerMessageAttributionTest {

  static List<DecodeResult<ServerMessage>> classic(String bytes) {
    LineFramer framer = new LineFramer(ProtocolDefaults.MAX_SERVER_FRAME_LENGTH);
    ClassicServerMessageDecoder decoder = new ClassicServerMessageDecoder();
    List<DecodeResult<ServerMessage>> out = new ArrayList<>();
    for (Frame f : framer.feed(bytes.getBytes(UTF_8))) {
      decoder.decode(((Frame.Line) f).bytes(), out::add);
    }
    decoder.endOfBurst(out::add);
    return out;
  }

  @Test
  @DisplayName("CLIENT-3 MD-EVENT-1: 'MSG bob hi<NEL>alice says pwned' is one message from bob, for every GEN-TEXT-4 character")
  void modernMessageStaysWithItsSender() {
    for (String c : TextPolicyTest.REJECTED) {
      DecodeResult<ServerMessage> r = ModernServerMessageDecoder.decode(("MSG bob hi" + c + "MSG alice pwned").getBytes(UTF_8));
      assertEquals(new Event.Message("bob", "hi" + c + "MSG alice pwned", Audience.BROADCAST), r.value());
      r = ModernServerMessageDecoder.decode("LEFT bob QUIT bye" + c + "JOIN alice");
      assertEquals(new Event.UserLeft("bob", LeaveReason.QUIT, "bye" + c + "JOIN alice"), r.value());
    }
  }

  @Test
  @DisplayName("CLIENT-3 CL-SFRAME-1: a classic line holding U+2028 or U+0085 is one message from its first name")
  void classicMessageStaysWithItsSender() {
    for (String c : TextPolicyTest.REJECTED) {
      List<DecodeResult<ServerMessage>> r = classic("\rbob says hi" + c + "alice says pwned \n");
      assertEquals(List.of(DecodeResult.success(new Event.Message("bob", "hi" + c + "alice says pwned", Audience.UNKNOWN))),
          r);
    }
  }

  @Test
  @DisplayName("CLIENT-3 CL-SFRAME-1: a CR inside a classic line is a failure, never a message of the name after it")
  void innerCarriageReturnIsNoNewFrame() {
    List<DecodeResult<ServerMessage>> r = classic("\rbob says hi\ralice says pwned \n");
    assertEquals(1, r.size());
    assertFalse(r.get(0).isSuccess(), r.toString());
  }

  @Test
  @DisplayName("CL-LIST-2: a list entry whose name holds a control is no entry; ending the list never throws")
  void oddListEntries() {
    List<DecodeResult<ServerMessage>> r = classic("\rlist yang online\nann is online \n\u0001x is online \nbob is online \n");
    assertEquals(DecodeResult.success(new Reply.UserList(List.of("ann"))), r.get(0));
    assertFalse(r.get(1).isSuccess(), r.toString());
    // "bob is online " after a non-entry line opens no list: it is not a frame of any kind.
    assertEquals(3, r.size(), r.toString());
    assertTrue(r.stream().noneMatch(x -> x.isSuccess() && x.value() instanceof Event.Message), r.toString());
  }

  @Test
  @DisplayName("CLIENT-1: 'OK LIST  ' and 'OK HELLO  ' (found by fuzzing) are malformed lines, not exceptions")
  void onlySpacesAfterOkVerb() {
    for (String s : List.of("OK LIST  ", "OK HELLO  ", "OK LIST ", "OK HELLO ")) {
      DecodeResult<ServerMessage> r = ModernServerMessageDecoder.decode(s.getBytes(UTF_8));
      assertEquals(ErrorCode.INVALID_COMMAND, ((DecodeResult.Failure<?>) r).code(), s);
    }
  }

  @Test
  @DisplayName("CLIENT-1: text entry points with unpaired surrogates or controls give failures, never exceptions")
  void textEntryPointsAreTotal() {
    for (String s : List.of("MSG \ud800 x", "JOIN a\u0001", "OK LIST 1 \udc00", "OK HELLO \ud800", "LEFT a\u0000 QUIT",
        "OK LIST 2 a  b", "OK LIST 99999999999 a", "ERR", "BYE X", "NOTICE x\ny", "OK HELLO v k=\ud800")) {
      DecodeResult<ServerMessage> r = ModernServerMessageDecoder.decode(s);
      assertTrue(r != null, s);
    }
  }
}
