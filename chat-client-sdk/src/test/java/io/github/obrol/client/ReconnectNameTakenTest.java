package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.client.testing.TestResources;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.server.ChatServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 10: after a network drop the server still holds the old connection and its name, so a
 * reconnect is answered NAME_TAKEN (GEN-NAME-4) until the server notices. The client retries that for
 * the policy's window, without using up maxAttempts, then gives up with a clear reason; a first login's
 * NAME_TAKEN stays final.
 */
@Timeout(60)
class ReconnectNameTakenTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension final TestResources resources = new TestResources();

  /** Fast backoff; only two ordinary attempts, so that more NAME_TAKEN retries prove they are not counted. */
  private static ReconnectPolicy policy(Duration window) {
    return new ReconnectPolicy(2, Duration.ofMillis(10), Duration.ofMillis(40), 2.0, 0.0)
        .withNameTakenRetryWindow(window);
  }

  /** A scripted server: the first login succeeds, the connection drops at LIST, then {@code refusals} NAME_TAKENs. */
  private ScriptedServer dropThenRefuse(int refusals) throws IOException {
    AtomicInteger logins = new AtomicInteger();
    ScriptedServer server = new ScriptedServer((peer, line) -> {
      if (line.startsWith("LOGIN ")) {
        int n = logins.incrementAndGet();
        if (n > 1 && n <= 1 + refusals) {
          peer.send("ERR NAME_TAKEN the name " + line.substring(6) + " is in use");
          return;
        }
      }
      if (line.equals("LIST") && logins.get() == 1) {
        peer.close(); // the network drop: no BYE, no QUIT
        return;
      }
      ScriptedServer.standardModern(peer, line);
    });
    resources.add(server);
    return server;
  }

  private ChatClient connected(int port, RecordingListener events, ReconnectPolicy policy) throws Exception {
    ChatClient client = resources.client(ChatClient.builder().address("127.0.0.1", port).username("alice").listener(events)
        .reconnectPolicy(policy));
    client.connect().get(10, TimeUnit.SECONDS);
    return client;
  }

  @Test
  @DisplayName("GEN-NAME-4: NAME_TAKEN answering a reconnect is retried within the window, beyond maxAttempts")
  void retriedWithinWindow() throws Exception {
    ScriptedServer server = dropThenRefuse(3);
    RecordingListener events = new RecordingListener();
    ChatClient client = connected(server.port(), events, policy(Duration.ofSeconds(30)));
    client.listUsers(); // dropped by the server
    events.await("disconnected ConnectionLostException willReconnect=true", WAIT);
    for (int i = 0; i < 3; i++) {
      events.await("disconnected NameTakenException willReconnect=true", WAIT);
    }
    events.await("connected", WAIT);
    assertEquals(List.of("alice"), client.listUsers().get(10, TimeUnit.SECONDS));
    assertEquals(5, server.peers.size(), "one first connection and four reconnects");
    events.assertNoViolations();
  }

  @Test
  @DisplayName("GEN-NAME-4: past the window the client closes with NameTakenException, duringReconnect() true")
  void givesUpAfterWindow() throws Exception {
    ScriptedServer server = dropThenRefuse(1_000_000);
    RecordingListener events = new RecordingListener();
    AtomicReference<Throwable> closedWith = new AtomicReference<>();
    events.onDisconnect = d -> closedWith.set(d.cause());
    ChatClient client = connected(server.port(), events, policy(Duration.ofMillis(300)));
    client.listUsers();
    events.await("disconnected ConnectionLostException willReconnect=true", WAIT);
    events.await("disconnected NameTakenException willReconnect=false", WAIT);
    events.await("closed NameTakenException", WAIT);
    NameTakenException reason = assertInstanceOf(NameTakenException.class, closedWith.get());
    assertTrue(reason.duringReconnect());
    assertTrue(reason.getMessage().contains("the name alice was still taken 300 ms after the connection was lost"),
        reason.getMessage());
    assertTrue(server.peers.size() >= 3, "retried at least once: " + server.peers.size() + " connections");
    assertEquals(ChatClient.State.CLOSED, client.state());
  }

  @Test
  @DisplayName("GEN-NAME-4: NAME_TAKEN answering a first login stays final, whatever the policy")
  void firstLoginIsFinal() throws Exception {
    ScriptedServer server = new ScriptedServer((peer, line) -> {
      if (line.startsWith("LOGIN ")) {
        peer.send("ERR NAME_TAKEN in use");
      } else {
        ScriptedServer.standardModern(peer, line);
      }
    });
    resources.add(server);
    RecordingListener events = new RecordingListener();
    ChatClient client = resources.client(ChatClient.builder().address("127.0.0.1", server.port()).username("alice").listener(events)
        .reconnectPolicy(policy(Duration.ofSeconds(30))));
    ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect().get(10, TimeUnit.SECONDS));
    NameTakenException taken = assertInstanceOf(NameTakenException.class, e.getCause());
    assertTrue(!taken.duringReconnect());
    events.await("closed NameTakenException", WAIT);
    assertEquals(1, server.peers.size());
  }

  @Test
  @DisplayName("GEN-NAME-4, GEN-NAME-5 against the reference server: a drop it has not noticed, then it notices")
  void referenceServerAfterSilentDrop() throws Exception {
    for (Dialect dialect : Dialect.values()) {
      ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).nativeTransport(false).build();
      server.start().get(10, TimeUnit.SECONDS);
      resources.add(() -> server.shutdownGracefully(Duration.ofSeconds(2)).exceptionally(t -> null)
          .get(10, TimeUnit.SECONDS));
      DroppingProxy proxy = new DroppingProxy(server.localAddress());
      resources.add(proxy);
      RecordingListener events = new RecordingListener();
      ChatClient client = resources.client(ChatClient.builder().address("127.0.0.1", proxy.port()).username("alice")
          .dialect(dialect).classicQuietPeriod(Duration.ofMillis(20)).listener(events)
          .reconnectPolicy(policy(Duration.ofSeconds(30))));
      client.connect().get(10, TimeUnit.SECONDS);

      proxy.dropClientSides(); // the client sees its connection end; the server still holds alice
      events.await("disconnected ConnectionLostException willReconnect=true", WAIT);
      events.await("disconnected NameTakenException willReconnect=true", WAIT);
      proxy.closeFirstServerSide(); // the server notices the old connection is gone and frees the name
      events.await("connected", WAIT);
      assertEquals(List.of("alice"), client.listUsers().get(10, TimeUnit.SECONDS), dialect.name());
      events.assertNoViolations();
    }
  }

  /**
   * A TCP proxy on loopback that can end the client's side of its connections while keeping the server's
   * side open: to the server, the user is still there, as after a network drop it has not noticed yet.
   */
  static final class DroppingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Socket[]> pairs = new CopyOnWriteArrayList<>();

    DroppingProxy(InetSocketAddress upstream) throws IOException {
      this.upstream = upstream;
      this.listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread t = new Thread(this::acceptLoop, "dropping-proxy-accept");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    void dropClientSides() throws IOException {
      for (Socket[] pair : pairs) {
        pair[0].close();
      }
    }

    void closeFirstServerSide() throws IOException {
      pairs.get(0)[1].close();
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket client = listener.accept();
          Socket server = new Socket(upstream.getAddress(), upstream.getPort());
          pairs.add(new Socket[] {client, server});
          pump(client, server, false);
          pump(server, client, true);
        } catch (IOException e) {
          return;
        }
      }
    }

    /** Copies bytes; when the client side ends, the server side is left open (the silent drop). */
    private static void pump(Socket from, Socket to, boolean closeTargetAtEnd) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream()) {
          OutputStream out = to.getOutputStream();
          for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
          }
        } catch (IOException e) {
          // one side closed
        }
        if (closeTargetAtEnd) {
          try {
            to.close();
          } catch (IOException e) {
            // already closed
          }
        }
      }, "dropping-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket[] pair : pairs) {
        pair[0].close();
        pair[1].close();
      }
    }
  }
}
