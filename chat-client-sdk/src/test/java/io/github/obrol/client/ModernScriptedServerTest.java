package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.PythonChatServer;
import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.client.testing.TestResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The modern dialect against scripted TCP peers, for what a correct server does not do on demand:
 * answers that never come or come late, a server that stops reading, replies to no request, fatal goodbyes.
 */
@Timeout(30)
class ModernScriptedServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final TestResources resources = new TestResources();

  private ScriptedServer server(ScriptedServer.Script script) throws Exception {
    return resources.scripted(script);
  }

  private ChatClient.Builder client(ScriptedServer server, RecordingListener listener) {
    return ChatClient.builder().address("127.0.0.1", server.port()).username("alice").listener(listener);
  }

  private ChatClient connected(ChatClient.Builder builder) throws Exception {
    ChatClient client = resources.client(builder);
    client.connect().get(10, TimeUnit.SECONDS);
    return client;
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  @DisplayName("MD-QUIT-1: close(reason) sends QUIT with the reason")
  void closeWithReason() throws Exception {
    ScriptedServer server = server(ScriptedServer::standardModern);
    ChatClient client = connected(client(server, new RecordingListener()));
    client.close("off to lunch");
    assertEquals(List.of("HELLO obrol/1", "LOGIN alice", "QUIT off to lunch"), new ArrayList<>(server.received));
    assertEquals(ChatClient.State.CLOSED, client.state());
  }

  @Test
  @DisplayName("GEN-DIALECT-1: a classic frame in answer to HELLO fails the connect at once, not at the timeout")
  void classicAnswerToHelloFailsFast() throws Exception {
    ScriptedServer server = server((peer, line) -> peer.send("\rinvalid command"));
    // A connect timeout far beyond the bounded wait below: only the early failure can pass this test.
    ChatClient client = resources.client(client(server, new RecordingListener()).connectTimeout(Duration.ofMinutes(5)));
    Throwable cause = failure(client.connect());
    assertInstanceOf(ProtocolViolationException.class, cause);
    assertTrue(cause.getMessage().contains("classic"), cause.getMessage());
  }

  @Test
  @DisplayName("MD-HELLO-1, MD-LOGIN-1, MD-LIST-1, MD-SEND-1, MD-QUIT-1: greeting, login, list, send, graceful close")
  void happyPathAndGracefulClose() throws Exception {
    ScriptedServer server = server(ScriptedServer::standardModern);
    RecordingListener events = new RecordingListener();
    ChatClient client = connected(client(server, events));
    assertEquals(List.of("alice"), client.listUsers().get(10, TimeUnit.SECONDS));
    CompletableFuture<Void> a = client.sendAll("one");
    CompletableFuture<Void> b = client.sendAll("two");
    client.closeAsync().get(10, TimeUnit.SECONDS);
    assertTrue(a.isDone() && !a.isCompletedExceptionally() && b.isDone() && !b.isCompletedExceptionally());
    List<String> lines = new ArrayList<>(server.received);
    assertEquals(List.of("HELLO obrol/1", "LOGIN alice", "LIST", "SEND one", "SEND two", "QUIT"), lines);
    assertEquals(List.of("connected", "closed null"), events.events);
    assertInstanceOf(NotConnectedException.class, failure(client.sendAll("late")));
  }

  @Test
  @DisplayName("MD-REPLY-1: a request that gets no answer in time fails with ChatTimeoutException; its late answer is skipped")
  void requestTimeoutKeepsRepliesMatched() throws Exception {
    AtomicBoolean listAsked = new AtomicBoolean();
    ScriptedServer server = server((peer, line) -> {
      if (line.equals("LIST")) {
        listAsked.set(true); // no answer now
      } else if (line.startsWith("SEND ") && listAsked.get()) {
        peer.send("OK LIST 1 alice"); // the late answer to LIST, then the answer to SEND
        peer.send("OK SEND");
      } else {
        ScriptedServer.standardModern(peer, line);
      }
    });
    ChatClient client = connected(client(server, new RecordingListener()).requestTimeout(Duration.ofMillis(300)));
    assertInstanceOf(ChatTimeoutException.class, failure(client.listUsers()));
    client.sendAll("after").get(10, TimeUnit.SECONDS);
    assertEquals(ChatClient.State.CONNECTED, client.state());
  }

  @Test
  @DisplayName("MD-SENDTO-2: sendTo an unknown user fails with NoSuchUserException")
  void noSuchUser() throws Exception {
    ChatClient client = connected(client(server(ScriptedServer::standardModern), new RecordingListener()));
    NoSuchUserException e = assertInstanceOf(NoSuchUserException.class, failure(client.sendTo("carol", "hi")));
    assertEquals(io.github.obrol.protocol.ErrorCode.NO_SUCH_USER, e.code());
  }

  @Test
  @DisplayName("a frame larger than maxQueuedBytes is refused at once")
  void frameLargerThanQueue() throws Exception {
    ChatClient client = connected(client(server(ScriptedServer::standardModern), new RecordingListener())
        .maxQueuedBytes(16));
    assertInstanceOf(QueueFullException.class, failure(client.sendAll("x".repeat(100))));
    assertTrue(!client.trySendAll("y".repeat(100)));
    assertEquals(0, client.queuedBytes());
  }

  @Test
  @DisplayName("GEN-LIMIT-4: when the server stops reading, the queue fills to its bound and refuses more")
  void queueFullWhenServerStopsReading() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      ScriptedServer.standardModern(peer, line);
      if (line.startsWith("LOGIN")) {
        peer.stopReading();
      }
    });
    long max = 256 * 1024;
    ChatClient client = connected(client(server, new RecordingListener()).maxQueuedBytes(max));
    String text = "z".repeat(16 * 1024);
    List<CompletableFuture<Void>> accepted = new ArrayList<>();
    Throwable refused = null;
    // The kernel's buffers take some megabytes first; the bound is reached after at most ~1000 frames.
    for (int i = 0; i < 5_000 && refused == null; i++) {
      CompletableFuture<Void> f = client.sendAll(text);
      if (f.isCompletedExceptionally()) {
        refused = failure(f);
      } else {
        accepted.add(f);
      }
      assertTrue(client.queuedBytes() <= max, "queuedBytes " + client.queuedBytes() + " > " + max);
    }
    assertInstanceOf(QueueFullException.class, refused);
    client.abort().get(10, TimeUnit.SECONDS);
    for (CompletableFuture<Void> f : accepted) {
      assertInstanceOf(ConnectionLostException.class, failure(f));
    }
  }

  @Test
  @DisplayName("MD-REPLY-1: a reply to no request is a protocol violation that ends the connection")
  void replyToNoRequest() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      ScriptedServer.standardModern(peer, line);
      if (line.startsWith("LOGIN")) {
        peer.send("OK SEND");
      }
    });
    RecordingListener events = new RecordingListener();
    ChatClient client = resources.client(client(server, events));
    client.connect().get(10, TimeUnit.SECONDS);
    events.await("disconnected ProtocolViolationException willReconnect=false", WAIT);
    events.await("closed ProtocolViolationException", WAIT);
    events.assertNoViolations();
  }

  @Test
  @DisplayName("MD-LOGIN-2: NAME_TAKEN fails connect() and the client closes")
  void nameTaken() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      if (line.startsWith("LOGIN")) {
        peer.send("ERR NAME_TAKEN alice is logged in already");
      } else {
        ScriptedServer.standardModern(peer, line);
      }
    });
    RecordingListener events = new RecordingListener();
    ChatClient client = client(server, events).build();
    assertInstanceOf(NameTakenException.class, failure(client.connect()));
    events.await("closed NameTakenException", WAIT);
  }

  @Test
  @DisplayName("MD-BYE-1: after KICKED the client never reconnects, whatever the policy")
  void kickedIsFinal() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      ScriptedServer.standardModern(peer, line);
      if (line.equals("LIST")) {
        peer.send("BYE KICKED go away");
        peer.close();
      }
    });
    RecordingListener events = new RecordingListener();
    ChatClient client = connected(client(server, events)
        .reconnectPolicy(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(10), 5)));
    client.listUsers().get(10, TimeUnit.SECONDS);
    events.await("disconnected ServerErrorException willReconnect=false", WAIT);
    events.await("closed ServerErrorException", WAIT);
    assertEquals(1, server.peers.size());
  }

  @Test
  @DisplayName("after SHUTTING_DOWN the client would reconnect, and the listener can veto it")
  void listenerVetoesReconnect() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      ScriptedServer.standardModern(peer, line);
      if (line.equals("LIST")) {
        peer.send("BYE SHUTTING_DOWN restarting");
        peer.close();
      }
    });
    RecordingListener events = new RecordingListener();
    events.onDisconnect = Disconnection::cancelReconnect;
    ChatClient client = connected(client(server, events)
        .reconnectPolicy(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(10), 5)));
    client.listUsers().get(10, TimeUnit.SECONDS);
    events.await("disconnected ServerErrorException willReconnect=true", WAIT);
    events.await("closed ServerErrorException", WAIT);
    assertEquals(ChatClient.State.CLOSED, client.state());
    assertEquals(1, server.peers.size());
  }

  @Test
  @DisplayName("MD-KEEPALIVE-1: the client pings when the server announces an idle timeout")
  void keepAlive() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      if (line.startsWith("HELLO")) {
        peer.send("OK HELLO obrol/1 maxline=4096 maxname=32 idle=1");
      } else {
        ScriptedServer.standardModern(peer, line);
      }
    });
    connected(client(server, new RecordingListener()));
    for (String line = ""; !line.startsWith("PING"); ) {
      line = server.received.poll(10, TimeUnit.SECONDS);
      assertTrue(line != null, "no PING within 10 s");
    }
  }

  @Test
  @DisplayName("connect() to a closed port fails with UnreachableException; requests before connect fail")
  void unreachable() throws Exception {
    RecordingListener events = new RecordingListener();
    ChatClient client = ChatClient.builder().address("127.0.0.1", PythonChatServer.freePort()).username("alice")
        .listener(events).build();
    assertInstanceOf(NotConnectedException.class, failure(client.listUsers()));
    assertInstanceOf(UnreachableException.class, failure(client.connect()));
    events.await("closed UnreachableException", WAIT);
    assertThrows(IllegalStateException.class, client::connect);
  }

  @Test
  @DisplayName("callbacks on an application's 4-thread executor arrive in order and never overlap")
  void callbacksSerialisedOnAMultiThreadedExecutor() throws Exception {
    int count = 500;
    ScriptedServer server = server((peer, line) -> {
      ScriptedServer.standardModern(peer, line);
      if (line.startsWith("LOGIN")) {
        for (int i = 0; i < count; i++) {
          peer.send("MSG bob m" + i);
        }
      }
    });
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    resources.add(pool::shutdownNow);
    RecordingListener events = new RecordingListener();
    connected(client(server, events).callbackExecutor(pool));
    for (int i = 0; i < count; i++) {
      events.await("message bob m" + i + " BROADCAST", WAIT);
    }
    events.assertNoViolations();
  }
}
