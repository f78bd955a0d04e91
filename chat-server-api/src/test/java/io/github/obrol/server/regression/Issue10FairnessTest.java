package io.github.obrol.server.regression;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 item 7: excess commands answered one by one, and every reconnect refilled the burst. */
@Timeout(60)
class Issue10FairnessTest {
  @Test
  @DisplayName("GEN-LIMIT-9: commands over the rate are delayed by not reading, never answered RATE_LIMITED")
  void genLimit9_rateByNotReading() throws Exception {
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).rateLimit(50, 5).build()) {
      InetSocketAddress address = server.start().join();
      try (LineClient c = LineClient.connect(address)) {
        StringBuilder pings = new StringBuilder();
        for (int i = 0; i < 40; i++) {
          pings.append("PING ").append(i).append('\n');
        }
        c.send(pings.toString());
        for (int i = 0; i < 40; i++) {
          assertEquals("OK PING " + i, c.readLine());
        }
      }
    }
  }

  @Test
  @DisplayName("GEN-LIMIT-10: a reconnect from the same address does not get a fresh command burst")
  @Verifies("GEN-LIMIT-10")
  void genLimit10_reconnectKeepsTheBucket() throws Exception {
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).rateLimit(5, 5).build()) {
      InetSocketAddress address = server.start().join();
      try (LineClient first = LineClient.connect(address)) {
        first.send("PING a\nPING b\nPING c\nPING d\nPING e\n"); // the whole burst
        for (String t : new String[] {"a", "b", "c", "d", "e"}) {
          first.expect("OK PING " + t);
        }
      }
      long limitedBefore = server.metrics().rateLimited();
      try (LineClient second = LineClient.connect(address)) {
        second.send("PING 1\nPING 2\nPING 3\n");
        for (int i = 1; i <= 3; i++) {
          assertEquals("OK PING " + i, second.readLine());
        }
      }
      assertTrue(server.metrics().rateLimited() > limitedBefore, "the second connection started without a full burst");
    }
  }
}
