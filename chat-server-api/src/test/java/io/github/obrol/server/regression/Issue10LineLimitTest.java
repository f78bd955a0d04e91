package io.github.obrol.server.regression;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 items 8 and 11: frames over 1 MiB, endless garbage never closed. */
@Timeout(60)
class Issue10LineLimitTest {
  @Test
  @DisplayName("GEN-LINE-3 GEN-LINE-4: maxLineLength cannot exceed 1 MiB - 1 KiB; a longest line is relayed within 1 MiB")
  @Verifies("GEN-LINE-4")
  void genLine4_maxLineLengthCap() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> ChatServer.builder().maxLineLength(3 << 20));
    assertThrows(IllegalArgumentException.class, () -> ChatServer.builder().maxLineLength((1 << 20) - 1023));
    int max = (1 << 20) - 1024;
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).maxLineLength(max).build()) {
      InetSocketAddress address = server.start().join();
      String name = "n".repeat(32);
      try (LineClient a = LineClient.modern(address, name); LineClient b = LineClient.modern(address, "b")) {
        String text = "t".repeat(max - "SEND ".length());
        a.send("SEND " + text + "\n");
        a.skipUntil("OK SEND");
        String msg = b.skipUntil("MSG ");
        assertEquals("MSG " + name + " " + text, msg);
        assertTrue(msg.length() + 1 <= 1 << 20, "frame of " + (msg.length() + 1) + " bytes");
      }
    }
  }

  @Test
  @DisplayName("GEN-LINE-5: more than 1 MiB of over-long line in a row: LINE_TOO_LONG, then BYE LINE_TOO_LONG and a close")
  @Verifies("GEN-LINE-5")
  void genLine5_garbageBudget() throws Exception {
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).build()) {
      InetSocketAddress address = server.start().join();
      try (LineClient a = LineClient.modern(address, "garbage")) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'g');
        try {
          for (int i = 0; i < 32; i++) { // 2 MiB
            a.send(chunk);
          }
        } catch (java.io.IOException closedWhileSending) {
          // the server may close before all of it is sent
        }
        assertTrue(a.readLine().startsWith("ERR LINE_TOO_LONG "));
        assertTrue(a.readLine().startsWith("BYE LINE_TOO_LONG "));
        assertTrue(a.awaitClosed());
      }
    }
  }
}
