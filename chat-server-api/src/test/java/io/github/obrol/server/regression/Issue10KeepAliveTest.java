package io.github.obrol.server.regression;

import io.github.obrol.testkit.Verifies;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 item 11: no TCP keepalive, so a peer that vanished without FIN or RST stayed online for ever. */
@Timeout(60)
class Issue10KeepAliveTest {
  /**
   * The timer column of the server side of the connection in /proc/net/tcp or tcp6: "02" is the keepalive timer
   * (Linux). The server side has the server's port as local port and the client's as remote port.
   */
  private static String timerOf(int serverPort, int clientPort) throws Exception {
    String local = String.format(Locale.ROOT, ":%04X", serverPort);
    String remote = String.format(Locale.ROOT, ":%04X", clientPort);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
    if (Files.isReadable(Path.of("/proc/net/tcp6"))) {
      lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6"))); // epoll uses IPv6 sockets where it can
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 5 && f[1].endsWith(local) && f[2].endsWith(remote)) {
        return f[5].substring(0, 2);
      }
    }
    return "absent";
  }

  @Test
  @DisplayName("GEN-LIMIT-12: every accepted socket has a TCP keepalive timer")
  @Verifies("GEN-LIMIT-12")
  void genLimit12_keepalive() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
    for (boolean epoll : new boolean[] {true, false}) {
      try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).nativeTransport(epoll).build()) {
        InetSocketAddress address = server.start().join();
        try (LineClient c = LineClient.modern(address, "alive")) {
          int clientPort = c.socket().getLocalPort();
          // Right after data the retransmit timer (01) may run until the peer's (delayed) ACK; then keepalive (02).
          await().atMost(Duration.ofSeconds(5)).until(() -> timerOf(address.getPort(), clientPort).equals("02"));
          assertEquals("02", timerOf(address.getPort(), clientPort), epoll ? "epoll" : "nio");
        }
      }
    }
  }
}
