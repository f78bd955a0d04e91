package io.github.obrol.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.testkit.Verifies;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The frames of PROTOCOL.md section 8 (AUTH and the new error codes), at the level this module owns. The
 * expected lines are literals from the specification, never built with the codecs under test. What a server does
 * with them (throttling, TLS, refusals) is checked over the wire in chat-server-api and the conformance suite.
 */
class AuthProtocolTest {

  private static DecodeResult<ClientCommand> modern(String line) {
    return ModernCommandDecoder.decode(line.getBytes(UTF_8));
  }

  private static ErrorCode failureCode(DecodeResult<?> r) {
    assertFalse(r.isSuccess(), () -> "expected a failure, got " + r);
    return ((DecodeResult.Failure<?>) r).code();
  }

  private static String failureText(DecodeResult<?> r) {
    return ((DecodeResult.Failure<?>) r).message();
  }

  @Test
  @Verifies({"AUTH-1"})
  @DisplayName("AUTH-1: AUTH makes a connection modern, and auth in any case is a reserved name")
  void authIsAModernVerb() {
    assertEquals(Optional.of(Dialect.MODERN), DialectDetector.detect("AUTH PLAIN x\n".getBytes(UTF_8)));
    assertEquals(Optional.of(Dialect.MODERN), DialectDetector.detect("AUTH\n".getBytes(UTF_8)));
    assertEquals(Optional.empty(), DialectDetector.detect("AUT".getBytes(UTF_8)), "AUT may still become AUTH");
    assertEquals(Optional.of(Dialect.CLASSIC), DialectDetector.detect("auth says auth".getBytes(UTF_8)));
    assertEquals(Optional.of(Dialect.CLASSIC), DialectDetector.detect("AUTHOR ".getBytes(UTF_8)));
    for (String name : List.of("auth", "AUTH", "Auth", "aUtH")) {
      assertFalse(Names.isValid(name), name);
      assertEquals(ErrorCode.INVALID_NAME, failureCode(modern("LOGIN " + name)), name);
      assertEquals(ErrorCode.INVALID_NAME,
          failureCode(ClassicCommandDecoder.decode((name + " says " + name).getBytes(UTF_8))), name);
    }
    assertTrue(Names.isValid("author"));
    assertTrue(Names.isValid("auth0"));
  }

  @Test
  @Verifies({"AUTH-3"})
  @DisplayName("AUTH-3: the three request forms decode, and encode back to the same line")
  void requestForms() {
    assertEquals(new ClientCommand.Authenticate("PLAIN", "AGFsaWNlAHMzY3JldA=="), modern("AUTH PLAIN AGFsaWNlAHMzY3JldA==").value());
    assertEquals(new ClientCommand.Authenticate("EXTERNAL", ""), modern("AUTH EXTERNAL").value());
    assertEquals(new ClientCommand.Authenticate("SCRAM-SHA-256", "biwsbj1hbGljZSxyPXh5eg=="),
        modern("AUTH SCRAM-SHA-256 biwsbj1hbGljZSxyPXh5eg==").value());
    assertEquals(new ClientCommand.Authenticate("TOKEN", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig"),
        modern("AUTH TOKEN eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig").value());
    assertEquals(new ClientCommand.AuthResponse("="), modern("AUTH + =").value());
    assertEquals(new ClientCommand.AuthAbort(), modern("AUTH *").value());
    assertEquals(new ClientCommand.Authenticate("X_1", ""), modern("AUTH X_1").value());

    assertEquals("AUTH PLAIN AGFsaWNlAHMzY3JldA==\n",
        new String(ModernCommandEncoder.encode(new ClientCommand.Authenticate("PLAIN", "AGFsaWNlAHMzY3JldA==")), UTF_8));
    assertEquals("AUTH EXTERNAL\n", new String(ModernCommandEncoder.encode(new ClientCommand.Authenticate("EXTERNAL", "")), UTF_8));
    assertEquals("AUTH + abc=\n", new String(ModernCommandEncoder.encode(new ClientCommand.AuthResponse("abc=")), UTF_8));
    assertEquals("AUTH *\n", new String(ModernCommandEncoder.encode(new ClientCommand.AuthAbort()), UTF_8));
  }

  @Test
  @Verifies({"AUTH-3", "AUTH-13"})
  @DisplayName("AUTH-3: malformed AUTH lines are INVALID_COMMAND, and no failure text repeats the response")
  void malformedRequests() {
    String secret = "c2VjcmV0LXBhc3N3b3Jk";
    for (String line : List.of("AUTH", "AUTH ", "AUTH plain " + secret, "AUTH PLAIN  " + secret, "AUTH PLAIN " + secret + " x",
        "AUTH PLAIN " + secret + " ", "AUTH +", "AUTH + ", "AUTH * " + secret, "AUTH " + "A".repeat(21) + " " + secret,
        "AUTH PL.AIN " + secret, "AUTH + " + secret + " more")) {
      DecodeResult<ClientCommand> r = modern(line);
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(r), line);
      assertFalse(failureText(r).contains(secret), () -> line + " -> " + failureText(r));
    }
    assertTrue(modern("AUTH " + "A".repeat(20)).isSuccess(), "20 characters is the longest mechanism name");
    assertEquals(ErrorCode.INVALID_ENCODING, failureCode(modern("AUTH PLAIN a\u0001b")));
  }

  @Test
  @Verifies({"AUTH-13"})
  @DisplayName("AUTH-13: the commands that carry responses never show them in toString or in a constructor's exception")
  void secretsStayHidden() {
    String secret = "AGFsaWNlAHMzY3JldA==";
    assertFalse(new ClientCommand.Authenticate("PLAIN", secret).toString().contains(secret));
    assertFalse(new ClientCommand.AuthResponse(secret).toString().contains(secret));
    assertTrue(new ClientCommand.Authenticate("PLAIN", secret).toString().contains("PLAIN"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClientCommand.Authenticate("PLAIN", "s3cret pass"));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClientCommand.AuthResponse("s3cret pass"));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClientCommand.Authenticate("plain", ""));
    assertThrows(IllegalArgumentException.class, () -> new ClientCommand.Authenticate("", ""));
  }

  @Test
  @Verifies({"AUTH-4"})
  @DisplayName("AUTH-4: OK AUTH <account>, OK AUTH <account> <final>, OK AUTH + <challenge>")
  void replies() {
    assertEquals("OK AUTH alice\n", new String(ModernServerMessageEncoder.encode(new Reply.AuthOk("alice")), UTF_8));
    assertEquals("OK AUTH alice dj1yTkw=\n",
        new String(ModernServerMessageEncoder.encode(new Reply.AuthOk("alice", "dj1yTkw=")), UTF_8));
    assertEquals("OK AUTH + cj1meXo=\n", new String(ModernServerMessageEncoder.encode(new Reply.AuthChallenge("cj1meXo=")), UTF_8));
    assertEquals(new Reply.AuthOk("alice", ""), ModernServerMessageDecoder.decode("OK AUTH alice").value());
    assertEquals(new Reply.AuthOk("alice", "dj1yTkw="), ModernServerMessageDecoder.decode("OK AUTH alice dj1yTkw=").value());
    assertEquals(new Reply.AuthChallenge("cj1meXo="), ModernServerMessageDecoder.decode("OK AUTH + cj1meXo=").value());
    for (String bad : List.of("OK AUTH", "OK AUTH +", "OK AUTH a b c", "OK AUTH  a")) {
      assertFalse(ModernServerMessageDecoder.decode(bad).isSuccess(), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new Reply.AuthOk("+"));
    assertThrows(IllegalArgumentException.class, () -> new Reply.AuthOk("al ice"));
    assertEquals("", ClassicServerMessageEncoder.encodeToString(new Reply.AuthOk("alice")), "no classic form");
  }

  @Test
  @Verifies({"AUTH-5", "AUTH-9", "AUTH-10", "AUTH-11", "TLS-3"})
  @DisplayName("section 8: the new error codes' modern words and classic texts are those of the tables")
  void errorCodes() {
    List<String[]> table = List.of(
        new String[] {"AUTH_FAILED", "authentication failed"},
        new String[] {"AUTH_REQUIRED", "authentication required"},
        new String[] {"AUTH_UNSUPPORTED", "authentication mechanism not supported"},
        new String[] {"AUTH_THROTTLED", "too many failed logins"},
        new String[] {"TLS_REQUIRED", "this server requires TLS"},
        new String[] {"NAME_NOT_ALLOWED", "name not allowed"});
    for (String[] row : table) {
      ErrorCode code = ErrorCode.fromWord(row[0]).orElseThrow(() -> new AssertionError(row[0]));
      assertEquals(Optional.of(code), ErrorCode.fromClassicText(row[1]));
      assertFalse(code.isFatal(), row[0]);
      assertEquals("ERR " + row[0] + " try again in 42 s\n",
          new String(ModernServerMessageEncoder.encode(new Reply.Error(code, "try again in 42 s")), UTF_8));
      assertEquals(new Reply.Error(code, "x"), ModernServerMessageDecoder.decode("ERR " + row[0] + " x").value());
    }
    assertEquals("\rthis server requires TLS\n",
        ClassicServerMessageEncoder.encodeToString(new Event.Bye(ErrorCode.TLS_REQUIRED, "this server accepts TLS only")));
    assertEquals("\rauthentication required\n",
        ClassicServerMessageEncoder.encodeToString(new Event.Bye(ErrorCode.AUTH_REQUIRED, "x")));
    assertEquals("BYE TLS_REQUIRED this server accepts TLS connections only\n",
        new String(ModernServerMessageEncoder.encode(new Event.Bye(ErrorCode.TLS_REQUIRED, "this server accepts TLS connections only")), UTF_8));
  }

  @Test
  @DisplayName("AUTH-2: the greeting's auth and authreq capabilities are ordinary tokens")
  void greetingCapabilities() {
    Reply.HelloOk ok = (Reply.HelloOk) ModernServerMessageDecoder.decode(
        "OK HELLO obrol/1 maxline=4096 maxname=32 idle=300 auth=PLAIN,TOKEN authreq=1").value();
    assertEquals("PLAIN,TOKEN", ok.capabilities().get("auth"));
    assertEquals(1, ok.capabilityAsLong("authreq", 0));
  }
}
