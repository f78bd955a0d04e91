package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.client.testing.TestResources;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.testkit.Verifies;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client rules, end to end: the real {@link ChatClient} reads literal server bytes from a scripted TCP peer
 * that writes them one byte per write (every byte boundary is a write boundary, Nagle off), and must turn them into
 * exactly the events and replies PROTOCOL.md defines.
 */
@Timeout(60)
class ChunkedServerBytesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final TestResources resources = new TestResources();

  private ScriptedServer server(ScriptedServer.Script script, int chunkSize) throws IOException {
    return resources.scripted(script, chunkSize);
  }

  private ChatClient connect(ScriptedServer server, Dialect dialect, RecordingListener events) throws Exception {
    ChatClient client = resources.client(ChatClient.builder().address("127.0.0.1", server.port()).username("alice")
        .dialect(dialect).classicQuietPeriod(Duration.ofMillis(30)).classicFrameSpacing(Duration.ZERO).listener(events));
    client.connect().get(10, TimeUnit.SECONDS);
    return client;
  }

  private static void awaitInOrder(RecordingListener events, List<String> expected) throws InterruptedException {
    for (String e : expected) {
      events.await(e, WAIT);
    }
  }

  /** The classic login confirmation a scripted peer gives: a user list naming alice. */
  private static void classicList(ScriptedServer.Peer peer, String line) throws IOException {
    if (line.endsWith(" says list")) {
      peer.sendRaw("\rlist yang online\nalice is online \n\r*** end\n");
    }
  }

  @Test
  @DisplayName("CLIENT-1 MD-EVENT-1: modern events written byte by byte arrive whole and in order; an unknown verb is ignored")
  @Verifies({"CLIENT-1", "MD-EVENT-1"})
  void modernEventsInAnyChunking() throws Exception {
    ScriptedServer server = server(ScriptedServer::standardModern, 1);
    RecordingListener events = new RecordingListener();
    ChatClient client = connect(server, Dialect.MODERN, events);
    server.peers.get(0).sendRaw("JOIN bob\nFUTURE_EVENT x y\nMSG bob hi  there\nPRIV bob psst\nNOTICE restart at noon\n"
        + "LEFT bob QUIT gone\n");
    awaitInOrder(events, List.of("joined bob", "message bob hi  there BROADCAST", "message bob psst PRIVATE",
        "notice restart at noon", "left bob QUIT"));
    assertEquals(List.of("alice"), client.listUsers().get(10, TimeUnit.SECONDS), "the connection still works");
    assertEquals(1, events.events.stream().filter(e -> e.startsWith("left bob")).count(), events.events.toString());
    events.assertNoViolations();
  }

  @Test
  @DisplayName("CLIENT-1 CL-LEAVE-1 CL-SFRAME-1 CL-JOIN-1: classic frames written byte by byte; both leave forms, each once")
  @Verifies({"CLIENT-1", "CL-LEAVE-1", "CL-SFRAME-1", "CL-JOIN-1"})
  void classicEventsInAnyChunking() throws Exception {
    ScriptedServer server = server(ChunkedServerBytesTest::classicList, 1);
    RecordingListener events = new RecordingListener();
    connect(server, Dialect.CLASSIC, events);
    server.peers.get(0).sendRaw("\rbob sudah terhubung dengan system\n\rbob says hi all \n\r(bob) off\n"
        + "\rcarol sudah terhubung dengan system\n\rClient (carol) off\n\r*** restart at noon\n");
    awaitInOrder(events, List.of("joined bob", "message bob hi all UNKNOWN", "left bob UNKNOWN", "joined carol",
        "left carol UNKNOWN", "notice restart at noon"));
    assertEquals(1, events.events.stream().filter(e -> e.startsWith("left bob")).count(), events.events.toString());
    assertEquals(1, events.events.stream().filter(e -> e.startsWith("left carol")).count(), events.events.toString());
    events.assertNoViolations();
  }

  @Test
  @DisplayName("CL-LIST-2: a classic list written byte by byte ends at the next CR frame, not at a read boundary")
  @Verifies({"CL-LIST-2", "CL-LIST-1"})
  void classicListInAnyChunking() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      if (line.endsWith(" says list")) {
        peer.sendRaw("\rlist yang online\nbob is online \nalice is online \ncarol is online \n\r*** after the list\n");
      }
    }, 1);
    RecordingListener events = new RecordingListener();
    ChatClient client = connect(server, Dialect.CLASSIC, events);
    assertEquals(List.of("bob", "alice", "carol"), client.listUsers().get(10, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("MD-HELLO-3: capability keys the client does not know are ignored, in a greeting written byte by byte")
  @Verifies({"MD-HELLO-3", "CLIENT-1"})
  void unknownCapabilitiesIgnored() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      if (line.startsWith("HELLO ")) {
        peer.send("OK HELLO obrol/1 future=x=y maxline=4096 zz=1 maxname=32 idle=0 server=elsewhere/9 =odd");
      } else {
        ScriptedServer.standardModern(peer, line);
      }
    }, 1);
    ChatClient client = connect(server, Dialect.MODERN, new RecordingListener());
    assertEquals(List.of("alice"), client.listUsers().get(10, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("GEN-LINE-3: the client accepts a server frame of 1 MiB (a list of 31,000 names)")
  @Verifies("GEN-LINE-3")
  void megabyteFrame() throws Exception {
    List<String> names = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = 0; line.length() + 34 <= 1_048_576 - 20; i++) {
      String name = String.format("u%031d", i);
      names.add(name);
      line.append(' ').append(name);
    }
    String list = "OK LIST " + names.size() + line;
    ScriptedServer server = server((peer, l) -> {
      if (l.equals("LIST")) {
        peer.send(list);
      } else {
        ScriptedServer.standardModern(peer, l);
      }
    }, 0);
    ChatClient client = connect(server, Dialect.MODERN, new RecordingListener());
    assertEquals(true, list.length() > 1_040_000 && list.length() <= 1_048_576, "frame length " + list.length());
    assertEquals(names, client.listUsers().get(20, TimeUnit.SECONDS));
  }
}
