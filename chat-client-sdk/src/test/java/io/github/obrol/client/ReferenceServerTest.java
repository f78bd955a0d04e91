package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.protocol.Audience;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.ChatServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SDK against Obrol's reference server, in process, in both dialects. */
@Timeout(60)
class ReferenceServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<ChatClient> clients = new ArrayList<>();
  private final List<ChatServer> servers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (ChatClient c : clients) {
      c.abort().get(10, TimeUnit.SECONDS);
    }
    for (ChatServer s : servers) {
      s.shutdownGracefully(Duration.ofSeconds(2)).exceptionally(t -> null).get(10, TimeUnit.SECONDS);
    }
  }

  private ChatServer server(int port) throws Exception {
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(port).nativeTransport(false).build();
    servers.add(server);
    server.start().get(10, TimeUnit.SECONDS);
    return server;
  }

  private ChatClient.Builder builder(ChatServer server, Dialect dialect, String name, RecordingListener events) {
    return ChatClient.builder().address("127.0.0.1", server.localAddress().getPort()).username(name)
        .dialect(dialect).classicFrameSpacing(Duration.ZERO).listener(events);
  }

  private ChatClient connect(ChatClient.Builder builder) throws Exception {
    ChatClient client = builder.build();
    clients.add(client);
    client.connect().get(10, TimeUnit.SECONDS);
    return client;
  }

  private static String audience(Dialect dialect, Audience modern) {
    return dialect == Dialect.MODERN ? modern.name() : Audience.UNKNOWN.name();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  @DisplayName("GEN-LIST-1, GEN-DELIVER-1/2, GEN-JOIN-1, GEN-LEAVE-1: login, list, broadcast, private, join, leave")
  void chat(Dialect dialect) throws Exception {
    ChatServer server = server(0);
    RecordingListener aliceEvents = new RecordingListener();
    RecordingListener bobEvents = new RecordingListener();
    ChatClient alice = connect(builder(server, dialect, "alice", aliceEvents));
    ChatClient bob = connect(builder(server, dialect, "bob", bobEvents));
    aliceEvents.await("joined bob", WAIT);
    assertEquals(List.of("alice", "bob"), alice.listUsers().get(10, TimeUnit.SECONDS));
    bob.sendAll("hello  there").get(10, TimeUnit.SECONDS);
    String expectedText = dialect == Dialect.MODERN ? "hello  there" : "hello there";
    aliceEvents.await("message bob " + expectedText + " " + audience(dialect, Audience.BROADCAST), WAIT);
    bob.sendTo("ALICE", "psst").get(10, TimeUnit.SECONDS);
    aliceEvents.await("message bob psst " + audience(dialect, Audience.PRIVATE), WAIT);
    bob.closeAsync().get(10, TimeUnit.SECONDS);
    bobEvents.await("closed null", WAIT);
    aliceEvents.await(dialect == Dialect.MODERN ? "left bob QUIT" : "left bob UNKNOWN", WAIT);
    aliceEvents.assertNoViolations();
    bobEvents.assertNoViolations();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  @DisplayName("GEN-NAME-2, GEN-NAME-4: a name taken ignoring case fails connect() with NameTakenException")
  void nameTaken(Dialect dialect) throws Exception {
    ChatServer server = server(0);
    connect(builder(server, dialect, "carol", new RecordingListener()));
    RecordingListener events = new RecordingListener();
    ChatClient second = builder(server, dialect, "CAROL", events).build();
    clients.add(second);
    ExecutionException e = assertThrows(ExecutionException.class, () -> second.connect().get(10, TimeUnit.SECONDS));
    assertInstanceOf(NameTakenException.class, e.getCause());
    events.await("closed NameTakenException", WAIT);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  @DisplayName("MD-SENDTO-2, CL-SENDTO-2: no such user fails the modern future, reaches onServerError in classic")
  void noSuchUser(Dialect dialect) throws Exception {
    ChatServer server = server(0);
    RecordingListener events = new RecordingListener();
    ChatClient client = connect(builder(server, dialect, "dave", events));
    CompletableFuture<Void> sent = client.sendTo("nobody", "hi");
    if (dialect == Dialect.MODERN) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(10, TimeUnit.SECONDS));
      assertInstanceOf(NoSuchUserException.class, e.getCause());
    } else {
      sent.get(10, TimeUnit.SECONDS);
      events.await("error " + ErrorCode.NO_SUCH_USER, WAIT);
    }
  }

  @Test
  @DisplayName("GEN-DIALECT-2: a modern and a classic user chat with each other")
  void mixedDialects() throws Exception {
    ChatServer server = server(0);
    RecordingListener modernEvents = new RecordingListener();
    RecordingListener classicEvents = new RecordingListener();
    ChatClient modern = connect(builder(server, Dialect.MODERN, "mo", modernEvents));
    ChatClient classic = connect(builder(server, Dialect.CLASSIC, "cl", classicEvents));
    modernEvents.await("joined cl", WAIT);
    classic.sendTo("mo", "from classic").get(10, TimeUnit.SECONDS);
    modernEvents.await("message cl from classic PRIVATE", WAIT);
    modern.sendAll("from modern").get(10, TimeUnit.SECONDS);
    classicEvents.await("message mo from modern UNKNOWN", WAIT);
    assertEquals(List.of("mo", "cl"), classic.listUsers().get(10, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  @DisplayName("CL-NOTICE-1, MD-EVENT-1, MD-BYE-1: notices arrive; after KICKED the client does not reconnect")
  void noticeThenKicked(Dialect dialect) throws Exception {
    ChatServer server = server(0);
    RecordingListener events = new RecordingListener();
    connect(builder(server, dialect, "erin", events)
        .reconnectPolicy(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(10), 3)));
    server.broadcast("maintenance at noon").get(10, TimeUnit.SECONDS);
    events.await("notice maintenance at noon", WAIT);
    server.disconnect("erin", "enough").get(10, TimeUnit.SECONDS);
    events.await("disconnected ServerErrorException willReconnect=false", WAIT);
    events.await("closed ServerErrorException", WAIT);
    events.assertNoViolations();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  @DisplayName("GEN-LEAVE-2: after SHUTTING_DOWN the client reconnects to the restarted server")
  void reconnectAfterRestart(Dialect dialect) throws Exception {
    ChatServer first = server(0);
    int port = first.localAddress().getPort();
    RecordingListener events = new RecordingListener();
    ChatClient client = connect(builder(first, dialect, "frank", events)
        .reconnectPolicy(new ReconnectPolicy(50, Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5)));
    first.shutdownGracefully(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
    events.await(e -> e.startsWith("disconnected ") && e.endsWith("willReconnect=true"), WAIT);
    server(port);
    events.await("connected", Duration.ofSeconds(20));
    assertEquals(List.of("frank"), client.listUsers().get(10, TimeUnit.SECONDS));
    events.assertNoViolations();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  @DisplayName("GEN-ORDER-2: concurrent sends from several threads arrive in each thread's order")
  void orderingUnderConcurrentSends(Dialect dialect) throws Exception {
    ChatServer server = server(0);
    RecordingListener receiver = new RecordingListener();
    connect(builder(server, dialect, "gina", receiver));
    ChatClient sender = connect(builder(server, dialect, "hank", new RecordingListener()));
    receiver.await("joined hank", WAIT);
    int threads = 4;
    int perThread = 50;
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            sends.add(sender.sendAll("t" + thread + "-" + i));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(10_000);
    }
    CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    int[] next = new int[threads];
    for (int n = 0; n < threads * perThread; n++) {
      String e = receiver.await(s -> s.startsWith("message hank "), WAIT);
      String text = e.split(" ")[2];
      int thread = text.charAt(1) - '0';
      assertEquals(next[thread], Integer.parseInt(text.substring(text.indexOf('-') + 1)), "order of thread " + thread);
      next[thread]++;
    }
    receiver.assertNoViolations();
  }

  @Test
  @DisplayName("the README example runs against the reference server")
  void readmeExample() throws Exception {
    ChatServer server = server(0);
    InetSocketAddress address = server.localAddress();
    ReadmeExample.chat("127.0.0.1", address.getPort());
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.sessions().isEmpty());
  }
}
