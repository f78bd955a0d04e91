package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.LeaveReason;
import io.github.obrol.server.testing.LineClient;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.Verifies;

@Timeout(60)
class ShutdownTest {
  @Test
  @DisplayName("GEN-LEAVE-2 MD-BYE-1: shutdown tells everyone SHUTTING_DOWN, sends no leave notices, terminates")
  @Verifies({"GEN-LEAVE-2", "MD-BYE-1"})
  void graceful() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0)
        .addObserver(new ServerObserver() {
          @Override
          public void onLeave(SessionInfo session, LeaveReason reason) {
            calls.add("leave " + session.name().orElse("?") + " " + reason);
          }

          @Override
          public void onTerminated() {
            calls.add("terminated");
          }
        })
        .build();
    InetSocketAddress address = server.start().join();
    try (LineClient m = LineClient.modern(address, "s_modern"); LineClient c = LineClient.classic(address, "s_classic");
        LineClient anon = LineClient.connect(address)) {
      m.skipUntil("JOIN s_classic");
      anon.send("PING\n");
      anon.expect("OK PING");
      server.shutdownGracefully(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
      assertEquals("BYE SHUTTING_DOWN the server is shutting down", m.readLine());
      assertTrue(m.awaitClosed());
      assertEquals("\rserver shutting down", c.readLine());
      assertTrue(c.awaitClosed());
      assertTrue(anon.readLine().startsWith("BYE SHUTTING_DOWN "));
      assertTrue(server.onTerminated().isDone());
      assertEquals("terminated", calls.get(calls.size() - 1));
      assertTrue(calls.contains("leave s_modern SHUTDOWN"), calls.toString());
      assertTrue(server.shutdownGracefully(Duration.ofSeconds(1)).isDone(), "idempotent");
    }
    assertThrows(ConnectException.class, () -> LineClient.connect(address).close());
  }

  @Test
  @DisplayName("an observer may close the server from its callback without a deadlock")
  void closeFromObserver() throws Exception {
    ChatServer[] holder = new ChatServer[1];
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0)
        .addObserver(new ServerObserver() {
          @Override
          public void onJoin(SessionInfo session) {
            holder[0].close();
          }
        })
        .build();
    holder[0] = server;
    InetSocketAddress address = server.start().join();
    try (LineClient m = LineClient.modern(address, "closer")) {
      assertTrue(m.readLine().startsWith("BYE SHUTTING_DOWN "));
      server.onTerminated().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a server shut down before it started terminates; close() is idempotent")
  void notStarted() throws Exception {
    ChatServer server = ChatServer.builder().port(0).build();
    server.shutdownGracefully(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
    server.close();
    assertTrue(server.onTerminated().isDone());
  }

  @Test
  @DisplayName("start() fails with a BindException naming address and port when the port is taken, and the server terminates")
  void portTaken() throws Exception {
    try (ChatServer first = ChatServer.builder().bindAddress("127.0.0.1").port(0).build()) {
      int port = first.start().join().getPort();
      ChatServer second = first.toBuilder().port(port).build();
      java.util.concurrent.ExecutionException e =
          assertThrows(java.util.concurrent.ExecutionException.class, () -> second.start().get(10, TimeUnit.SECONDS));
      // One clear exception naming address and port (issue 13), whichever transport (epoll or NIO) failed.
      assertEquals(java.net.BindException.class, e.getCause().getClass());
      assertEquals("cannot listen on 127.0.0.1:" + port + ": Address already in use", e.getCause().getMessage());
      second.onTerminated().get(10, TimeUnit.SECONDS);
    }
  }
}
