package io.github.obrol.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One example per rule of PROTOCOL.md, at the level this module owns: the frames a rule defines and the
 * codec and framing behaviour it needs. Rules about what a server does over time (delivery, ordering,
 * limits) are checked end to end, over the wire, by the conformance suite; here their frames are.
 */
class RuleExamplesTest {

  // ------------------------------------------------------------------------------------ helpers

  static DecodeResult<ClassicCommand> classic(String frame) {
    return ClassicCommandDecoder.decode(frame.getBytes(UTF_8));
  }

  static DecodeResult<ClientCommand> modern(String line) {
    return ModernCommandDecoder.decode(line.getBytes(UTF_8));
  }

  static DecodeResult<ClientCommand> modernBytes(byte[] line) {
    return ModernCommandDecoder.decode(line);
  }

  static String classicOut(ServerMessage m) {
    return new String(ClassicServerMessageEncoder.encode(m), UTF_8);
  }

  static String modernOut(ServerMessage m) {
    return new String(ModernServerMessageEncoder.encode(m), UTF_8);
  }

  static ErrorCode failureCode(DecodeResult<?> r) {
    assertFalse(r.isSuccess(), () -> "expected a failure, got " + r);
    return ((DecodeResult.Failure<?>) r).code();
  }

  static List<ServerMessage> classicServer(String bytes) {
    return CodecRoundTripProperties.decodeClassic(bytes.getBytes(UTF_8));
  }

  static ServerMessage modernServer(String line) {
    return ModernServerMessageDecoder.decode(line).value();
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  // ------------------------------------------------------------------------------------ names

  @Nested
  class NameRules {
    @Test
    @DisplayName("GEN-NAME-1: 1 to 32 characters, ASCII letter/digit/_ first, then also - and .")
    void shape() {
      for (String ok : List.of("a", "Z", "9", "_", "x".repeat(32), "a-b.c_d", "_-.")) {
        assertTrue(Names.isValid(ok), ok);
      }
      for (String bad : List.of("", "x".repeat(33), "-a", ".a", "a b", "ä", "a@b", "a\tb", "日本")) {
        assertFalse(Names.isValid(bad), bad);
      }
      assertEquals(ErrorCode.INVALID_NAME, failureCode(modern("LOGIN a@b")));
      assertEquals(ErrorCode.INVALID_NAME, failureCode(classic("a@b says a@b")));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClientCommand.Login("x".repeat(33)));
      assertEquals("name name length: 33 (expected: 1 to 32)", e.getMessage());
    }

    @Test
    @DisplayName("GEN-NAME-2: names compare ignoring ASCII case and keep the case they were given")
    void caseInsensitive() {
      assertEquals(Names.key("Alice"), Names.key("aLICE"));
      assertFalse(Names.key("alice").equals(Names.key("alice2")));
      assertEquals("Alice", new ClientCommand.Login("Alice").name());
      assertEquals(new ClientCommand.SendTo("ALICE", "hi"), modern("SENDTO ALICE hi").value());
    }

    @Test
    @DisplayName("GEN-NAME-3: reserved words are invalid names in any case")
    void reserved() {
      // GEN-NAME-3's words, written out from PROTOCOL.md: never read from Names.RESERVED, so that dropping a word
      // from the implementation fails here.
      for (String word : List.of("says", "list", "sendall", "sendto", "login", "quit", "hello", "send", "ping", "ok", "err",
          "msg", "priv", "join", "left", "notice", "bye")) {
        assertFalse(Names.isValid(word), word);
        assertFalse(Names.isValid(word.toUpperCase(java.util.Locale.ROOT)), word);
        assertEquals(ErrorCode.INVALID_NAME, failureCode(modern("LOGIN " + word)), word);
        assertEquals(ErrorCode.INVALID_NAME, failureCode(classic(word + " says " + word)), word);
      }
      assertEquals(18, Names.RESERVED.size(), "no reserved word beyond the specification's (GEN-NAME-3 and AUTH-1's auth)");
      assertFalse(Names.isValid("SeNdTo"));
      assertTrue(Names.isValid("lists"));
      assertEquals(ErrorCode.INVALID_NAME, failureCode(modern("LOGIN Hello")));
    }

    @Test
    @DisplayName("GEN-NAME-4 CL-LOGIN-2: a taken name is answered with NAME_TAKEN, not fatal; classic text exact")
    void taken() {
      assertFalse(ErrorCode.NAME_TAKEN.isFatal());
      assertEquals("\rusername sudah dipake\n", classicOut(Reply.Error.of(ErrorCode.NAME_TAKEN)));
      assertEquals("ERR NAME_TAKEN the name alice is taken\n", modernOut(new Reply.Error(ErrorCode.NAME_TAKEN, "the name alice is taken")));
      assertFalse(ErrorCode.NAME_TAKEN.classicDetailAllowed());
    }

    @Test
    @DisplayName("GEN-NAME-5: the leave notice names the freed name, which a login frame may then carry (reuse itself: conformance suite)")
    void freedName() {
      assertEquals("\r(bob) off\n", classicOut(new Event.UserLeft("bob", LeaveReason.QUIT, "")));
      assertEquals("LEFT bob DISCONNECTED\n", modernOut(new Event.UserLeft("bob", LeaveReason.DISCONNECTED, "")));
      assertEquals(new ClassicCommand("bob", new ClientCommand.Login("bob")), classic("bob says bob").value());
    }

    @Test
    @DisplayName("CLIENT-2: a client can check a name before sending; Login refuses invalid names at construction")
    void clientSideValidation() {
      assertEquals(Optional.of("name: \"list\" (expected: not a reserved word)"), Names.problem("list"));
      assertThrows(IllegalArgumentException.class, () -> new ClientCommand.Login("a b"));
      assertThrows(NullPointerException.class, () -> new ClientCommand.Login(null));
    }
  }

  // ------------------------------------------------------------------------------------ text and lines

  @Nested
  class TextAndLines {
    @Test
    @DisplayName("GEN-TEXT-1: malformed UTF-8 (overlong, surrogate, truncated, 0xFF) is INVALID_ENCODING in both dialects")
    void invalidUtf8() {
      List<byte[]> bad = List.of(bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xE2, 0x82), bytes(0xFF));
      for (byte[] b : bad) {
        byte[] modernLine = concat("SEND x".getBytes(UTF_8), b);
        byte[] classicLine = concat("a says sendall x".getBytes(UTF_8), b);
        assertEquals(ErrorCode.INVALID_ENCODING, failureCode(modernBytes(modernLine)));
        assertEquals(ErrorCode.INVALID_ENCODING, failureCode(ClassicCommandDecoder.decode(classicLine)));
      }
      assertEquals(new ClientCommand.SendAll("x é 日本"), modern("SEND x é 日本").value());
    }

    @Test
    @DisplayName("GEN-TEXT-2: NUL, DEL, bare CR and other controls are INVALID_ENCODING; classic TAB/VT/FF are whitespace")
    void controls() {
      for (String s : List.of("SEND a\u0000b", "SEND a\u007fb", "SEND a\rb", "SEND a\u0001b", "SEND a\tb")) {
        assertEquals(ErrorCode.INVALID_ENCODING, failureCode(modern(s)), s);
      }
      assertEquals(ErrorCode.INVALID_ENCODING, failureCode(classic("a says sendall x\u0000y")));
      assertEquals(ErrorCode.INVALID_ENCODING, failureCode(classic("a says sendall x\ry")));
      assertEquals(new ClassicCommand("a", new ClientCommand.SendAll("x y z")), classic("a\tsays sendall x\u000by\u000cz").value());
    }

    @Test
    @DisplayName("GEN-TEXT-3: an empty or all-space text is INVALID_COMMAND")
    void emptyText() {
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern("SEND    ")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern("SENDTO bob  ")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("a says sendall   ")));
      assertThrows(IllegalArgumentException.class, () -> new ClientCommand.SendAll("   "));
    }

    @Test
    @DisplayName("GEN-LINE-1: a frame of exactly the maximum length, with LF or CR LF, is one frame")
    void exactlyTheLimit() {
      String line = "x".repeat(16);
      assertEquals(List.of(new Frame.Line(line.getBytes(UTF_8))), new LineFramer(16).feed((line + "\r\n").getBytes(UTF_8)));
      assertEquals(List.of(new Frame.Line(line.getBytes(UTF_8))), new LineFramer(16).feed((line + "\n").getBytes(UTF_8)));
      assertEquals(4096, ProtocolDefaults.MAX_LINE_LENGTH);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LineFramer(0));
      assertEquals("maxLineLength: 0 (expected: > 0)", e.getMessage());
    }

    @Test
    @DisplayName("GEN-LINE-2 FR-LINE-2: an overlong frame is reported as soon as the limit passes, before its LF, and is discarded")
    void failFast() {
      LineFramer framer = new LineFramer(16);
      assertEquals(List.of(), framer.feed("x".repeat(16).getBytes(UTF_8)));
      assertEquals(List.of(new Frame.TooLong(16)), framer.feed("xy".getBytes(UTF_8)));
      assertEquals(0, framer.bufferedBytes());
      assertEquals(List.of(), framer.feed("z".repeat(10_000).getBytes(UTF_8)));
      assertEquals(0, framer.bufferedBytes());
      assertEquals(List.of(new Frame.Line("ok".getBytes(UTF_8))), framer.feed("\nok\n".getBytes(UTF_8)));
      assertEquals("\rline too long\n", classicOut(Reply.Error.of(ErrorCode.LINE_TOO_LONG)));
      LineFramer pendingCr = new LineFramer(16);
      pendingCr.feed(("x".repeat(16) + "\r").getBytes(UTF_8));
      assertEquals(17, pendingCr.bufferedBytes(), "one byte more while it may be the CR of CR LF");
    }

    @Test
    @DisplayName("GEN-LINE-3: a 1 MiB server frame carries a user list of 30,000 names of 32 characters")
    void bigUserList() {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 30_000; i++) {
        names.add(String.format("u%031d", i));
      }
      byte[] line = ModernServerMessageEncoder.encode(new Reply.UserList(names));
      assertTrue(line.length <= ProtocolDefaults.MAX_SERVER_FRAME_LENGTH);
      List<Frame> frames = new LineFramer(ProtocolDefaults.MAX_SERVER_FRAME_LENGTH).feed(line);
      assertEquals(new Reply.UserList(names), ModernServerMessageDecoder.decode(((Frame.Line) frames.get(0)).bytes()).value());
    }

    @Test
    @DisplayName("FR-LINE-1: a frame ends at LF; only a CR directly before LF is removed")
    void lfAndCrLf() {
      List<Frame> frames = new LineFramer(64).feed("a\r\nb\nc\rd\n\r\r\n".getBytes(UTF_8));
      List<String> texts = new ArrayList<>();
      frames.forEach(f -> texts.add(new String(((Frame.Line) f).bytes(), UTF_8)));
      assertEquals(List.of("a", "b", "c\rd", "\r"), texts);
    }
  }

  // ------------------------------------------------------------------------------------ dialects

  @Nested
  class Dialects {
    @Test
    @DisplayName("GEN-DIALECT-1: the first token decides, as soon as it is complete or can no longer be a verb")
    void detection() {
      assertEquals(Optional.of(Dialect.MODERN), DialectDetector.detect("HELLO obrol/1\n".getBytes(UTF_8)));
      assertEquals(Optional.of(Dialect.MODERN), DialectDetector.detect("SENDTO ".getBytes(UTF_8)));
      assertEquals(Optional.of(Dialect.MODERN), DialectDetector.detect("LIST\r\n".getBytes(UTF_8)));
      assertEquals(Optional.empty(), DialectDetector.detect("SEN".getBytes(UTF_8)));
      assertEquals(Optional.empty(), DialectDetector.detect("SEND".getBytes(UTF_8)), "SEND may become SENDTO");
      assertEquals(Optional.of(Dialect.CLASSIC), DialectDetector.detect("a".getBytes(UTF_8)));
      assertEquals(Optional.of(Dialect.CLASSIC), DialectDetector.detect("alice says alice".getBytes(UTF_8)));
      assertEquals(Optional.of(Dialect.CLASSIC), DialectDetector.detect("hello ".getBytes(UTF_8)), "verbs are upper case");
      assertEquals(Optional.of(Dialect.CLASSIC), DialectDetector.detect("LISTEN ".getBytes(UTF_8)));
      assertEquals(Optional.of(Dialect.CLASSIC), DialectDetector.detect("\n".getBytes(UTF_8)));
      assertEquals(Dialect.CLASSIC, DialectDetector.detectFinal("SEN".getBytes(UTF_8), 0, 3));
      for (String verb : DialectDetector.MODERN_VERBS) {
        assertFalse(Names.isValid(verb), "every modern verb is a reserved name: " + verb);
      }
    }

    @Test
    @DisplayName("GEN-DIALECT-2: one message reaches classic and modern users, each in its own dialect")
    void crossDialect() {
      Event.Message m = new Event.Message("alice", "hi  there", Audience.BROADCAST);
      assertEquals("MSG alice hi  there\n", modernOut(m));
      assertEquals("\ralice says hi  there \n", classicOut(m));
      assertEquals(List.of(new Event.Message("alice", "hi  there", Audience.UNKNOWN)), classicServer(classicOut(m)));
    }

    @Test
    @DisplayName("GEN-DIALECT-3: UNSUPPORTED_DIALECT is fatal and has a frame in each dialect")
    void unsupportedDialect() {
      assertTrue(ErrorCode.UNSUPPORTED_DIALECT.isFatal());
      assertEquals("\runsupported dialect\n", classicOut(new Event.Bye(ErrorCode.UNSUPPORTED_DIALECT, "modern only")));
      assertEquals("BYE UNSUPPORTED_DIALECT classic only\n", modernOut(new Event.Bye(ErrorCode.UNSUPPORTED_DIALECT, "classic only")));
    }
  }

  // ------------------------------------------------------------------------------------ delivery, order, limits

  @Nested
  class DeliveryOrderAndLimits {
    @Test
    @DisplayName("GEN-DELIVER-1 GEN-DELIVER-2 CL-SENDTO-1: modern tells broadcast from private; classic cannot (delivery itself: conformance suite)")
    void audiences() {
      assertEquals("MSG a x\n", modernOut(new Event.Message("a", "x", Audience.BROADCAST)));
      assertEquals("PRIV a x\n", modernOut(new Event.Message("a", "x", Audience.PRIVATE)));
      assertEquals(classicOut(new Event.Message("a", "x", Audience.BROADCAST)), classicOut(new Event.Message("a", "x", Audience.PRIVATE)));
      assertThrows(IllegalArgumentException.class, () -> modernOut(new Event.Message("a", "x", Audience.UNKNOWN)));
    }

    @Test
    @DisplayName("GEN-DELIVER-3 CL-AUTH-1: a classic frame's claimed name is kept apart so a server can check it; NAME_MISMATCH text")
    void claimedName() {
      ClassicCommand c = classic("bob says sendall hi").value();
      assertEquals("bob", c.claimedName());
      assertEquals(new ClientCommand.SendAll("hi"), c.command());
      assertEquals("\rname mismatch\n", classicOut(Reply.Error.of(ErrorCode.NAME_MISMATCH)));
    }

    @Test
    @DisplayName("GEN-JOIN-1 CL-JOIN-1 MD-LOGIN-1: join and login frames")
    void join() {
      assertEquals("\rcarol sudah terhubung dengan system\n", classicOut(new Event.UserJoined("carol")));
      assertEquals("JOIN carol\n", modernOut(new Event.UserJoined("carol")));
      assertEquals("OK LOGIN carol\n", modernOut(new Reply.LoginOk("carol")));
      assertEquals(new ClientCommand.Login("carol"), modern("LOGIN carol").value());
      assertEquals(0, ClassicServerMessageEncoder.encode(new Reply.LoginOk("carol")).length, "classic login has no reply");
    }

    @Test
    @DisplayName("GEN-LEAVE-1 CL-LEAVE-1: one leave frame per departure; both original forms decode")
    void leave() {
      assertEquals("\r(carol) off\n", classicOut(new Event.UserLeft("carol", LeaveReason.TIMEOUT, "")));
      assertEquals(List.of(new Event.UserLeft("carol", LeaveReason.UNKNOWN, ""), new Event.UserLeft("dave", LeaveReason.UNKNOWN, "")),
          classicServer("\r(carol) off\n\rClient (dave) off\n"));
      assertEquals(new Event.UserLeft("carol", LeaveReason.KICKED, "spam"), modernServer("LEFT carol KICKED spam"));
      assertThrows(IllegalArgumentException.class, () -> modernOut(new Event.UserLeft("c", LeaveReason.UNKNOWN, "")));
    }

    @Test
    @DisplayName("GEN-LEAVE-2: SHUTTING_DOWN is fatal: BYE in modern, its classic text in classic")
    void shutdown() {
      assertTrue(ErrorCode.SHUTTING_DOWN.isFatal());
      assertEquals("BYE SHUTTING_DOWN maintenance\n", modernOut(new Event.Bye(ErrorCode.SHUTTING_DOWN, "maintenance")));
      assertEquals(List.of(new Event.Bye(ErrorCode.SHUTTING_DOWN, "server shutting down")), classicServer("\rserver shutting down\n"));
    }

    @Test
    @DisplayName("GEN-LIST-1 MD-LIST-1 CL-LIST-1: the user list keeps login order, with a count in modern")
    void userList() {
      Reply.UserList list = new Reply.UserList(List.of("bob", "alice"));
      assertEquals("OK LIST 2 bob alice\n", modernOut(list));
      assertEquals("OK LIST 0\n", modernOut(new Reply.UserList(List.of())));
      assertEquals("\rlist yang online\nbob is online \nalice is online \n", classicOut(list));
      assertEquals(list, modernServer("OK LIST 2 bob alice"));
      assertFalse(ModernServerMessageDecoder.decode("OK LIST 3 bob alice").isSuccess(), "a count that does not match");
    }

    @Test
    @DisplayName("the modern server decoder keeps stream order, events between replies (the ordering rules GEN-ORDER-1..3 are server behaviour: RuleCoverageTest lists their wire tests)")
    void order() {
      String stream = "JOIN bob\nOK SEND\nMSG bob one\nMSG bob two\nOK LIST 2 alice bob\nLEFT bob QUIT\n";
      List<ServerMessage> decoded = new ArrayList<>();
      for (Frame f : new LineFramer(1024).feed(stream.getBytes(UTF_8))) {
        decoded.add(ModernServerMessageDecoder.decode(((Frame.Line) f).bytes()).value());
      }
      assertEquals(List.of(new Event.UserJoined("bob"), new Reply.SendAllOk(),
          new Event.Message("bob", "one", Audience.BROADCAST), new Event.Message("bob", "two", Audience.BROADCAST),
          new Reply.UserList(List.of("alice", "bob")), new Event.UserLeft("bob", LeaveReason.QUIT, "")), decoded);
    }

    @Test
    @DisplayName("the frames of the fatal limit codes (timeouts, full, slow consumer) in both dialects (the limits themselves: wire tests)")
    void fatalLimits() {
      Map<ErrorCode, String> classicTexts = Map.of(ErrorCode.LOGIN_TIMEOUT, "login timeout", ErrorCode.IDLE_TIMEOUT, "idle timeout",
          ErrorCode.SERVER_FULL, "server full", ErrorCode.SLOW_CONSUMER, "too slow");
      classicTexts.forEach((code, text) -> {
        assertTrue(code.isFatal(), code.name());
        assertEquals("\r" + text + "\n", classicOut(new Event.Bye(code, "x")));
        assertEquals(List.of(new Event.Bye(code, text)), classicServer("\r" + text + "\n"));
        assertEquals("BYE " + code.name() + " x\n", modernOut(new Event.Bye(code, "x")));
      });
      assertEquals("LEFT slowpoke SLOW_CONSUMER\n", modernOut(new Event.UserLeft("slowpoke", LeaveReason.SLOW_CONSUMER, "")));
    }

    @Test
    @DisplayName("GEN-LIMIT-4: RATE_LIMITED is an ordinary, non-fatal reply")
    void rateLimited() {
      assertFalse(ErrorCode.RATE_LIMITED.isFatal());
      assertEquals("ERR RATE_LIMITED slow down\n", modernOut(new Reply.Error(ErrorCode.RATE_LIMITED, "slow down")));
      assertEquals(List.of(new Reply.Error(ErrorCode.RATE_LIMITED, "10/s")), classicServer("\rrate limited: 10/s\n"));
    }

    @Test
    @DisplayName("GEN-LIMIT-6 CLIENT-1: garbage decodes to failures, never exceptions; unknown modern events are ignorable failures")
    void garbage() {
      assertFalse(ModernServerMessageDecoder.decode("WHATEVER x y").isSuccess());
      assertFalse(ModernServerMessageDecoder.decode("").isSuccess());
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classicServerResult("\rsomething else\n")));
      assertFalse(new ClassicServerMessageDecoder().decode("\u0000\u0001".getBytes(ISO_8859_1)).get(0).isSuccess());
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern("")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("")));
    }
  }

  // ------------------------------------------------------------------------------------ classic

  @Nested
  class Classic {
    @Test
    @DisplayName("CL-FRAME-1 CL-FRAME-2: a classic frame ends at LF, at the quiet period, or at end of input")
    void quietPeriod() {
      ClassicFramer framer = new ClassicFramer(4096);
      assertEquals(List.of(), framer.feed("alice says alice".getBytes(UTF_8)));
      assertTrue(framer.hasPartial());
      List<Frame> out = new ArrayList<>();
      framer.quietPeriodElapsed(out::add);
      assertEquals(List.of(new Frame.Line("alice says alice".getBytes(UTF_8))), out);
      assertFalse(framer.hasPartial());
      framer.quietPeriodElapsed(out::add);
      assertEquals(1, out.size(), "nothing pending, nothing more");
      assertEquals(List.of(new Frame.Line("alice says list".getBytes(UTF_8))), framer.feed("alice says list\n".getBytes(UTF_8)));
      framer.feed("alice says quit".getBytes(UTF_8));
      framer.endOfInput(out::add);
      assertEquals(new Frame.Line("alice says quit".getBytes(UTF_8)), out.get(1));
      assertEquals(100, ProtocolDefaults.CLASSIC_QUIET_PERIOD.toMillis());
    }

    @Test
    @DisplayName("CL-FRAME-3: a merged unterminated login and next frame are two frames; other frames are not split")
    void mergedLogin() {
      assertEquals(List.of(new Frame.Line("alice says alice".getBytes(UTF_8)), new Frame.Line("alice says list".getBytes(UTF_8))),
          new ClassicFramer(4096).feed("alice says alicealice says list\n".getBytes(UTF_8)));
      assertEquals(1, new ClassicFramer(4096).feed("alice says alicebob says list\n".getBytes(UTF_8)).size());
      assertEquals(1, new ClassicFramer(4096).feed("alice says sendall alice says hi\n".getBytes(UTF_8)).size());
    }

    @Test
    @DisplayName("CL-FRAME-4: the classic encoder ends every frame, the login included, with LF")
    void encoderTerminates() {
      assertEquals("alice says alice\n", new String(ClassicCommandEncoder.encode("alice", new ClientCommand.Login("alice")), UTF_8));
      assertEquals("alice says sendto bob hi\n", new String(ClassicCommandEncoder.encode("alice", new ClientCommand.SendTo("bob", "hi")), UTF_8));
      assertThrows(IllegalArgumentException.class, () -> ClassicCommandEncoder.encode("alice", new ClientCommand.Ping("")));
    }

    @Test
    @DisplayName("CL-CMD-1: <name> says <body>; too few tokens or no 'says' is invalid command")
    void frameShape() {
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("alice says")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("alice said list")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("list")));
      assertEquals(new ClassicCommand("alice", new ClientCommand.ListUsers()), classic("  alice   says\tlist  ").value());
    }

    @Test
    @DisplayName("CL-LOGIN-1: the body's first token equal to the claimed name is a login, checked first; extra tokens ignored")
    void login() {
      assertEquals(new ClassicCommand("alice", new ClientCommand.Login("alice")), classic("alice says alice").value());
      assertEquals(new ClassicCommand("alice", new ClientCommand.Login("alice")), classic("alice says alice and more").value());
      assertEquals(ErrorCode.INVALID_NAME, failureCode(classic("list says list")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("Alice says alice")), "exact, case included");
    }

    @Test
    @DisplayName("GEN-REJECT-1: a refused message is REJECTED with the reason, in both dialects, and not fatal")
    void rejected() {
      assertEquals("ERR REJECTED no spam\n", modernOut(new Reply.Error(ErrorCode.REJECTED, "no spam")));
      assertEquals("\rmessage rejected: no spam\n", classicOut(new Reply.Error(ErrorCode.REJECTED, "no spam")));
      assertEquals(new Reply.Error(ErrorCode.REJECTED, "no spam"), modernServer("ERR REJECTED no spam"));
      assertEquals(List.of(new Reply.Error(ErrorCode.REJECTED, "no spam")), classicServer("\rmessage rejected: no spam\n"));
      assertFalse(ErrorCode.REJECTED.isFatal());
    }

    @Test
    @DisplayName("CL-LOGIN-3 CL-AUTH-2 CL-SENDTO-2 CL-INVALID-1 CL-ERROR-1: the fixed classic error texts")
    void errorTexts() {
      assertEquals("\rinvalid name\n", classicOut(Reply.Error.of(ErrorCode.INVALID_NAME)));
      assertEquals("\ralready logged in\n", classicOut(Reply.Error.of(ErrorCode.ALREADY_LOGGED_IN)));
      assertEquals("\rnot logged in\n", classicOut(Reply.Error.of(ErrorCode.NOT_LOGGED_IN)));
      assertEquals("\rno such user\n", classicOut(new Reply.Error(ErrorCode.NO_SUCH_USER, "no user named carol")));
      assertEquals("\rinvalid command\n", classicOut(Reply.Error.of(ErrorCode.INVALID_COMMAND)));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("bob says hi")));
      assertEquals(List.of(new Reply.Error(ErrorCode.NO_SUCH_USER, "carol")), classicServer("\rno such user: carol\n"));
      assertFalse(classicServerResult("\rinvalid command: x\n").isSuccess(), "invalid command never carries a detail");
      for (ErrorCode code : ErrorCode.values()) {
        assertEquals(Optional.of(code), ErrorCode.fromClassicText(code.classicText()));
        ServerMessage decoded = classicServer("\r" + code.classicText() + "\n").get(0);
        assertEquals(code.isFatal(), decoded instanceof Event.Bye, code.name());
      }
    }

    @Test
    @DisplayName("CL-LIST-2: a classic list is complete at the next CR frame, or at endOfBurst")
    void listEnd() {
      ClassicServerMessageDecoder decoder = new ClassicServerMessageDecoder();
      assertEquals(List.of(), decoder.decode("\rlist yang online".getBytes(UTF_8)));
      assertEquals(List.of(), decoder.decode("alice is online ".getBytes(UTF_8)));
      assertTrue(decoder.hasOpenList());
      assertEquals(Optional.of(new Reply.UserList(List.of("alice"))), decoder.endOfBurst());
      assertEquals(List.of(new Reply.UserList(List.of("a", "b")), new Event.UserJoined("c")),
          classicServer("\rlist yang online\na is online \nb is online \n\rc sudah terhubung dengan system\n"));
    }

    @Test
    @DisplayName("CL-SENDALL-1: sendall text is whitespace-collapsed; recipients get <sender> says <text> plus a space")
    void sendall() {
      assertEquals(new ClassicCommand("bob", new ClientCommand.SendAll("hello world")), classic("bob says sendall   hello   world  ").value());
      assertEquals("\rbob says hello world \n", classicOut(new Event.Message("bob", "hello world", Audience.BROADCAST)));
      assertEquals(0, ClassicServerMessageEncoder.encode(new Reply.SendAllOk()).length, "the sender receives nothing");
    }

    @Test
    @DisplayName("CL-SENDTO-3: sendto without user or text is invalid command")
    void sendtoArguments() {
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("a says sendto")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(classic("a says sendto bob")));
      assertEquals(new ClassicCommand("a", new ClientCommand.SendTo("bob", "x y")), classic("a says sendto bob x   y").value());
    }

    @Test
    @DisplayName("CL-QUIT-1: quit with an optional reason")
    void quit() {
      assertEquals(new ClassicCommand("a", new ClientCommand.Quit("")), classic("a says quit").value());
      assertEquals(new ClassicCommand("a", new ClientCommand.Quit("bye now")), classic("a says quit bye   now").value());
    }

    @Test
    @DisplayName("CL-SFRAME-1: every classic server frame starts with CR and ends with LF, list entries aside")
    void serverFrameShape() {
      List<ServerMessage> samples = List.of(new Event.Message("a", "x", Audience.PRIVATE), new Event.UserJoined("a"),
          new Event.UserLeft("a", LeaveReason.QUIT, ""), new Event.Notice("n"), new Event.Bye(ErrorCode.KICKED, "k"),
          Reply.Error.of(ErrorCode.RATE_LIMITED), new Reply.UserList(List.of("a", "b")));
      for (ServerMessage m : samples) {
        String s = classicOut(m);
        assertTrue(s.startsWith("\r") && s.endsWith("\n"), s);
      }
      assertEquals(List.of(new Event.UserJoined("a")), classicServer("a sudah terhubung dengan system\n"), "a missing CR is tolerated");
    }

    @Test
    @DisplayName("CL-NOTICE-1: a notice is \\r*** <text>\\n, even when its text starts with 'says'")
    void notice() {
      assertEquals("\r*** server restarts at noon\n", classicOut(new Event.Notice("server restarts at noon")));
      assertEquals(List.of(new Event.Notice("says hello")), classicServer(classicOut(new Event.Notice("says hello"))));
    }
  }

  // ------------------------------------------------------------------------------------ modern

  @Nested
  class Modern {
    @Test
    @DisplayName("MD-FRAME-1: modern has no quiet period: unterminated bytes wait for their LF")
    void noQuietPeriod() {
      LineFramer framer = new LineFramer(4096);
      assertEquals(List.of(), framer.feed("LIST".getBytes(UTF_8)));
      assertTrue(framer.hasPartial());
      assertEquals(List.of(new Frame.Line("LIST".getBytes(UTF_8))), framer.feed("\n".getBytes(UTF_8)));
    }

    @Test
    @DisplayName("MD-FRAME-2 MD-SEND-1: one space after the verb; a text keeps its own spaces")
    void syntax() {
      assertEquals(new ClientCommand.SendAll(" two  spaces "), modern("SEND  two  spaces ").value());
      assertEquals(new ClientCommand.SendTo("bob", " x"), modern("SENDTO bob  x").value());
      assertEquals("OK SEND\n", modernOut(new Reply.SendAllOk()));
      assertEquals("MSG alice hello  there\n", modernOut(new Event.Message("alice", "hello  there", Audience.BROADCAST)));
    }

    @Test
    @DisplayName("MD-REPLY-1 MD-ERROR-1: replies start with OK or ERR, events never do; ERR carries a code and a text")
    void repliesAndEvents() {
      List<ServerMessage> samples = List.of(new Reply.HelloOk("obrol/1", Map.of()), new Reply.LoginOk("a"), new Reply.UserList(List.of()),
          new Reply.SendAllOk(), new Reply.SendToOk("a"), new Reply.PingOk(""), new Reply.QuitOk(), Reply.Error.of(ErrorCode.KICKED),
          new Event.Message("OK", "x", Audience.BROADCAST), new Event.UserJoined("a"), new Event.UserLeft("a", LeaveReason.QUIT, ""),
          new Event.Notice("OK"), new Event.Bye(ErrorCode.KICKED, "x"));
      for (ServerMessage m : samples) {
        String first = modernOut(m).split("[ \n]", 2)[0];
        assertEquals(m instanceof Reply, first.equals("OK") || first.equals("ERR"), modernOut(m));
      }
      assertEquals(new Reply.Error(ErrorCode.NO_SUCH_USER, "no user named carol"), modernServer("ERR NO_SUCH_USER no user named carol"));
      assertEquals(new Reply.Error(ErrorCode.INTERNAL_ERROR, "what"), modernServer("ERR SOMETHING_NEW what"), "section 6.8");
    }

    @Test
    @DisplayName("MD-HELLO-1 MD-HELLO-3 MD-KEEPALIVE-1: the greeting lists versions and capabilities; unknown keys are kept, idle is readable")
    void hello() {
      assertEquals(new ClientCommand.Hello(List.of("obrol/2", "obrol/1")), modern("HELLO obrol/2 obrol/1").value());
      Map<String, String> caps = new LinkedHashMap<>();
      caps.put("maxline", "4096");
      caps.put("maxname", "32");
      caps.put("idle", "300");
      caps.put("future", "x=y");
      Reply.HelloOk ok = new Reply.HelloOk("obrol/1", caps);
      assertEquals("OK HELLO obrol/1 maxline=4096 maxname=32 idle=300 future=x=y\n", modernOut(ok));
      Reply.HelloOk decoded = (Reply.HelloOk) modernServer("OK HELLO obrol/1 maxline=4096 maxname=32 idle=300 future=x=y");
      assertEquals(ok, decoded);
      assertEquals(300, decoded.capabilityAsLong("idle", 0));
      assertEquals(7, decoded.capabilityAsLong("absent", 7));
      assertEquals(7, decoded.capabilityAsLong("future", 7));
    }

    @Test
    @DisplayName("MD-HELLO-2: HELLO needs versions; UNSUPPORTED_VERSION is fatal")
    void helloErrors() {
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern("HELLO")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern("HELLO a  b")));
      assertTrue(ErrorCode.UNSUPPORTED_VERSION.isFatal());
      assertEquals("BYE UNSUPPORTED_VERSION obrol/1 only\n", modernOut(new Event.Bye(ErrorCode.UNSUPPORTED_VERSION, "obrol/1 only")));
    }

    @Test
    @DisplayName("MD-LOGIN-2: the rest of the line is the name: LOGIN john smith is INVALID_NAME, LOGIN alone INVALID_COMMAND")
    void loginErrors() {
      assertEquals(ErrorCode.INVALID_NAME, failureCode(modern("LOGIN john smith")));
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern("LOGIN")));
      for (ErrorCode code : List.of(ErrorCode.INVALID_NAME, ErrorCode.NAME_TAKEN, ErrorCode.ALREADY_LOGGED_IN, ErrorCode.LOGIN_REJECTED)) {
        assertFalse(code.isFatal(), code.name());
      }
    }

    @Test
    @DisplayName("MD-SENDTO-1 MD-SENDTO-2: OK SENDTO names the addressee; PRIV to it; NO_SUCH_USER otherwise")
    void sendto() {
      assertEquals("OK SENDTO bob\n", modernOut(new Reply.SendToOk("bob")));
      assertEquals("PRIV alice psst\n", modernOut(new Event.Message("alice", "psst", Audience.PRIVATE)));
      assertEquals("ERR NO_SUCH_USER no user named carol is logged in\n",
          modernOut(new Reply.Error(ErrorCode.NO_SUCH_USER, "no user named carol is logged in")));
    }

    @Test
    @DisplayName("MD-PING-1: PING with or without one token, echoed")
    void ping() {
      assertEquals(new ClientCommand.Ping(""), modern("PING").value());
      assertEquals(new ClientCommand.Ping("t1"), modern("PING t1").value());
      assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern("PING a b")));
      assertEquals("OK PING t1\n", modernOut(new Reply.PingOk("t1")));
      assertEquals("OK PING\n", modernOut(new Reply.PingOk("")));
    }

    @Test
    @DisplayName("MD-QUIT-1: QUIT with an optional reason; OK QUIT; LEFT ... QUIT reason")
    void quit() {
      assertEquals(new ClientCommand.Quit(""), modern("QUIT").value());
      assertEquals(new ClientCommand.Quit("off to lunch"), modern("QUIT off to lunch").value());
      assertEquals("OK QUIT\n", modernOut(new Reply.QuitOk()));
      assertEquals("LEFT alice QUIT off to lunch\n", modernOut(new Event.UserLeft("alice", LeaveReason.QUIT, "off to lunch")));
    }

    @Test
    @DisplayName("MD-AUTH-1: NOT_LOGGED_IN is an ordinary reply")
    void notLoggedIn() {
      assertFalse(ErrorCode.NOT_LOGGED_IN.isFatal());
      assertEquals("ERR NOT_LOGGED_IN log in first\n", modernOut(new Reply.Error(ErrorCode.NOT_LOGGED_IN, "log in first")));
    }

    @Test
    @DisplayName("MD-INVALID-1: unknown or lower-case verbs and wrong arguments are INVALID_COMMAND")
    void invalid() {
      for (String line : List.of("FOO", "list", "send x", "LIST x", "SEND", "SENDTO", "SENDTO bob", "SENDTO  x")) {
        assertEquals(ErrorCode.INVALID_COMMAND, failureCode(modern(line)), line);
      }
    }

    @Test
    @DisplayName("MD-BYE-1 MD-EVENT-1: every event's line, and BYE with an unknown code decodes as INTERNAL_ERROR")
    void events() {
      assertEquals(new Event.Notice("restart at noon"), modernServer("NOTICE restart at noon"));
      assertEquals(new Event.Bye(ErrorCode.KICKED, "spam"), modernServer("BYE KICKED spam"));
      assertEquals(new Event.Bye(ErrorCode.INTERNAL_ERROR, "x"), modernServer("BYE NEW_CODE x"));
      assertEquals(new Event.Message("a", "b c", Audience.PRIVATE), modernServer("PRIV a b c"));
      assertEquals(new Event.UserJoined("a"), modernServer("JOIN a"));
    }
  }

  // ------------------------------------------------------------------------------------ support

  private static DecodeResult<ServerMessage> classicServerResult(String bytes) {
    List<DecodeResult<ServerMessage>> out = new ArrayList<>();
    ClassicServerMessageDecoder d = new ClassicServerMessageDecoder();
    for (Frame f : new LineFramer(4096).feed(bytes.getBytes(UTF_8))) {
      d.decode(((Frame.Line) f).bytes(), out::add);
    }
    return out.get(0);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
