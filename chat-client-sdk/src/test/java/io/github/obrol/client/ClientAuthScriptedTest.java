package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's side of AUTH (PROTOCOL.md section 8) against scripted peers: the exact lines it sends, what
 * each refusal becomes, and that a reconnect authenticates again with a fresh token. Plain text with
 * {@link ChatClient.Builder#allowCredentialsWithoutTls} keeps these fast; {@link ClientTlsTest} covers TLS
 * and ReferenceServerAuthTest the real server.
 */
@Timeout(30)
class ClientAuthScriptedTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String GREETING = "OK HELLO obrol/1 maxline=4096 maxname=32 idle=0 auth=PLAIN,TOKEN authreq=1";
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private ScriptedServer server(ScriptedServer.Script script) throws Exception {
    ScriptedServer server = new ScriptedServer(script);
    resources.add(server);
    return server;
  }

  private ChatClient client(ScriptedServer server, Credentials credentials, RecordingListener listener,
      ReconnectPolicy policy) {
    ChatClient client = ChatClient.builder().address("127.0.0.1", server.port()).username("alice")
        .credentials(credentials).allowCredentialsWithoutTls(true).listener(listener).reconnectPolicy(policy)
        .build();
    resources.add(() -> client.abort().get(10, TimeUnit.SECONDS));
    return client;
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  /** A server that requires AUTH: PLAIN accepts only "\0alice\0s3cret", TOKEN only tokens starting "good". */
  private static void authServer(ScriptedServer.Peer peer, String line) throws java.io.IOException {
    if (line.startsWith("HELLO")) {
      peer.send(GREETING);
    } else if (line.equals("AUTH PLAIN AGFsaWNlAHMzY3JldA==") || line.startsWith("AUTH TOKEN good")) {
      peer.send("OK AUTH alice");
    } else if (line.startsWith("AUTH ")) {
      peer.send("ERR AUTH_FAILED authentication failed");
    } else if (line.startsWith("LOGIN")) {
      peer.send("OK LOGIN alice");
    } else {
      ScriptedServer.standardModern(peer, line);
    }
  }

  @Test
  @DisplayName("AUTH-8: PLAIN sends base64(NUL alice NUL s3cret) after the greeting, LOGIN after OK AUTH")
  void plainLinesInOrder() throws Exception {
    ScriptedServer server = server(ClientAuthScriptedTest::authServer);
    ChatClient client = client(server, Credentials.password("alice", "s3cret".toCharArray()), new RecordingListener(),
        ReconnectPolicy.disabled());
    client.connect().get(10, TimeUnit.SECONDS);
    // Literal bytes from PROTOCOL.md section 8's example: AGFsaWNlAHMzY3JldA== is NUL alice NUL s3cret.
    assertEquals("HELLO obrol/1", server.received.poll(10, TimeUnit.SECONDS));
    assertEquals("AUTH PLAIN AGFsaWNlAHMzY3JldA==", server.received.poll(10, TimeUnit.SECONDS));
    assertEquals("LOGIN alice", server.received.poll(10, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("AUTH-5: ERR AUTH_FAILED fails the connect with AuthenticationException; no LOGIN is sent")
  void wrongPassword() throws Exception {
    ScriptedServer server = server(ClientAuthScriptedTest::authServer);
    ChatClient client = client(server, Credentials.password("alice", "wrong".toCharArray()), new RecordingListener(),
        ReconnectPolicy.disabled());
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(client.connect()));
    assertEquals(ErrorCode.AUTH_FAILED, e.code());
    assertFalse(e.getMessage().contains("wrong"), e.getMessage());
    assertEquals("HELLO obrol/1", server.received.poll(10, TimeUnit.SECONDS));
    assertTrue(server.received.poll(10, TimeUnit.SECONDS).startsWith("AUTH PLAIN "));
    // The connection was closed after the refusal: nothing else arrives (the reader sees end of input).
    assertNull(server.received.poll(200, TimeUnit.MILLISECONDS));
  }

  @Test
  @DisplayName("AUTH-2: a greeting without the mechanism fails with AUTH_UNSUPPORTED before any secret is sent")
  void mechanismNotOffered() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      if (line.startsWith("HELLO")) {
        peer.send("OK HELLO obrol/1 maxline=4096 maxname=32 idle=0 auth=TOKEN");
      } else {
        ScriptedServer.standardModern(peer, line);
      }
    });
    ChatClient client = client(server, Credentials.password("alice", "s3cret".toCharArray()), new RecordingListener(),
        ReconnectPolicy.disabled());
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(client.connect()));
    assertEquals(ErrorCode.AUTH_UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("auth=TOKEN"), e.getMessage());
    assertEquals("HELLO obrol/1", server.received.poll(10, TimeUnit.SECONDS));
    assertNull(server.received.poll(200, TimeUnit.MILLISECONDS));
  }

  @Test
  @DisplayName("AUTH-10: LOGIN without credentials on authreq=1 fails with AuthenticationException AUTH_REQUIRED")
  void authRequired() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      if (line.startsWith("HELLO")) {
        peer.send(GREETING);
      } else if (line.startsWith("LOGIN")) {
        peer.send("ERR AUTH_REQUIRED log in with AUTH first");
      }
    });
    ChatClient client = ChatClient.builder().address("127.0.0.1", server.port()).username("alice").build();
    resources.add(() -> client.abort().get(10, TimeUnit.SECONDS));
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(client.connect()));
    assertEquals(ErrorCode.AUTH_REQUIRED, e.code());
  }

  @Test
  @DisplayName("AUTH-10: NAME_NOT_ALLOWED answering LOGIN is an AuthenticationException")
  void nameNotAllowed() throws Exception {
    ScriptedServer server = server((peer, line) -> {
      if (line.startsWith("LOGIN")) {
        peer.send("ERR NAME_NOT_ALLOWED account bob may not use the name alice");
      } else if (line.startsWith("AUTH")) {
        peer.send("OK AUTH bob");
      } else {
        authServer(peer, line);
      }
    });
    ChatClient client = client(server, Credentials.password("bob", "x".toCharArray()), new RecordingListener(),
        ReconnectPolicy.disabled());
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(client.connect()));
    assertEquals(ErrorCode.NAME_NOT_ALLOWED, e.code());
  }

  @Test
  @DisplayName("a reconnect authenticates again, asking the token supplier for a fresh token")
  void reconnectReauthenticatesWithFreshToken() throws Exception {
    AtomicInteger logins = new AtomicInteger();
    ScriptedServer server = server((peer, line) -> {
      authServer(peer, line);
      if (line.startsWith("LOGIN") && logins.incrementAndGet() == 1) {
        peer.close(); // drop the first connection once logged in
      }
    });
    AtomicInteger tokens = new AtomicInteger();
    RecordingListener listener = new RecordingListener();
    ChatClient client = client(server, Credentials.token(() -> "good-" + tokens.incrementAndGet()), listener,
        ReconnectPolicy.exponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 3));
    client.connect().get(10, TimeUnit.SECONDS);
    listener.await(e -> e.startsWith("disconnected"), WAIT);
    listener.await(e -> e.startsWith("connected"), WAIT);
    assertEquals(List.of("HELLO obrol/1", "AUTH TOKEN good-1", "LOGIN alice", "HELLO obrol/1", "AUTH TOKEN good-2",
        "LOGIN alice"), drain(server, 6));
    assertEquals(List.of("alice"), client.listUsers().get(10, TimeUnit.SECONDS));
    listener.assertNoViolations();
  }

  @Test
  @DisplayName("a token supplier that throws fails the connect with AUTH_FAILED; nothing secret in the message")
  void supplierThrows() throws Exception {
    ScriptedServer server = server(ClientAuthScriptedTest::authServer);
    ChatClient client = client(server, Credentials.token(() -> {
      throw new IllegalStateException("token service down: key=SECRET123");
    }), new RecordingListener(), ReconnectPolicy.disabled());
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(client.connect()));
    assertEquals(ErrorCode.AUTH_FAILED, e.code());
    assertFalse(e.getMessage().contains("SECRET123"), e.getMessage());
  }

  private static List<String> drain(ScriptedServer server, int count) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String line = server.received.poll(10, TimeUnit.SECONDS);
      if (line == null) {
        break;
      }
      lines.add(line);
    }
    return lines;
  }
}
