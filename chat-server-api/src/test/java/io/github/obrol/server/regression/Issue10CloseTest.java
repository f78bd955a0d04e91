package io.github.obrol.server.regression;

import io.github.obrol.testkit.Verifies;
import static org.awaitility.Awaitility.await;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 item 2: a connection that quits or half-closes with unread backlog was never closed. */
@Timeout(60)
class Issue10CloseTest {
  private static void backlogThen(String ending) throws Exception {
    // The unread backlog (~400 KB) stays below the 1 MiB high-water mark: no slow-consumer cut applies.
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).socketSendBuffer(16 * 1024).build()) {
      InetSocketAddress address = server.start().join();
      try (LineClient talker = LineClient.modern(address, "talker");
          LineClient mute = LineClient.connectWithReceiveBuffer(address, 4096)) {
        mute.send("HELLO obrol/1\nLOGIN mute\n");
        talker.skipUntil("JOIN mute");
        String text = "y".repeat(4000);
        for (int i = 0; i < 100; i++) {
          talker.send("SEND " + text + "\n");
          talker.expect("OK SEND");
        }
        if (ending.equals("QUIT")) {
          mute.send("QUIT\n");
        } else {
          mute.socket().shutdownOutput();
        }
        talker.skipUntil("LEFT mute");
        // The forced-close deadline is 2 s (GEN-LIMIT-11); 6 s is generous for a loaded machine.
        await().atMost(Duration.ofSeconds(6)).until(() -> server.sessions().size() == 1);
      }
    }
  }

  @Test
  @DisplayName("GEN-LIMIT-11 MD-QUIT-1: QUIT with 400 KB unread: the server closes the socket within the close grace")
  @Verifies("GEN-LIMIT-11")
  void genLimit11_quitWithBacklog() throws Exception {
    backlogThen("QUIT");
  }

  @Test
  @DisplayName("GEN-LIMIT-11 CL-FRAME-2: a half-close with 400 KB unread: the server closes the socket within the close grace")
  @Verifies("GEN-LIMIT-11")
  void genLimit11_halfCloseWithBacklog() throws Exception {
    backlogThen("half-close");
  }
}
