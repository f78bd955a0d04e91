package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.PythonChatServer;
import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.protocol.Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SDK in the classic dialect against the ORIGINAL {@code chatserver.py} (skipped where Python 2 or the
 * file is absent). The original never frees a name, so every test logs in with fresh names.
 */
@Timeout(60)
class OriginalServerClassicTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static PythonChatServer server;
  private final List<ChatClient> clients = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    PythonChatServer.assumeAvailable();
    server = PythonChatServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void abortClients() throws Exception {
    for (ChatClient c : clients) {
      c.abort().get(10, TimeUnit.SECONDS);
    }
  }

  static String fresh(String base) {
    return base + NAMES.incrementAndGet();
  }

  private ChatClient.Builder classic(String name, RecordingListener listener, int port) {
    return ChatClient.builder().address("127.0.0.1", port).username(name).dialect(Dialect.CLASSIC)
        .listener(listener);
  }

  private ChatClient connect(ChatClient.Builder builder) throws Exception {
    ChatClient client = builder.build();
    clients.add(client);
    client.connect().get(20, TimeUnit.SECONDS);
    return client;
  }

  @Test
  @DisplayName("CL-LOGIN-1, CL-LIST-1/2, CL-SENDALL-1, CL-SENDTO-1, CL-JOIN-1, CL-LEAVE-1: login, list, chat, join and leave")
  void loginListBroadcastPrivateJoinLeave() throws Exception {
    String alice = fresh("alice");
    String bob = fresh("bob");
    RecordingListener aliceEvents = new RecordingListener();
    RecordingListener bobEvents = new RecordingListener();
    ChatClient a = connect(classic(alice, aliceEvents, server.port()));
    aliceEvents.await("connected", WAIT);
    assertEquals(ChatClient.State.CONNECTED, a.state());

    ChatClient b = connect(classic(bob, bobEvents, server.port()));
    aliceEvents.await("joined " + bob, WAIT);

    List<String> users = a.listUsers().get(20, TimeUnit.SECONDS);
    assertTrue(users.containsAll(List.of(alice, bob)), "user list " + users);
    assertTrue(users.indexOf(alice) < users.indexOf(bob), "oldest login first: " + users);

    b.sendAll("hello   world").get(20, TimeUnit.SECONDS);
    // The server collapses whitespace; the classic wire cannot say broadcast or private (CL-SENDTO-1).
    aliceEvents.await("message " + bob + " hello world UNKNOWN", WAIT);
    b.sendTo(alice, "psst").get(20, TimeUnit.SECONDS);
    aliceEvents.await("message " + bob + " psst UNKNOWN", WAIT);

    // bob is the newest connection, so the original announces his departure with his own name.
    b.closeAsync().get(20, TimeUnit.SECONDS);
    bobEvents.await("closed null", WAIT);
    aliceEvents.await("left " + bob + " UNKNOWN", WAIT);
    aliceEvents.assertNoViolations();
    bobEvents.assertNoViolations();
  }

  @Test
  @DisplayName("CL-LOGIN-2: a taken name fails connect() with NameTakenException and closes the client")
  void nameTaken() throws Exception {
    String name = fresh("taken");
    connect(classic(name, new RecordingListener(), server.port()));
    RecordingListener second = new RecordingListener();
    ChatClient duplicate = classic(name, second, server.port()).build();
    clients.add(duplicate);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> duplicate.connect().get(20, TimeUnit.SECONDS));
    assertInstanceOf(NameTakenException.class, e.getCause());
    second.await("closed NameTakenException", WAIT);
    assertEquals(ChatClient.State.CLOSED, duplicate.state());
    assertEquals(List.of("closed NameTakenException"), second.events);
  }

  @Test
  @DisplayName("the modern dialect against a classic-only server fails connect() at once (it answers with a classic"
      + " frame) or, if it stays silent, at the connect timeout")
  void modernAgainstClassicOnlyServerFails() throws Exception {
    ChatClient client = ChatClient.builder().address("127.0.0.1", server.port()).username(fresh("modern"))
        .connectTimeout(Duration.ofSeconds(1)).build();
    clients.add(client);
    ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect().get(20, TimeUnit.SECONDS));
    // The original answers "HELLO obrol/1\nLOGIN x\n" read in one go with "\rinvalid command\n"; read apart, the
    // first frame makes it fail silently (an IndexError it swallows), so the timeout is the other outcome.
    assertTrue(e.getCause() instanceof ProtocolViolationException || e.getCause() instanceof ChatTimeoutException,
        String.valueOf(e.getCause()));
  }

  @Test
  @DisplayName("CL-FRAME-4: a full outbound queue refuses frames at once, exactly at maxQueuedBytes")
  void queueFull() throws Exception {
    String name = fresh("q");
    // A long frame spacing holds the writer after each message, so the queue fills deterministically.
    ChatClient client = connect(classic(name, new RecordingListener(), server.port())
        .classicFrameSpacing(Duration.ofSeconds(30)).maxQueuedBytes(100));
    client.sendAll("m0").get(20, TimeUnit.SECONDS); // written: the writer now pauses
    assertEquals(0, client.queuedBytes());
    int frameLength = (name + " says sendall mX\n").length();
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      sends.add(client.sendAll("m" + i));
    }
    int accepted = 100 / frameLength;
    for (int i = 0; i < sends.size(); i++) {
      if (i < accepted) {
        assertTrue(!sends.get(i).isDone(), "frame " + i + " should wait in the queue");
      } else {
        ExecutionException e = assertThrows(ExecutionException.class, sends.get(i)::get);
        assertInstanceOf(QueueFullException.class, e.getCause());
      }
    }
    assertEquals((long) accepted * frameLength, client.queuedBytes());
    assertTrue(!client.trySendAll("more"), "trySendAll on a full queue");
    client.abort().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < accepted; i++) {
      ExecutionException e = assertThrows(ExecutionException.class, sends.get(i)::get);
      assertInstanceOf(ConnectionLostException.class, e.getCause());
    }
  }

  @Test
  @DisplayName("GEN-ORDER-2: concurrent sends arrive in each sender's order, callbacks one at a time")
  void callbackOrderingUnderConcurrentSends() throws Exception {
    String alice = fresh("ordera");
    String bob = fresh("orderb");
    RecordingListener aliceEvents = new RecordingListener();
    connect(classic(alice, aliceEvents, server.port()));
    ChatClient b = connect(classic(bob, new RecordingListener(), server.port()));
    aliceEvents.await("joined " + bob, WAIT);
    int threads = 3;
    int perThread = 6;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    List<CompletableFuture<Void>> sends = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread sender = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            sends.add(b.sendAll("t" + thread + "-" + i));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      sender.start();
      senders.add(sender);
    }
    start.countDown();
    for (Thread s : senders) {
      s.join(10_000);
    }
    CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    int[] next = new int[threads];
    for (int n = 0; n < threads * perThread; n++) {
      String e = aliceEvents.await(s -> s.startsWith("message " + bob + " "), WAIT);
      String text = e.split(" ")[2];
      int thread = text.charAt(1) - '0';
      int index = Integer.parseInt(text.substring(text.indexOf('-') + 1));
      assertEquals(next[thread], index, "message order of sender thread " + thread + " in " + aliceEvents.events);
      next[thread]++;
    }
    aliceEvents.assertNoViolations();
  }

  @Test
  @DisplayName("the client reconnects with backoff after the original server restarts")
  void reconnectAfterServerRestart() throws Exception {
    try (PythonChatServer own = PythonChatServer.start()) {
      String name = fresh("phoenix");
      RecordingListener events = new RecordingListener();
      ChatClient client = connect(classic(name, events, own.port())
          .reconnectPolicy(new ReconnectPolicy(20, Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.5)));
      events.await("connected", WAIT);
      own.restart();
      events.await(e -> e.startsWith("disconnected ") && e.endsWith("willReconnect=true"), WAIT);
      events.await("connected", Duration.ofSeconds(30));
      assertEquals(ChatClient.State.CONNECTED, client.state());
      assertTrue(client.listUsers().get(20, TimeUnit.SECONDS).contains(name));
      client.closeAsync().get(20, TimeUnit.SECONDS);
      events.await("closed null", WAIT);
      events.assertNoViolations();
    }
  }
}
