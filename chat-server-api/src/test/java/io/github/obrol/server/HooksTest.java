package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.Verifies;

/** The authenticator, interceptors, observers, admin view and metrics; hooks that throw or block. */
@Timeout(60)
class HooksTest {
  private ChatServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  private InetSocketAddress start(UnaryOperator<ChatServer.Builder> config) {
    server = config.apply(ChatServer.builder().bindAddress("127.0.0.1").port(0)).build();
    return server.start().join();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  @Test
  @DisplayName("MD-LOGIN-2: the authenticator accepts, rejects, throws or blocks; only acceptance logs in")
  @Verifies("MD-LOGIN-2")
  void authenticator() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    InetSocketAddress address = start(b -> b.hookTimeout(Duration.ofMillis(500)).authenticator((session, name) -> {
      threads.add(Thread.currentThread().getName());
      switch (name) {
        case "good":
          return CompletableFuture.supplyAsync(() -> true);
        case "bad":
          return CompletableFuture.completedFuture(false);
        case "thrower":
          throw new IllegalStateException("boom");
        case "failer":
          return CompletableFuture.failedFuture(new IllegalStateException("boom"));
        default: // blocks past the hook timeout
          release.await(30, TimeUnit.SECONDS);
          return CompletableFuture.completedFuture(true);
      }
    }));
    try (LineClient m = LineClient.connect(address); LineClient c = LineClient.connect(address)) {
      for (String name : List.of("bad", "thrower", "failer", "blocker")) {
        m.send("LOGIN " + name + "\n");
        assertTrue(m.readLine().startsWith("ERR LOGIN_REJECTED "), name);
      }
      m.send("LOGIN good\nLIST\n"); // LIST waits for the login's decision (GEN-ORDER-1)
      m.expect("OK LOGIN good");
      m.expect("OK LIST 1 good");
      c.send("bad says bad\n");
      c.expect("\rlogin rejected");
      assertEquals(1, server.metrics().loginsAccepted());
      assertTrue(threads.stream().allMatch(t -> t.startsWith("obrol-hook-")), threads.toString());
      assertTrue(server.metrics().loginsRejected() >= 5);
    }
  }

  @Test
  @DisplayName("interceptors veto and rewrite in order; one that throws answers INTERNAL_ERROR; the server goes on")
  void interceptors() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    InetSocketAddress address = start(b -> b
        .addInterceptor(m -> {
          order.add("first " + m.text());
          if (m.text().contains("forbidden")) {
            return Interception.veto(ErrorCode.REJECTED, "not here");
          }
          if (m.text().contains("explode")) {
            throw new IllegalStateException("boom");
          }
          return Interception.rewrite(m.text().replace("darn", "d**n"));
        })
        .addInterceptor(m -> {
          order.add("second " + m.text());
          return m.kind() == InboundMessage.Kind.NOTICE && m.text().equals("veto me")
              ? Interception.veto(ErrorCode.INVALID_COMMAND, "no") : Interception.pass();
        }));
    try (LineClient a = LineClient.modern(address, "ia"); LineClient b = LineClient.classic(address, "ib")) {
      a.skipUntil("JOIN ib");
      a.send("SEND darn it\n");
      a.expect("OK SEND");
      b.expect("\ria says d**n it ");
      a.send("SEND forbidden\n");
      assertEquals("ERR REJECTED not here", a.readLine()); // GEN-REJECT-1
      b.send("ib says sendall forbidden\n");
      assertEquals("\rmessage rejected: not here", b.readLine()); // GEN-REJECT-1: the reason reaches classic users too
      a.send("SENDTO ib explode\n");
      assertTrue(a.readLine().startsWith("ERR INTERNAL_ERROR "));
      b.send("ib says sendto ia darn\n");
      a.expect("PRIV ib d**n");
      assertEquals(List.of("first darn it", "second d**n it", "first forbidden", "first forbidden", "first explode", "first darn", "second d**n"),
          order.stream().filter(o -> !o.contains("barrier")).toList());
      assertTrue(server.broadcast("maintenance at noon").get(10, TimeUnit.SECONDS));
      a.expect("NOTICE maintenance at noon");
      b.expect("\r*** maintenance at noon");
      assertFalse(server.broadcast("veto me").get(10, TimeUnit.SECONDS));
      assertEquals(List.of(), a.modernBarrier());
      assertEquals(List.of(), b.classicBarrier("ib"));
      assertThrows(IllegalArgumentException.class, () -> server.broadcast("two\nlines"));
    }
  }

  @Test
  @DisplayName("observers see connects, joins, messages, errors and leaves; one that throws or blocks changes nothing")
  void observers() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch left = new CountDownLatch(1);
    InetSocketAddress address = start(b -> b
        .addObserver(new ServerObserver() {
          @Override
          public void onJoin(SessionInfo session) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public void onMessage(InboundMessage message, int deliveries) {
            try {
              release.await(2, TimeUnit.SECONDS); // blocks: the server must not care
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        })
        .addObserver(new ServerObserver() {
          @Override
          public void onConnect(SessionInfo session) {
            events.add("connect");
          }

          @Override
          public void onJoin(SessionInfo session) {
            events.add("join " + session.name().orElseThrow() + " " + session.dialect().orElseThrow());
          }

          @Override
          public void onMessage(InboundMessage message, int deliveries) {
            events.add("message " + message.kind() + " " + message.text() + " " + deliveries);
          }

          @Override
          public void onError(SessionInfo session, ErrorCode code, String detail) {
            events.add("error " + code);
          }

          @Override
          public void onLeave(SessionInfo session, io.github.obrol.protocol.LeaveReason reason) {
            events.add("leave " + session.name().orElseThrow() + " " + reason);
            left.countDown();
          }
        }));
    try (LineClient a = LineClient.modern(address, "oa"); LineClient b = LineClient.modern(address, "ob")) {
      a.skipUntil("JOIN ob");
      for (int i = 0; i < 3; i++) {
        a.send("SEND hi" + i + "\n");
        a.expect("OK SEND");
        b.expect("MSG oa hi" + i);
      }
      a.send("BOGUS\n");
      assertTrue(a.readLine().startsWith("ERR INVALID_COMMAND"));
      assertEquals(2, server.sessions().size());
      assertEquals(List.of("oa", "ob"), server.sessions().stream().map(s -> s.name().orElseThrow()).toList());
      assertEquals(Dialect.MODERN, server.sessions().get(0).dialect().orElseThrow());
      ServerMetrics m = server.metrics();
      assertEquals(2, m.connections());
      assertEquals(2, m.users());
      assertTrue(m.deliveries() >= 4 && m.framesIn() >= 8 && m.bytesIn() > 0 && m.bytesOut() > 0 && m.decodeErrors() >= 1, m.toString());
      b.send("QUIT\n");
      a.expect("LEFT ob QUIT");
      release.countDown();
      assertTrue(left.await(30, TimeUnit.SECONDS));
      assertEquals(List.of("connect", "join oa MODERN", "connect", "join ob MODERN", "message BROADCAST hi0 1",
          "message BROADCAST hi1 1", "message BROADCAST hi2 1", "error INVALID_COMMAND", "leave ob QUIT"), events);
    }
  }

  @Test
  @DisplayName("an interceptor sees the sender's session (name, address, dialect); a server notice has none")
  void interceptorSeesTheSendersSession() throws Exception {
    List<InboundMessage> seen = new CopyOnWriteArrayList<>();
    InetSocketAddress address = start(b -> b.addInterceptor(m -> {
      if (!m.text().startsWith("barrier")) { // LineClient.classic logs in with a barrier message to itself
        seen.add(m);
      }
      return Interception.pass();
    }));
    try (LineClient a = LineClient.modern(address, "sa"); LineClient b = LineClient.classic(address, "sb")) {
      a.skipUntil("JOIN sb");
      a.send("SEND hello\n");
      a.expect("OK SEND");
      b.expect("\rsa says hello ");
      b.send("sb says sendto sa psst\n");
      a.expect("PRIV sb psst");
      assertTrue(server.broadcast("to all").get(10, TimeUnit.SECONDS));
      a.expect("NOTICE to all");
      assertEquals(3, seen.size(), seen.toString());
      SessionInfo fromA = seen.get(0).session().orElseThrow();
      assertEquals(java.util.Optional.of("sa"), fromA.name());
      assertEquals(java.util.Optional.of(Dialect.MODERN), fromA.dialect());
      assertEquals("127.0.0.1", fromA.remoteAddress().getAddress().getHostAddress());
      assertEquals(a.socket().getLocalPort(), fromA.remoteAddress().getPort());
      SessionInfo fromB = seen.get(1).session().orElseThrow();
      assertEquals(java.util.Optional.of("sb"), fromB.name());
      assertEquals(java.util.Optional.of(Dialect.CLASSIC), fromB.dialect());
      assertEquals(b.socket().getLocalPort(), fromB.remoteAddress().getPort());
      assertEquals(java.util.Optional.empty(), seen.get(2).session());
    }
  }

  @Test
  @DisplayName("notice(user, text) reaches that user only (ignoring case), through the interceptors; false for no such user or a veto")
  void noticeToOneUser() throws Exception {
    List<InboundMessage> seen = new CopyOnWriteArrayList<>();
    InetSocketAddress address = start(b -> b.addInterceptor(m -> {
      if (!m.text().startsWith("barrier")) {
        seen.add(m);
      }
      return m.text().equals("veto me") ? Interception.veto(ErrorCode.REJECTED, "no") : Interception.pass();
    }));
    try (LineClient a = LineClient.modern(address, "na"); LineClient b = LineClient.classic(address, "nb")) {
      a.skipUntil("JOIN nb");
      assertTrue(server.notice("NB", "only for you").get(10, TimeUnit.SECONDS));
      b.expect("\r*** only for you");
      assertTrue(server.notice("na", "and for you").get(10, TimeUnit.SECONDS));
      a.expect("NOTICE and for you"); // the first notice did not reach na
      assertFalse(server.notice("nobody", "hello?").get(10, TimeUnit.SECONDS));
      assertFalse(server.notice("na", "veto me").get(10, TimeUnit.SECONDS));
      assertEquals(List.of(), a.modernBarrier());
      assertEquals(List.of(), b.classicBarrier("nb"));
      assertEquals(new InboundMessage(InboundMessage.Kind.NOTICE, "", "NB", "only for you"), seen.get(0));
      assertThrows(IllegalArgumentException.class, () -> server.notice("na", "two\nlines"));
    }
  }

  @Test
  @DisplayName("builder: defaults, validation messages, toBuilder copies")
  void builder() {
    ChatServer s = ChatServer.builder().build();
    assertEquals(9009, s.port());
    assertEquals(4096, s.maxLineLength());
    assertEquals(Duration.ofSeconds(30), s.loginTimeout());
    assertEquals(Duration.ofMinutes(5), s.idleTimeout());
    assertEquals(Duration.ZERO, s.classicIdleTimeout());
    assertEquals(Duration.ofMillis(100), s.classicQuietPeriod());
    assertEquals(64, s.maxAnonymousPerAddress());
    assertEquals("maxAnonymousPerAddress: -1 (expected: >= 0)",
        assertThrows(IllegalArgumentException.class, () -> ChatServer.builder().maxAnonymousPerAddress(-1)).getMessage());
    assertEquals(0, ChatServer.builder().maxAnonymousPerAddress(0).build().maxAnonymousPerAddress());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatServer.builder().maxLineLength(0));
    assertEquals("maxLineLength: 0 (expected: > 0)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChatServer.builder().classicQuietPeriod(Duration.ofMillis(5)));
    assertThrows(IllegalArgumentException.class, () -> ChatServer.builder().port(70000));
    ChatServer copy = s.toBuilder().maxConnections(7).build();
    assertEquals(7, copy.maxConnections());
    assertEquals(s.maxOutboundBytes(), copy.maxOutboundBytes());
    s.close();
    copy.close();
  }
}
