package io.github.obrol.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.ChatClient;
import io.github.obrol.client.testing.PythonChatServer;
import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.testkit.Tmux;
import io.github.obrol.protocol.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code obrol-chat} end to end as a separate JVM against the original {@code chatserver.py}: with stdin
 * and stdout redirected (scripts), and interactively in a tmux pane (line editing, printAbove, Ctrl-D).
 */
@Timeout(90)
class TerminalClientTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static PythonChatServer server;
  private final List<ChatClient> clients = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<Tmux> tmuxSessions = new ArrayList<>();

  @TempDir Path tmp;

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
  void cleanUp() throws Exception {
    for (Tmux t : tmuxSessions) {
      t.close();
    }
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (ChatClient c : clients) {
      c.abort().get(10, TimeUnit.SECONDS);
    }
  }

  private static String fresh(String base) {
    return "t" + base + NAMES.incrementAndGet();
  }



  private RecordingListener alice(String name) throws Exception {
    RecordingListener events = new RecordingListener();
    ChatClient a = ChatClient.builder().address("127.0.0.1", server.port()).username(name)
        .dialect(Dialect.CLASSIC).listener(events).build();
    clients.add(a);
    a.connect().get(20, TimeUnit.SECONDS);
    return events;
  }

  @Test
  @DisplayName("scripted: stdin and stdout redirected, the original's commands, end of input leaves")
  void redirectedStdinAndStdout() throws Exception {
    String alice = fresh("alice");
    String bob = fresh("bob");
    RecordingListener aliceEvents = alice(alice);
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Path in = tmp.resolve("in.txt");
    // No --name: the first line is the name.
    Files.writeString(in, bob + "\nsendall hello from a script\nsendto " + alice + " psst\n/list\n");
    Process p = new ProcessBuilder(Tmux.obrolChat("--dialect", "classic", "127.0.0.1", Integer.toString(server.port())))
        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    processes.add(p);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "obrol-chat did not exit at end of input");
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    assertEquals(0, p.exitValue(), "exit code; stdout: " + stdout + "; stderr: " + stderr);
    assertTrue(stdout.contains("online (2): " + alice + ", " + bob), stdout + " / " + stderr);
    assertTrue(stderr.contains("-- connected to 127.0.0.1:" + server.port() + " as " + bob), stderr);
    aliceEvents.await("joined " + bob, WAIT);
    aliceEvents.await("message " + bob + " hello from a script UNKNOWN", WAIT);
    aliceEvents.await("message " + bob + " psst UNKNOWN", WAIT);
  }

  @Test
  @DisplayName("scripted: invalid arguments exit with 2 and say what is wrong")
  void invalidArguments() throws Exception {
    Path err = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(Tmux.obrolChat("--name", "a b", "127.0.0.1", "9"))
        .redirectInput(ProcessBuilder.Redirect.PIPE).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    p.getOutputStream().close();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertTrue(Files.readString(err).contains("(expected:"), Files.readString(err));
  }

  @Test
  @DisplayName("interactive in tmux: name prompt, incoming lines above the typed line, private send, Ctrl-D")
  void interactiveInTmux() throws Exception {
    Tmux.assumeAvailable();
    String alice = fresh("alice");
    String dave = fresh("dave");
    RecordingListener aliceEvents = alice(alice);
    ChatClient aliceClient = clients.get(0);
    Tmux tmux = tmux("--dialect", "classic", "127.0.0.1", Integer.toString(server.port()));
    tmux.await(s -> s.contains("name:"), WAIT);
    tmux.keys(dave, "Enter");
    tmux.await(s -> s.contains("-- connected") && s.contains(dave + ">"), WAIT);
    aliceEvents.await("joined " + dave, WAIT);

    aliceClient.sendAll("first from alice").get(20, TimeUnit.SECONDS);
    tmux.await(s -> s.contains("[" + alice + "] first from alice"), WAIT);

    // A half-typed line survives an incoming message (LineReader.printAbove).
    tmux.keys("half typed");
    tmux.await(s -> Tmux.lastLine(s).equals(dave + "> half typed"), WAIT);
    aliceClient.sendAll("second from alice").get(20, TimeUnit.SECONDS);
    tmux.await(s -> s.contains("[" + alice + "] second from alice")
        && Tmux.lastLine(s).equals(dave + "> half typed"), WAIT);
    tmux.keys("C-u");
    tmux.keys("/to " + alice + " a secret", "Enter");
    aliceEvents.await("message " + dave + " a secret UNKNOWN", WAIT);

    // Ctrl-D ends input only on an empty line: wait for the fresh prompt first.
    tmux.await(s -> Tmux.lastLine(s).equals(dave + ">"), WAIT);
    tmux.keys("C-d");
    tmux.await(s -> s.contains("EXITED=0"), WAIT);
  }

  @Test
  @DisplayName("interactive in tmux: Ctrl-C leaves cleanly")
  void ctrlCInTmux() throws Exception {
    Tmux.assumeAvailable();
    String erin = fresh("erin");
    Tmux tmux = tmux("--dialect", "classic", "--name", erin, "127.0.0.1", Integer.toString(server.port()));
    tmux.await(s -> s.contains("-- connected") && s.contains(erin + ">"), WAIT);
    tmux.keys("C-c");
    tmux.await(s -> s.contains("EXITED=0"), WAIT);
  }

  private Tmux tmux(String... args) throws Exception {
    Tmux tmux = Tmux.start(tmp, Tmux.obrolChat(args));
    tmuxSessions.add(tmux);
    return tmux;
  }


}
