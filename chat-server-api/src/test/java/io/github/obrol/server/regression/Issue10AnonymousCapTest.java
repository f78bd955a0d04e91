package io.github.obrol.server.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10 item 5, follow-up: silent connections from one address held every maxConnections slot for the
 * whole login timeout, so new users from anywhere were locked out. A source address now holds at most
 * {@code maxAnonymousPerAddress} connections that have not logged in (GEN-LIMIT-10).
 */
@Timeout(60)
class Issue10AnonymousCapTest {
  @Test
  @DisplayName("GEN-LIMIT-10: one address holds at most maxAnonymousPerAddress connections not yet logged in; more are closed at accept")
  void genLimit10_anonymousConnectionsPerAddress() throws Exception {
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).maxAnonymousPerAddress(3).build()) {
      InetSocketAddress address = server.start().join();
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          sockets.add(connect(address, "127.0.0.1"));
        }
        // Which of the four the server refuses depends on the order its event loops set them up: any one.
        List<Socket> greeted = new ArrayList<>();
        int closed = 0;
        for (Socket s : sockets) {
          String reply = exchange(s, "HELLO obrol/1\n");
          if (reply == null) {
            closed++;
          } else {
            assertTrue(reply.startsWith("OK HELLO obrol/1 "), "greeting: " + reply);
            greeted.add(s);
          }
        }
        assertEquals(3, greeted.size(), "anonymous connections admitted from 127.0.0.1");
        assertEquals(1, closed, "connections closed at accept without a frame");
        assertEquals(1, server.metrics().refusedConnections());

        // Another address has slots of its own.
        Socket other = connect(address, "127.0.0.2");
        sockets.add(other);
        assertTrue(exchange(other, "HELLO obrol/1\n").startsWith("OK HELLO obrol/1 "));

        // A login frees its address's slot: one more anonymous connection fits, and then no more.
        assertEquals("OK LOGIN anon1", exchange(greeted.get(0), "LOGIN anon1\n"));
        Socket again = connect(address, "127.0.0.1");
        sockets.add(again);
        assertTrue(exchange(again, "HELLO obrol/1\n").startsWith("OK HELLO obrol/1 "));
        Socket over = connect(address, "127.0.0.1");
        sockets.add(over);
        assertEquals(null, exchange(over, "HELLO obrol/1\n"), "the fourth anonymous connection again");
        assertEquals(2, server.metrics().refusedConnections());
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  private static Socket connect(InetSocketAddress server, String source) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
    return s;
  }

  /** Sends {@code line}; returns the reply line, or null if the server closed (or reset) the connection first. */
  private static String exchange(Socket s, String line) throws IOException {
    s.setSoTimeout(10_000);
    try {
      s.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          return got.toString(StandardCharsets.UTF_8);
        }
        got.write(b);
      }
      assertEquals(0, got.size(), "a partial line before the close");
      return null;
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("no reply within 10 s to " + line.strip());
    } catch (IOException reset) {
      return null;
    }
  }
}
