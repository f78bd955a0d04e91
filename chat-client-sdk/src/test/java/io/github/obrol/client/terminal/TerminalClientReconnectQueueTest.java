package io.github.obrol.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.client.testing.TestResources;
import io.github.obrol.testkit.Tmux;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code obrol-chat} as a separate JVM (stdin and stderr redirected) against a scripted server that drops the
 * connection and then holds the reconnect's greeting unanswered until the test has typed its lines: text typed
 * while reconnecting is queued and sent once, in order, after the new login, before what is typed later.
 */
@Timeout(90)
class TerminalClientReconnectQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final TestResources resources = new TestResources();

  @Test
  @DisplayName("lines typed while reconnecting are sent once, in order, after the login and before later lines")
  void linesTypedWhileReconnectingArriveOnceInOrder() throws Exception {
    CountDownLatch typed = new CountDownLatch(1);
    AtomicInteger greetings = new AtomicInteger();
    BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
    ScriptedServer server = resources.scripted((peer, line) -> {
      arrivals.add(line);
      if (line.startsWith("HELLO") && greetings.incrementAndGet() == 2) {
        // The reconnect: no greeting until the test has typed its lines, so the client stays RECONNECTING.
        try {
          typed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ScriptedServer.standardModern(peer, line);
    });
    Process p = new ProcessBuilder(Tmux.obrolChat("--name", "alice", "--reconnect-attempts", "3", "127.0.0.1",
        Integer.toString(server.port()))).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    resources.add(() -> p.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
    BlockingQueue<String> stderr = lines(p.getErrorStream());
    OutputStream stdin = p.getOutputStream();

    awaitLine(stderr, "-- connected to ");
    type(stdin, "before the drop\n");
    awaitLine(arrivals, "SEND before the drop");

    server.peers.get(0).close();
    awaitLine(stderr, "! disconnected: ");
    type(stdin, "first while away\n");
    awaitLine(stderr, "-- reconnecting; will send after the login (1 waiting)");
    type(stdin, "second while away\n");
    awaitLine(stderr, "-- reconnecting; will send after the login (2 waiting)");
    typed.countDown();

    awaitLine(stderr, "-- reconnected as alice");
    type(stdin, "after the reconnect\n");
    awaitLine(arrivals, "SEND after the reconnect");
    stdin.close(); // end of input: QUIT
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "obrol-chat did not exit at end of input");

    // Everything the server received, across both connections, in order: each line exactly once.
    assertEquals(List.of("HELLO obrol/1", "LOGIN alice", "SEND before the drop",
        "HELLO obrol/1", "LOGIN alice", "SEND first while away", "SEND second while away", "SEND after the reconnect",
        "QUIT"), new ArrayList<>(server.received));
  }

  private static void type(OutputStream stdin, String text) throws IOException {
    stdin.write(text.getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  private static BlockingQueue<String> lines(InputStream stream) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "obrol-chat-stderr");
    pump.setDaemon(true);
    pump.start();
    return lines;
  }

  /** Waits for a line starting with {@code prefix}, skipping (taking) others; bounded by {@link #WAIT}. */
  private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> seen = new ArrayList<>();
    for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      String line = lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      if (line.startsWith(prefix)) {
        return line;
      }
      seen.add(line);
    }
    throw new AssertionError("no line starting with \"" + prefix + "\" within " + WAIT + "; saw " + seen);
  }
}
