package io.github.obrol.client;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.client.testing.TestResources;
import io.github.obrol.protocol.Dialect;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The classic dialect against scripted TCP peers that behave like Obrol's classic server, or worse. */
@Timeout(30)
class ClassicScriptedServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final TestResources resources = new TestResources();

  private ChatClient client(ScriptedServer.Script script, RecordingListener events, ChatClient.Builder base)
      throws Exception {
    ScriptedServer server = resources.scripted(script);
    return resources.client(base.address("127.0.0.1", server.port()).username("alice").dialect(Dialect.CLASSIC)
        .classicQuietPeriod(Duration.ofMillis(30)).classicFrameSpacing(Duration.ZERO).listener(events));
  }

  private static Throwable failure(CompletableFuture<?> future) {
    return assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS)).getCause();
  }

  private static void list(ScriptedServer.Peer peer) throws java.io.IOException {
    peer.send("\rlist yang online\nalice is online ");
  }

  @Test
  @DisplayName("CL-LIST-2: a list that never comes times out and does not take the next list's place")
  void listTimeoutDoesNotShiftLaterLists() throws Exception {
    AtomicInteger lists = new AtomicInteger();
    ChatClient client = client((peer, line) -> {
      if (line.endsWith(" says list") && lists.incrementAndGet() != 2) {
        list(peer); // the login confirmation and the third list are answered, the second is not
      }
    }, new RecordingListener(), ChatClient.builder().requestTimeout(Duration.ofMillis(500)));
    client.connect().get(10, TimeUnit.SECONDS);
    assertInstanceOf(ChatTimeoutException.class, failure(client.listUsers()));
    assertEquals(List.of("alice"), client.listUsers().get(10, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("CL-SENDTO-2: no such user reaches onServerError; the sendTo future completed when written")
  void noSuchUserGoesToTheListener() throws Exception {
    RecordingListener events = new RecordingListener();
    ChatClient client = client((peer, line) -> {
      if (line.endsWith(" says list")) {
        list(peer);
      } else if (line.contains(" says sendto ")) {
        peer.send("\rno such user");
      }
    }, events, ChatClient.builder());
    client.connect().get(10, TimeUnit.SECONDS);
    client.sendTo("carol", "hi").get(10, TimeUnit.SECONDS);
    events.await("error NO_SUCH_USER", WAIT);
    events.assertNoViolations();
  }

  @Test
  @DisplayName("CL-LOGIN-3: invalid name fails connect() with InvalidNameException")
  void invalidName() throws Exception {
    RecordingListener events = new RecordingListener();
    ChatClient client = client((peer, line) -> {
      if (line.equals("alice says alice")) {
        peer.send("\rinvalid name: not today");
      }
    }, events, ChatClient.builder());
    assertInstanceOf(InvalidNameException.class, failure(client.connect()));
    events.await("closed InvalidNameException", WAIT);
  }

  @Test
  @DisplayName("CL-ERROR-1: server shutting down ends the connection; the client reconnects")
  void shuttingDownThenReconnect() throws Exception {
    AtomicInteger logins = new AtomicInteger();
    RecordingListener events = new RecordingListener();
    ChatClient client = client((peer, line) -> {
      if (line.equals("alice says alice")) {
        logins.incrementAndGet();
      } else if (line.endsWith(" says list")) {
        list(peer);
        if (logins.get() == 1) {
          peer.send("\rbob sudah terhubung dengan system");
          peer.send("\rbob says hi all ");
          peer.send("\r(bob) off");
          peer.send("\rserver shutting down");
          peer.close();
        }
      }
    }, events, ChatClient.builder()
        .reconnectPolicy(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 3)));
    client.connect().get(10, TimeUnit.SECONDS);
    events.await("connected", WAIT);
    events.await("joined bob", WAIT);
    events.await("message bob hi all UNKNOWN", WAIT);
    events.await("left bob UNKNOWN", WAIT);
    events.await("disconnected ServerErrorException willReconnect=true", WAIT);
    events.await("connected", WAIT);
    client.closeAsync().get(10, TimeUnit.SECONDS);
    events.await("closed null", WAIT);
    events.assertNoViolations();
  }

  @Test
  @DisplayName("CL-FRAME-4: when the list that confirms the login is lost, the client asks again")
  void lostLoginConfirmationIsRequestedAgain() throws Exception {
    AtomicInteger lists = new AtomicInteger();
    RecordingListener events = new RecordingListener();
    ChatClient client = client((peer, line) -> {
      if (line.endsWith(" says list") && lists.incrementAndGet() > 1) {
        list(peer); // the first request is dropped, as by a server that merged it into the login
      }
    }, events, ChatClient.builder());
    client.connect().get(10, TimeUnit.SECONDS);
    assertEquals(2, lists.get());
    events.await("connected", WAIT);
  }

  // ---- classic variants of servers written by others (issue 11; PROTOCOL.md section 5.3) ----

  @Test
  @DisplayName("CL-LOGIN-2: an unknown answer to the login (\"nama sudah dipake\") fails connect(), even if the list names the user")
  void unknownAnswerToTheLoginIsNoSuccess() throws Exception {
    RecordingListener events = new RecordingListener();
    ChatClient client = client((peer, line) -> {
      if (line.equals("alice says alice")) {
        peer.send("\rnama sudah dipake"); // another alice is logged in: the list below names her
      } else if (line.endsWith(" says list")) {
        list(peer);
      }
    }, events, ChatClient.builder());
    Throwable cause = failure(client.connect());
    ServerErrorException refused = assertInstanceOf(ServerErrorException.class, cause);
    assertEquals(io.github.obrol.protocol.ErrorCode.LOGIN_REJECTED, refused.code());
    assertTrue(refused.serverText().contains("\"nama sudah dipake\""), refused.serverText());
    events.await("closed ServerErrorException", WAIT);
    assertFalse(events.events.contains("connected"), events.events.toString());
  }

  @Test
  @DisplayName("CL-JOIN-1, CL-LEAVE-1: notices with trailing blanks are joins and leaves; unknown frames reach onServerText")
  @Verifies({"CL-VARIANT-1", "CL-VARIANT-2", "CL-VARIANT-3"})
  void variantFramesAfterTheLogin() throws Exception {
    RecordingListener events = new RecordingListener();
    ChatClient client = client((peer, line) -> {
      if (line.endsWith(" says list")) {
        list(peer);
      } else if (line.contains(" says sendall ")) {
        peer.send("\rbob sudah terhubung dengan system ");
        peer.send("\rPlease login");
        peer.send("\rClient off");
        peer.send("\r(bob) off \t");
        peer.send("\rbell\u0007 ");
      }
    }, events, ChatClient.builder());
    client.connect().get(10, TimeUnit.SECONDS);
    client.sendAll("hi").get(10, TimeUnit.SECONDS);
    events.await("text bell\\x07", WAIT);
    List<String> after = events.events.subList(events.events.indexOf("connected") + 1, events.events.size());
    assertEquals(List.of("joined bob", "text Please login", "text Client off", "left bob UNKNOWN", "text bell\\x07"),
        after.stream().filter(e -> !e.startsWith("closed")).collect(java.util.stream.Collectors.toList()));
  }

  @Test
  @DisplayName("\"Client off\" before the login is confirmed does not fail the login")
  @Verifies("CL-VARIANT-2")
  void clientOffBeforeTheLogin() throws Exception {
    RecordingListener events = new RecordingListener();
    ChatClient client = client((peer, line) -> {
      if (line.equals("alice says alice")) {
        peer.send("\rClient off ");
      } else if (line.endsWith(" says list")) {
        list(peer);
      }
    }, events, ChatClient.builder());
    client.connect().get(10, TimeUnit.SECONDS);
    events.await("connected", WAIT);
  }
}
