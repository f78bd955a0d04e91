package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.Verifies;
import io.github.obrol.server.testing.ReferenceServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every non-fatal error of both dialects; the connection stays usable after each. */
@Timeout(60)
class ErrorCasesTest {
  // A server per test: departures of one test's clients never reach the next test's.
  @RegisterExtension
  final ReferenceServer reference = ReferenceServer.perTest(b -> b.maxLineLength(64));

  private static void expectErr(LineClient c, String code) throws Exception {
    String line = c.readLine();
    assertTrue(line.startsWith("ERR " + code + " ") && line.length() > ("ERR " + code + " ").length(), line);
  }

  @Test
  @DisplayName("MD-AUTH-1 MD-INVALID-1 MD-HELLO-2 MD-LOGIN-2 MD-PING-1: modern refusals")
  @Verifies({"MD-AUTH-1", "MD-INVALID-1", "MD-HELLO-2", "MD-LOGIN-2", "MD-PING-1"})
  void modernRefusals() throws Exception {
    try (LineClient a = LineClient.connect(reference.address()); LineClient b = LineClient.modern(reference.address(), "e_b")) {
      a.send("LIST\n");
      expectErr(a, "NOT_LOGGED_IN");
      a.send("SEND hi\n");
      expectErr(a, "NOT_LOGGED_IN");
      a.send("SENDTO e_b hi\n");
      expectErr(a, "NOT_LOGGED_IN");
      a.send("PING\n");
      a.expect("OK PING");
      a.send("PING tok\n");
      a.expect("OK PING tok");
      a.send("HELLO obrol/1\n");
      expectErr(a, "INVALID_COMMAND"); // not the first line
      a.send("list\n");
      expectErr(a, "INVALID_COMMAND");
      a.send("FOO bar\n");
      expectErr(a, "INVALID_COMMAND");
      a.send("LOGIN\n");
      expectErr(a, "INVALID_COMMAND");
      a.send("LOGIN a b\n");
      expectErr(a, "INVALID_NAME");
      a.send("LOGIN ping\n");
      expectErr(a, "INVALID_NAME");
      a.send("LOGIN E_B\n");
      expectErr(a, "NAME_TAKEN");
      a.send("LOGIN e_a\n");
      a.expect("OK LOGIN e_a");
      a.send("LOGIN e_a2\n");
      expectErr(a, "ALREADY_LOGGED_IN");
      a.send("SEND    \n");
      expectErr(a, "INVALID_COMMAND");
      a.send("SENDTO e_b\n");
      expectErr(a, "INVALID_COMMAND");
      a.send("LIST x\n");
      expectErr(a, "INVALID_COMMAND");
      a.send("SENDTO nobody hi\n");
      expectErr(a, "NO_SUCH_USER");
      assertEquals(List.of("JOIN e_a"), b.modernBarrier());
    }
  }

  @Test
  @DisplayName("GEN-TEXT-1 GEN-TEXT-2: invalid UTF-8, NUL, bare CR and control characters get INVALID_ENCODING")
  @Verifies({"GEN-TEXT-1", "GEN-TEXT-2"})
  void invalidEncoding() throws Exception {
    try (LineClient a = LineClient.modern(reference.address(), "e_enc"); LineClient c = LineClient.classic(reference.address(), "e_encc")) {
      a.skipUntil("JOIN e_encc");
      for (byte[] bad : List.of(
          new byte[] {'S', 'E', 'N', 'D', ' ', (byte) 0xC3, '\n'},
          new byte[] {'S', 'E', 'N', 'D', ' ', (byte) 0xC0, (byte) 0x80, '\n'},
          new byte[] {'S', 'E', 'N', 'D', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'},
          new byte[] {'S', 'E', 'N', 'D', ' ', 'a', 0, 'b', '\n'},
          new byte[] {'S', 'E', 'N', 'D', ' ', 'a', '\r', 'b', '\n'},
          new byte[] {'S', 'E', 'N', 'D', ' ', 'a', 0x7f, '\n'})) {
        a.send(bad);
        expectErr(a, "INVALID_ENCODING");
      }
      c.send(bytes("e_encc says sendall x")); c.send(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
      c.expect("\rinvalid encoding");
      c.send("e_encc says sendall tab\there\n");
      assertEquals(List.of(), c.classicBarrier("e_encc"));
      a.skipUntil("MSG e_encc tab here");
      a.send("SEND caf\u00e9 \u263a \ud83d\ude00\n");
      a.expect("OK SEND");
      c.expect("\re_enc says caf\u00e9 \u263a \ud83d\ude00 ");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("GEN-LIMIT-6: binary garbage gets errors, never a crash, and the connection stays usable")
  @Verifies("GEN-LIMIT-6")
  void garbage() throws Exception {
    try (LineClient a = LineClient.connect(reference.address()); LineClient b = LineClient.modern(reference.address(), "e_bystander")) {
      java.util.Random random = new java.util.Random(42);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(bytes("SEND x\n"));
      for (int i = 0; i < 20; i++) {
        byte[] junk = new byte[random.nextInt(40) + 1];
        random.nextBytes(junk);
        for (int j = 0; j < junk.length; j++) {
          if (junk[j] == '\n') {
            junk[j] = 'x';
          }
        }
        out.write(junk);
        out.write('\n');
      }
      a.send(out.toByteArray());
      for (int i = 0; i < 21; i++) {
        assertTrue(a.readLine().startsWith("ERR "));
      }
      a.send("LOGIN e_after_garbage\n");
      a.expect("OK LOGIN e_after_garbage");
      assertEquals(List.of("JOIN e_after_garbage"), b.modernBarrier());
    }
  }

  @Test
  @DisplayName("GEN-LINE-1 GEN-LINE-2: an overlong line gets LINE_TOO_LONG once; the connection stays usable")
  @Verifies({"GEN-LINE-1", "GEN-LINE-2"})
  void overlongLine() throws Exception {
    try (LineClient a = LineClient.modern(reference.address(), "e_long"); LineClient c = LineClient.classic(reference.address(), "e_longc")) {
      a.skipUntil("JOIN e_longc");
      a.send("SEND " + "x".repeat(59) + "\n"); // exactly 64 bytes
      a.expect("OK SEND");
      a.send("SEND " + "x".repeat(60) + "\r\n"); // 65 bytes
      expectErr(a, "LINE_TOO_LONG");
      a.send("SEND " + "y".repeat(1000) + "\nPING after\n");
      expectErr(a, "LINE_TOO_LONG");
      a.expect("OK PING after");
      c.send("e_longc says sendall " + "z".repeat(200) + "\n");
      c.skipUntil("\rline too long");
      assertEquals(List.of(), c.classicBarrier("e_longc"));
    }
  }
}
