package io.github.obrol.server.abuse;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import io.github.obrol.server.testing.ReferenceServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GEN-TEXT-1, GEN-TEXT-2, GEN-DELIVER-3, CL-AUTH-1: bytes and characters that could make a receiver see a
 * frame attributed to another user. Receivers here do not use Obrol's decoders: they split what they read
 * at LF, and also as Python's {@code str.splitlines()} does (the original client is Python; many terminals
 * and log viewers treat NEL, LS and PS as line breaks), and check every piece against literal patterns.
 */
@Tag("abuse")
@Timeout(60)
class TextSafetyAbuseTest {
  /** Every character Python's {@code splitlines()} breaks at, besides LF. */
  static final Pattern PY_LINE_BREAK = Pattern.compile("\r\n|[\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]");
  /** A piece a receiver would take for a frame from, or about, the user {@code admin} (who never speaks here). */
  static final Pattern FORGED = Pattern.compile(
      "^\\s*(admin says |\\(admin\\) off|Client \\(admin\\) off|admin sudah terhubung|\\*\\*\\* |(MSG|PRIV|JOIN|LEFT) admin\\b|NOTICE |BYE )");

  /** The characters under test, by name: C1 controls, line separators, bidi and other format controls, ASCII controls. */
  static final Map<String, String> SEPARATORS = new LinkedHashMap<>();

  static {
    SEPARATORS.put("U+0085 NEL", "\u0085");
    SEPARATORS.put("U+009B CSI", "\u009b");
    SEPARATORS.put("U+2028 LS", "\u2028");
    SEPARATORS.put("U+2029 PS", "\u2029");
    SEPARATORS.put("U+202E RLO", "\u202e");
    SEPARATORS.put("U+2066 LRI", "\u2066");
    SEPARATORS.put("U+2067 RLI", "\u2067");
    SEPARATORS.put("U+2068 FSI", "\u2068");
    SEPARATORS.put("U+2069 PDI", "\u2069");
    SEPARATORS.put("U+000D bare CR", "\r");
    SEPARATORS.put("U+000B VT", "\u000b");
    SEPARATORS.put("U+000C FF", "\u000c");
    SEPARATORS.put("U+001C FS", "\u001c");
    SEPARATORS.put("U+001E RS", "\u001e");
    SEPARATORS.put("U+3000 ideographic space", "\u3000");
  }

  /** Malformed UTF-8 (GEN-TEXT-1): overlong, encoded surrogate, invalid bytes, truncated, lone continuation. */
  static final List<String> MALFORMED = List.of("c0af", "eda080", "ff", "e282", "f888808080", "80", "c285e2");

  @RegisterExtension final ReferenceServer reference = ReferenceServer.perTest();

  @Test
  @DisplayName("GEN-TEXT-1 GEN-TEXT-2 GEN-DELIVER-3: no receiver of either dialect parses a frame attributed to another user")
  @Verifies("GEN-TEXT-4")
  void noForgedFrames() throws IOException {
    try (LineClient alice = LineClient.modern(reference.address(), "alice");
        LineClient bob = LineClient.classic(reference.address(), "bob");
        LineClient admin = LineClient.modern(reference.address(), "admin");
        LineClient mMal = LineClient.modern(reference.address(), "m_mal");
        LineClient cMal = LineClient.classic(reference.address(), "c_mal")) {
      // Drop the joins of the users above: every line read below is caused by the attackers.
      alice.modernBarrier();
      admin.modernBarrier();
      bob.classicBarrier("bob");
      List<byte[]> attacks = new ArrayList<>();
      for (String sep : SEPARATORS.values()) {
        attacks.add(utf8(sep));
      }
      for (String hex : MALFORMED) {
        attacks.add(HexFormat.of().parseHex(hex));
      }
      int modernFrames = 0;
      for (byte[] sep : attacks) {
        mMal.send(concat(utf8("SEND hi"), sep, utf8("MSG admin pwned\n")));
        mMal.send(concat(utf8("SEND hi"), sep, utf8("admin says pwned\n")));
        mMal.send(concat(utf8("SENDTO alice hi"), sep, utf8("PRIV admin pwned\n")));
        mMal.send(concat(utf8("SENDTO bob hi"), sep, utf8("admin says pwned\n")));
        modernFrames += 4;
        cMal.send(concat(utf8("c_mal says sendall hi"), sep, utf8("admin says pwned\n")));
        cMal.send(concat(utf8("c_mal says sendto bob hi"), sep, utf8("admin says pwned\n")));
        cMal.send(concat(utf8("c_mal says sendto alice x"), sep, utf8("PRIV admin pwned\n")));
      }
      // Quit reasons travel in LEFT notices (modern) too.
      List<String> quitters = new ArrayList<>();
      int q = 0;
      for (byte[] sep : attacks) {
        String name = "q_" + q++;
        quitters.add(name);
        try (LineClient quitter = LineClient.modern(reference.address(), name)) {
          quitter.send(concat(utf8("QUIT bye"), sep, utf8("LEFT admin QUIT\n")));
          String reply = reply(quitter);
          if (reply.startsWith("ERR INVALID_ENCODING ") || reply.startsWith("ERR INVALID_COMMAND ")) {
            quitter.send("QUIT\n"); // refused: the connection stays usable (GEN-TEXT-1)
            reply = reply(quitter);
          }
          assertEquals("OK QUIT", reply, name);
          assertEquals(List.of(), quitter.linesUntilEnd(LineClient.WAIT), name + ": nothing after OK QUIT");
        }
      }
      // Every reply of the modern attacker is one well-formed line (MD-REPLY-1), nothing attributed to anyone.
      List<byte[]> mReplies = new ArrayList<>();
      // Replies start with OK or ERR, events never do (MD-REPLY-1); m_mal also receives c_mal's messages.
      for (int i = 0; i < 10 * modernFrames && mReplies.size() < modernFrames; i++) {
        byte[] r = mMal.rawLine(LineClient.WAIT);
        if (startsWith(r, utf8("OK")) || startsWith(r, utf8("ERR "))) {
          mReplies.add(r);
        }
      }
      assertEquals(modernFrames, mReplies.size(), "one reply per line (MD-REPLY-1)");
      assertEquals(List.of(), mMal.modernBarrier().stream().filter(l -> l.startsWith("OK") || l.startsWith("ERR ")).toList(),
          "no reply beyond one per line");
      for (byte[] r : mReplies) {
        String s = strictUtf8(r, "m_mal reply");
        assertTrue(s.startsWith("OK SEND") || s.startsWith("OK SENDTO ") || s.startsWith("ERR INVALID_ENCODING ")
            || s.startsWith("ERR INVALID_COMMAND "), "m_mal reply: " + LineClient.escape(s));
      }
      cMal.classicBarrier("c_mal");

      TreeSet<String> passedThrough = new TreeSet<>();
      checkReceiver("alice", readUntilBarrier(alice, "LIST\n", "OK LIST "), false, passedThrough);
      checkReceiver("admin", readUntilBarrier(admin, "LIST\n", "OK LIST "), false, passedThrough);
      checkReceiver("bob", readUntilBarrier(bob, "bob says sendto bob end-of-test\n", "\rbob says end-of-test "), true, passedThrough);
      Figures.record("control and format characters", "characters relayed verbatim to a receiver",
          passedThrough.isEmpty() ? "none" : String.join(", ", passedThrough));
    }
  }

  /**
   * The next reply on a modern connection. A quitter is logged in, so the attackers' messages still being
   * processed may reach it first as events (MD-EVENT-2): those are judged with every other receiver's lines,
   * not here.
   */
  private static String reply(LineClient quitter) throws IOException {
    for (int i = 0; i < 1_000; i++) {
      String line = quitter.readLine();
      if (line.startsWith("OK") || line.startsWith("ERR ")) {
        return line;
      }
      assertFalse(FORGED.matcher(line).find(), "forged frame: " + LineClient.escape(line));
    }
    throw new AssertionError("no reply within 1,000 lines");
  }

  @Test
  @DisplayName("CL-AUTH-1 CL-AUTH-2 CL-LOGIN-3 GEN-DELIVER-3: a classic frame claiming another user's name is refused and reaches no one")
  void classicSpoofing() throws IOException {
    try (LineClient alice = LineClient.modern(reference.address(), "alice");
        LineClient bob = LineClient.classic(reference.address(), "bob");
        LineClient admin = LineClient.classic(reference.address(), "admin");
        LineClient eve = LineClient.classic(reference.address(), "eve");
        LineClient anon = LineClient.connect(reference.address())) {
      alice.expect("JOIN bob");
      alice.expect("JOIN admin");
      alice.expect("JOIN eve");
      eve.send("admin says sendall I am admin\n");
      eve.send("admin says sendto alice I am admin\n");
      eve.send("ADMIN says sendall I am admin\n");
      eve.send("admin says admin\n");
      eve.send("admin says list\n");
      eve.send("admin says quit\n");
      eve.send("eve says sendall\u000badmin says pwned\n");
      List<String> eveGot = eve.classicBarrier("eve");
      assertEquals(List.of("\rname mismatch", "\rname mismatch", "\rname mismatch", "\ralready logged in",
              "\rname mismatch", "\rname mismatch"),
          eveGot.subList(0, 6).stream().map(TextSafetyAbuseTest::withoutDetail).toList(), "eve: " + eveGot);
      assertEquals(6, eveGot.size(), "eve: " + eveGot.stream().map(LineClient::escape).toList());
      // An anonymous connection cannot speak as anyone (CL-AUTH-2), not even by gluing a login to a command.
      anon.send("admin says sendall pwned\n");
      anon.send("evil says eviladmin says sendall pwned\n");
      String a1 = anon.readLine();
      String a2 = anon.readLine();
      assertEquals(List.of("\rnot logged in", "\rnot logged in"), List.of(withoutDetail(a1), withoutDetail(a2)));
      // The only message anyone got is eve's own, attributed to eve (VT is classic whitespace, CL-CMD-1).
      assertEquals(List.of("MSG eve admin says pwned"), alice.modernBarrier());
      assertEquals(List.of("\radmin sudah terhubung dengan system", "\reve sudah terhubung dengan system",
          "\reve says admin says pwned "), bob.classicBarrier("bob"));
      assertEquals(List.of("\reve sudah terhubung dengan system", "\reve says admin says pwned "), admin.classicBarrier("admin"));
    }
  }

  /** A classic error line without its optional ": detail" (CL-ERROR-1). */
  static String withoutDetail(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(0, colon);
  }

  /** Sends {@code barrier} and returns the raw lines before the line starting with {@code end}. */
  static List<byte[]> readUntilBarrier(LineClient p, String barrier, String end) throws IOException {
    p.send(barrier);
    List<byte[]> lines = new ArrayList<>();
    byte[] endBytes = utf8(end);
    for (int i = 0; i < 10_000; i++) {
      byte[] l = p.rawLine(LineClient.WAIT);
      if (startsWith(l, endBytes)) {
        return lines;
      }
      lines.add(l);
    }
    throw new AssertionError("no barrier reply " + end);
  }

  /**
   * Checks every line a receiver got: well-formed UTF-8; as an LF-split frame it is attributed to a real
   * sender; split further like {@code splitlines()}, no piece looks like a frame of {@code admin}.
   */
  static void checkReceiver(String who, List<byte[]> lines, boolean classic, TreeSet<String> passedThrough) {
    Pattern legit = classic
        ? Pattern.compile("^\r((m_mal|c_mal) says .* |q_\\d+ sudah terhubung dengan system|\\(q_\\d+\\) off)$", Pattern.DOTALL)
        : Pattern.compile("^((MSG|PRIV) (m_mal|c_mal) .+|JOIN q_\\d+|LEFT q_\\d+ QUIT( .+)?)$", Pattern.DOTALL);
    assertTrue(!lines.isEmpty(), who + " received nothing at all");
    for (byte[] raw : lines) {
      String line = strictUtf8(raw, who);
      assertTrue(legit.matcher(line).matches(), who + " got a frame not attributed to its real sender: " + LineClient.escape(line));
      String body = classic ? line.substring(1) : line;
      for (String piece : PY_LINE_BREAK.split(body, -1)) {
        assertTrue(!FORGED.matcher(piece).find(),
            who + " would read a forged frame \"" + LineClient.escape(piece) + "\" in " + LineClient.escape(line));
      }
      for (Map.Entry<String, String> e : SEPARATORS.entrySet()) {
        if (body.contains(e.getValue())) {
          passedThrough.add(e.getKey());
        }
      }
    }
  }

  static String strictUtf8(byte[] raw, String who) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError(who + " received malformed UTF-8: " + HexFormat.of().formatHex(raw));
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
