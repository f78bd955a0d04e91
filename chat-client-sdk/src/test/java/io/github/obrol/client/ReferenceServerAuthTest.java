package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.RecordingListener;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.TlsConfig;
import io.github.obrol.server.auth.JwtVerifier;
import io.github.obrol.server.auth.PasswordFile;
import io.github.obrol.testkit.Verifies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the reference server with TLS and required authentication (PROTOCOL.md section 8):
 * password and token logins, refusals as {@link AuthenticationException}s, and a reconnect that authenticates
 * again (with a fresh token). Certificates and the password file are made at test time.
 */
@Timeout(120)
class ReferenceServerAuthTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** An HS256 key of 32 bytes, made up for this test. */
  private static final byte[] JWT_SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;
  private TestCertificates certificates;
  private ChatServer server;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    certificates = TestCertificates.shared(TestCertificates.Kind.VALID);
    Path passwords = tmp.resolve("passwords");
    PasswordFile.put(passwords, "alice", "s3cret".toCharArray(), PasswordFile.MIN_ITERATIONS);
    server = ChatServer.builder().bindAddress("127.0.0.1").port(0).nativeTransport(false)
        .tls(TlsConfig.pkcs12(certificates.keystore(), certificates.keystorePassword().toCharArray()))
        .requireAuth(true)
        .addCredentialVerifier(PasswordFile.load(passwords))
        .addCredentialVerifier(JwtVerifier.hmac(JWT_SECRET))
        .build();
    server.start().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    server.shutdownGracefully(Duration.ofSeconds(2)).exceptionally(t -> null).get(30, TimeUnit.SECONDS);
  }

  private ChatClient.Builder client(String name, int port) {
    return ChatClient.builder().address("localhost", port).username(name)
        .tls(ClientTls.trusting(certificates.caPem()));
  }

  private ChatClient track(ChatClient client) {
    resources.add(() -> client.abort().get(10, TimeUnit.SECONDS));
    return client;
  }

  private int port() {
    return server.localAddress().getPort();
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  /** A compact HS256 JWT for {@code sub}, written from RFC 7519 by hand (no library, no server code). */
  static String jwt(String sub, Instant expires) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"exp\":" + expires.getEpochSecond() + "}")
        .getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(JWT_SECRET, "HmacSHA256"));
    String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
    return header + "." + payload + "." + signature;
  }

  @Test
  @Verifies({"AUTH-4", "AUTH-8"})
  @DisplayName("password over TLS: AUTH PLAIN, then LOGIN; requests answered")
  void passwordLogin() throws Exception {
    ChatClient alice = track(client("alice", port())
        .credentials(Credentials.password("alice", "s3cret".toCharArray())).build());
    alice.connect().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("alice"), alice.listUsers().get(30, TimeUnit.SECONDS));
  }

  @Test
  @Verifies("AUTH-5")
  @DisplayName("a wrong password: AuthenticationException AUTH_FAILED, and the client is closed")
  void wrongPassword() throws Exception {
    ChatClient alice = track(client("alice", port())
        .credentials(Credentials.password("alice", "wrong".toCharArray())).build());
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(alice.connect()));
    assertEquals(ErrorCode.AUTH_FAILED, e.code());
    assertEquals(ChatClient.State.CLOSED, alice.state());
  }

  @Test
  @Verifies({"AUTH-4", "AUTH-14"})
  @DisplayName("SCRAM-SHA-256 over TLS and over plain text (no allowCredentialsWithoutTls needed); a wrong password: AUTH_FAILED")
  void scramLogin() throws Exception {
    ChatClient overTls = track(client("alice", port()).credentials(Credentials.scram("alice", "s3cret".toCharArray())).build());
    overTls.connect().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("alice"), overTls.listUsers().get(30, TimeUnit.SECONDS));
    overTls.closeAsync().get(30, TimeUnit.SECONDS);
    ChatClient plainText = track(ChatClient.builder().address("127.0.0.1", port()).username("Alice")
        .credentials(Credentials.scram("ALICE", "s3cret".toCharArray())).build());
    plainText.connect().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("Alice"), plainText.listUsers().get(30, TimeUnit.SECONDS));
    ChatClient wrong = track(client("alice", port()).credentials(Credentials.scram("alice", "wrong".toCharArray())).build());
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(wrong.connect()));
    assertEquals(ErrorCode.AUTH_FAILED, e.code());
    assertEquals(ChatClient.State.CLOSED, wrong.state());
  }

  @Test
  @Verifies("AUTH-10")
  @DisplayName("no credentials on a server that requires them: AUTH_REQUIRED; another account's name: NAME_NOT_ALLOWED")
  void requiredAndNotAllowed() throws Exception {
    ChatClient anonymous = track(client("alice", port()).build());
    assertEquals(ErrorCode.AUTH_REQUIRED,
        assertInstanceOf(AuthenticationException.class, failure(anonymous.connect())).code());
    ChatClient impostor = track(client("bob", port())
        .credentials(Credentials.password("alice", "s3cret".toCharArray())).build());
    assertEquals(ErrorCode.NAME_NOT_ALLOWED,
        assertInstanceOf(AuthenticationException.class, failure(impostor.connect())).code());
  }

  @Test
  @Verifies("AUTH-8")
  @DisplayName("a token (HS256 JWT, sub=bob) logs bob in; an expired one is refused with AUTH_FAILED")
  void tokenLogin() throws Exception {
    String fresh = jwt("bob", Instant.now().plusSeconds(600));
    ChatClient bob = track(client("bob", port()).credentials(Credentials.token(() -> fresh)).build());
    bob.connect().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("bob"), bob.listUsers().get(30, TimeUnit.SECONDS));
    String expired = jwt("carol", Instant.now().minusSeconds(600));
    ChatClient carol = track(client("carol", port()).credentials(Credentials.token(() -> expired)).build());
    assertEquals(ErrorCode.AUTH_FAILED,
        assertInstanceOf(AuthenticationException.class, failure(carol.connect())).code());
  }

  @Test
  @DisplayName("a lost connection: the client reconnects and authenticates again, with a token asked for anew")
  void reconnectReauthenticates() throws Exception {
    try (ReconnectNameTakenTest.DroppingProxy proxy = new ReconnectNameTakenTest.DroppingProxy(server.localAddress())) {
      AtomicInteger asked = new AtomicInteger();
      RecordingListener events = new RecordingListener();
      ChatClient bob = track(client("bob", proxy.port()).listener(events)
          .reconnectPolicy(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 10))
          .credentials(Credentials.token(() -> {
            asked.incrementAndGet();
            try {
              return jwt("bob", Instant.now().plusSeconds(600));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          })).build());
      bob.connect().get(30, TimeUnit.SECONDS);
      events.await("connected", WAIT);
      assertEquals(1, asked.get());
      proxy.closeFirstServerSide(); // the server sees the close and frees the name; the client sees it too
      events.await(e -> e.startsWith("disconnected"), WAIT);
      events.await("connected", WAIT);
      assertTrue(asked.get() >= 2, "the token supplier was asked again: " + asked.get());
      // The new connection is logged in as bob: the server answers its requests.
      assertEquals(List.of("bob"), bob.listUsers().get(30, TimeUnit.SECONDS));
      events.assertNoViolations();
    }
  }
}
