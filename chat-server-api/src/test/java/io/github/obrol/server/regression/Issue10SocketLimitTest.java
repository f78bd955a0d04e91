package io.github.obrol.server.regression;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 item 5: maxConnections did not bound sockets; silent over-limit connections were held for 30 s. */
@Timeout(60)
class Issue10SocketLimitTest {
  /** What a silent socket sees within {@code millis}: "full" (SERVER_FULL then close), "closed", or "open". */
  private static String fate(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    InputStream in = s.getInputStream();
    StringBuilder got = new StringBuilder();
    try {
      int b;
      while ((b = in.read()) >= 0) {
        got.append((char) b);
      }
    } catch (SocketTimeoutException e) {
      return "open";
    } catch (IOException reset) {
      return "closed";
    }
    return got.toString().equals("\rserver full\n") ? "full" : got.length() == 0 ? "closed" : "other:" + got;
  }

  @Test
  @DisplayName("GEN-LIMIT-3 GEN-LIMIT-7: silent connections over maxConnections get SERVER_FULL within about a second or are closed")
  @Verifies("GEN-LIMIT-7")
  void genLimit7_overLimitSilentConnections() throws Exception {
    // The anonymous cap per address (GEN-LIMIT-10) is off: these 86 sockets from one address test the socket cap.
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).maxConnections(2)
        .maxAnonymousPerAddress(0).build()) {
      InetSocketAddress address = server.start().join();
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 2 + 64 + 20; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5_000);
          sockets.add(s);
        }
        // Which two sockets the server counts depends on the order its event loops register them: any two.
        int open = 0;
        for (Socket s : sockets) {
          // 1 s grace; 4 s is generous for a loaded machine, and far below the 30 s login timeout.
          String f = fate(s, 4_000);
          if (f.equals("open")) {
            open++;
          } else if (!f.equals("full") && !f.equals("closed")) {
            throw new AssertionError("unexpected: " + f);
          }
        }
        assertEquals(2, open, "only the maxConnections counted connections stay open");
        try (LineClient user = LineClient.connect(address)) {
          user.send("HELLO obrol/1\n");
          assertEquals("ERR SERVER_FULL the server has as many connections as it allows", user.readLine());
        }
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }
}
