package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The edges the mutation run (PIT) found unchecked: every malformed form of every known server verb, the shortest
 * well-formed forms, and how a refused line is quoted back. Expected values are literal.
 */
class DecoderEdgeCasesTest {

  private static DecodeResult.Failure<?> failure(DecodeResult<?> r) {
    assertFalse(r.isSuccess(), () -> "expected a failure, got " + r);
    return (DecodeResult.Failure<?>) r;
  }

  @Test
  @DisplayName("CLIENT-1: each known server verb with missing or extra parts is a failure that quotes the line, never null")
  void malformedServerLines() {
    for (String line : List.of("ERR", "MSG", "PRIV", "JOIN", "JOIN a b", "LEFT a", "BYE", "OK", "OK HELLO", "OK LOGIN",
        "OK LIST", "OK LIST x a", "OK SEND x", "OK SENDTO", "OK QUIT x", "OK WHAT")) {
      DecodeResult.Failure<?> f = failure(ModernServerMessageDecoder.decode(line));
      assertEquals(ErrorCode.INVALID_COMMAND, f.code(), line);
      assertEquals("malformed server line \"" + line + "\"", f.message(), line);
    }
    assertEquals("user list count: 3 (expected: 2, the number of names)",
        failure(ModernServerMessageDecoder.decode("OK LIST 3 a b")).message());
    assertEquals("unknown server verb \"HELLO\" (ignored, CLIENT-1)", failure(ModernServerMessageDecoder.decode("HELLO x")).message());
  }

  @Test
  @DisplayName("MD-EVENT-1 MD-ERROR-1: the shortest forms: a code without text, a message without text, an empty list, a bare PING")
  void shortestServerLines() {
    assertEquals(new Reply.Error(ErrorCode.KICKED, ""), ModernServerMessageDecoder.decode("ERR KICKED").value());
    assertEquals(new Event.Message("a", "", Audience.BROADCAST), ModernServerMessageDecoder.decode("MSG a").value());
    assertEquals(new Event.Message("a", "", Audience.PRIVATE), ModernServerMessageDecoder.decode("PRIV a").value());
    assertEquals(new Event.Bye(ErrorCode.SHUTTING_DOWN, ""), ModernServerMessageDecoder.decode("BYE SHUTTING_DOWN").value());
    assertEquals(new Event.UserLeft("a", LeaveReason.UNKNOWN, ""), ModernServerMessageDecoder.decode("LEFT a LATER").value());
    assertEquals(new Event.UserLeft("a", LeaveReason.QUIT, "x y"), ModernServerMessageDecoder.decode("LEFT a QUIT x y").value());
    assertEquals(new Event.Notice(""), ModernServerMessageDecoder.decode("NOTICE").value());
    assertEquals(new Event.Notice(" x"), ModernServerMessageDecoder.decode("NOTICE  x").value());
    assertEquals(new Reply.UserList(List.of()), ModernServerMessageDecoder.decode("OK LIST 0").value());
    assertEquals(new Reply.PingOk(""), ModernServerMessageDecoder.decode("OK PING").value());
    assertEquals(new Reply.QuitOk(), ModernServerMessageDecoder.decode("OK QUIT").value());
    assertEquals(new Reply.HelloOk("obrol/1", Map.of()), ModernServerMessageDecoder.decode("OK HELLO obrol/1 =x noequals").value());
  }

  @Test
  @DisplayName("MD-PING-1 MD-INVALID-1: a PING token is one token: PING with two spaces or a leading space is INVALID_COMMAND")
  void pingToken() {
    for (String line : List.of("PING ", "PING  t", "PING t u")) {
      assertEquals(ErrorCode.INVALID_COMMAND, failure(ModernCommandDecoder.decode(line)).code(), line);
    }
    assertEquals(new ClientCommand.Ping("t"), ModernCommandDecoder.decode("PING t").value());
    assertEquals(new ClientCommand.Quit(""), ModernCommandDecoder.decode("QUIT    ").value());
  }

  @Test
  @DisplayName("MD-INVALID-1: an unknown verb is named in the error, controls escaped, long lines cut at 64 characters")
  void unknownVerbMessage() {
    assertEquals("unknown verb \"\" (expected: one of HELLO, LOGIN, LIST, SEND, SENDTO, PING, QUIT, AUTH)",
        failure(ModernCommandDecoder.decode(" LIST")).message());
    assertEquals("unknown server verb \"a\\x1fb\\x7f\" (ignored, CLIENT-1)",
        failure(ModernServerMessageDecoder.decode("a\u001fb\u007f")).message());
    String sixtyFour = "x".repeat(64);
    assertEquals("unknown server verb \"" + sixtyFour + "\" (ignored, CLIENT-1)",
        failure(ModernServerMessageDecoder.decode(sixtyFour)).message());
    assertEquals("unknown server verb \"" + sixtyFour + "...\" (ignored, CLIENT-1)",
        failure(ModernServerMessageDecoder.decode(sixtyFour + "y")).message());
    assertEquals("malformed server line \"JOIN a b\"", failure(ModernServerMessageDecoder.decode("JOIN a b")).message(),
        "spaces are not escaped");
  }
}
