package io.github.obrol.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.ChatClient;
import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.testkit.Tmux;
import io.github.obrol.server.ChatServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code obrol-chat} end to end as a separate JVM against the reference server (modern dialect), with
 * redirected stdin and stdout and interactively in tmux: private and join/leave marks, printAbove.
 */
@Timeout(90)
class TerminalClientReferenceServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private ChatServer server;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @TempDir Path tmp;

  @BeforeEach
  void startServer() throws Exception {
    server = ChatServer.builder().bindAddress("127.0.0.1").port(0).nativeTransport(false).build();
    server.start().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    server.shutdownGracefully(Duration.ofSeconds(2)).exceptionally(t -> null).get(10, TimeUnit.SECONDS);
  }

  private String port() {
    return Integer.toString(server.localAddress().getPort());
  }

  private ChatClient alice(RecordingListener events) throws Exception {
    ChatClient alice = ChatClient.builder().address("127.0.0.1", server.localAddress().getPort())
        .username("alice").listener(events).build();
    resources.add(() -> alice.abort().get(10, TimeUnit.SECONDS));
    alice.connect().get(10, TimeUnit.SECONDS);
    return alice;
  }

  @Test
  @DisplayName("scripted: private and broadcast messages are marked; end of input quits (LEFT ... QUIT)")
  void redirected() throws Exception {
    RecordingListener aliceEvents = new RecordingListener();
    ChatClient alice = alice(aliceEvents);
    Path err = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(Tmux.obrolChat("--name", "bob", "127.0.0.1", port()))
        .redirectError(err.toFile()).start();
    resources.add(() -> p.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
    BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          stdout.add(line);
        }
      } catch (java.io.IOException e) {
        // process ended
      }
    });
    pump.setDaemon(true);
    pump.start();
    aliceEvents.await("joined bob", WAIT);
    alice.sendTo("bob", "psst").get(10, TimeUnit.SECONDS);
    assertEquals("[alice -> you] psst", stdout.poll(20, TimeUnit.SECONDS));
    alice.sendAll("hi all").get(10, TimeUnit.SECONDS);
    assertEquals("[alice] hi all", stdout.poll(20, TimeUnit.SECONDS));
    try (OutputStream in = p.getOutputStream()) {
      in.write("sendto alice back at you\n/list\nsendto nobody hello\n".getBytes(StandardCharsets.UTF_8));
    }
    aliceEvents.await("message bob back at you PRIVATE", WAIT);
    // Your own private message is echoed once the server took it (its OK SENDTO precedes the list).
    assertEquals("[you -> alice] back at you", stdout.poll(20, TimeUnit.SECONDS));
    assertEquals("online (2): alice, bob", stdout.poll(20, TimeUnit.SECONDS));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "obrol-chat did not exit at end of input");
    assertEquals(0, p.exitValue());
    aliceEvents.await("left bob QUIT", WAIT);
    String errors = Files.readString(err);
    assertTrue(errors.contains("! private message to nobody not sent: no such user"), errors);
  }

  @Test
  @DisplayName("interactive in tmux: name prompt, marks, incoming lines above a half-typed line, Ctrl-D")
  void interactive() throws Exception {
    Tmux.assumeAvailable();
    RecordingListener aliceEvents = new RecordingListener();
    ChatClient alice = alice(aliceEvents);
    Tmux tmux = Tmux.start(tmp, Tmux.obrolChat("127.0.0.1", port()));
    resources.add(tmux);
    tmux.await(s -> s.contains("name:"), WAIT);
    tmux.keys("alice", "Enter");
    tmux.await(s -> s.contains("the name alice is taken; try another"), WAIT);
    tmux.keys("carol", "Enter");
    tmux.await(s -> s.contains("-- connected") && s.contains("carol>"), WAIT);
    aliceEvents.await("joined carol", WAIT);

    tmux.keys("half typed");
    tmux.await(s -> Tmux.lastLine(s).equals("carol> half typed"), WAIT);
    alice.sendTo("carol", "just for you").get(10, TimeUnit.SECONDS);
    alice.sendAll("for everyone").get(10, TimeUnit.SECONDS);
    ChatClient dave = ChatClient.builder().address("127.0.0.1", server.localAddress().getPort())
        .username("dave").build();
    dave.connect().get(10, TimeUnit.SECONDS);
    dave.closeAsync().get(10, TimeUnit.SECONDS);
    tmux.await(s -> s.contains("[alice -> you] just for you") && s.contains("[alice] for everyone")
        && s.contains("--> dave joined") && s.contains("<-- dave left (quit)")
        && Tmux.lastLine(s).equals("carol> half typed"), WAIT);

    tmux.keys("C-u");
    tmux.keys("/to alice a secret", "Enter");
    aliceEvents.await("message carol a secret PRIVATE", WAIT);
    // Ctrl-D ends input only on an empty line: wait for the fresh prompt first.
    tmux.await(s -> Tmux.lastLine(s).equals("carol>"), WAIT);
    tmux.keys("C-d");
    tmux.await(s -> s.contains("EXITED=0"), WAIT);
    aliceEvents.await("left carol QUIT", WAIT);
  }
}
