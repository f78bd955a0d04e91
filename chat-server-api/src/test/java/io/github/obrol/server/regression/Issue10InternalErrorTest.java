package io.github.obrol.server.regression;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10 item 4, server half: a frame that made the server fail logged a 24-line stack trace per frame.
 * The frame used is the one from the issue; once the decoder no longer throws on it, the test still guards
 * the log volume.
 */
@Timeout(60)
class Issue10InternalErrorTest {
  @Test
  @DisplayName("GEN-LIMIT-6: 500 frames that make the server fail cost at most one stack trace in the log")
  void oneStackTracePerConnection() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).rateLimit(0, 1).build()) {
      InetSocketAddress address = server.start().join();
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (LineClient c = LineClient.classic(address, "c")) {
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < 500; i++) {
          frames.append("c says sendall \u3000\n");
        }
        c.send(frames.toString());
        c.classicBarrier("c"); // every frame before it has been handled
      }
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    long traceLines = log.lines().filter(l -> l.startsWith("\tat ")).count();
    assertTrue(traceLines <= 60, traceLines + " stack trace lines for 500 frames");
  }
}
