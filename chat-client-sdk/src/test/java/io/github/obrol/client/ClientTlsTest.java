package io.github.obrol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.protocol.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClientTls}: the client trusts a PEM CA, verifies host names, and refuses expired, wrong-host and
 * untrusted certificates with a {@link TlsException} that says which. Certificates are made at test time
 * ({@link TestCertificates}); the server is a scripted TLS peer, so these tests need no server module.
 */
@Timeout(120)
class ClientTlsTest {
  @TempDir static Path certificates;
  static TestCertificates valid;
  static TestCertificates expired;
  static TestCertificates otherHost;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeAll
  static void generate() throws Exception {
    valid = TestCertificates.shared(TestCertificates.Kind.VALID);
    expired = TestCertificates.shared(TestCertificates.Kind.EXPIRED);
    otherHost = TestCertificates.shared(TestCertificates.Kind.OTHER_HOST);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private ScriptedServer tlsServer(TestCertificates certs) throws Exception {
    ScriptedServer server = new ScriptedServer(ScriptedServer::standardModern, certs.serverContext());
    resources.add(server);
    return server;
  }

  private ChatClient client(String host, ScriptedServer server, ClientTls tls) {
    ChatClient client = ChatClient.builder().address(host, server.port()).username("alice").tls(tls).build();
    resources.add(() -> client.abort().get(10, TimeUnit.SECONDS));
    return client;
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  @DisplayName("a server whose certificate a PEM CA signed: connected over TLS, requests answered")
  void trustsPemCa() throws Exception {
    ScriptedServer server = tlsServer(valid);
    ChatClient client = client("localhost", server, ClientTls.trusting(valid.caPem()));
    client.connect().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("alice"), client.listUsers().get(30, TimeUnit.SECONDS));
    // The scripted server read the greeting through TLS, so the bytes were decrypted on its side.
    assertEquals("HELLO obrol/1", server.received.poll(10, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("an IP address the certificate names (SAN ip:127.0.0.1) verifies too")
  void verifiesIpAddressSan() throws Exception {
    ScriptedServer server = tlsServer(valid);
    ChatClient client = client("127.0.0.1", server, ClientTls.trusting(valid.caPem()));
    client.connect().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("an expired certificate: TlsException CERTIFICATE_EXPIRED, and the message says expired")
  void refusesExpired() throws Exception {
    ScriptedServer server = tlsServer(expired);
    ChatClient client = client("localhost", server, ClientTls.trusting(expired.caPem()));
    TlsException e = assertInstanceOf(TlsException.class, failure(client.connect()));
    assertEquals(TlsException.Reason.CERTIFICATE_EXPIRED, e.reason());
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
    assertEquals(ChatClient.State.CLOSED, client.state());
  }

  @Test
  @DisplayName("a certificate for another host: TlsException HOSTNAME_MISMATCH naming the host")
  void refusesWrongHost() throws Exception {
    ScriptedServer server = tlsServer(otherHost);
    ChatClient client = client("localhost", server, ClientTls.trusting(otherHost.caPem()));
    TlsException e = assertInstanceOf(TlsException.class, failure(client.connect()));
    assertEquals(TlsException.Reason.HOSTNAME_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("localhost"), e.getMessage());
  }

  @Test
  @DisplayName("host name verification turned off: the wrong-host certificate is accepted (its CA is trusted)")
  void hostnameVerificationCanBeTurnedOff() throws Exception {
    ScriptedServer server = tlsServer(otherHost);
    ChatClient client = client("localhost", server,
        ClientTls.trusting(otherHost.caPem()).withHostnameVerification(false));
    client.connect().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a CA the client does not trust (the JVM's default store): UNTRUSTED_CERTIFICATE")
  void refusesUntrusted() throws Exception {
    ScriptedServer server = tlsServer(valid);
    ChatClient client = client("localhost", server, ClientTls.systemDefault());
    TlsException e = assertInstanceOf(TlsException.class, failure(client.connect()));
    assertEquals(TlsException.Reason.UNTRUSTED_CERTIFICATE, e.reason());
  }

  @Test
  @DisplayName("the caller's SSLContext is used as given")
  void usesCallersContext() throws Exception {
    ScriptedServer server = tlsServer(valid);
    ChatClient client = client("localhost", server, ClientTls.using(valid.clientContext()));
    client.connect().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a CA file that holds no certificate: IllegalArgumentException naming the file")
  void badCaFile() throws Exception {
    Path notPem = Files.writeString(certificates.resolve("not-a-cert.pem"), "hello\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientTls.trusting(notPem));
    assertTrue(e.getMessage().contains("not-a-cert.pem"), e.getMessage());
  }

  @Test
  @DisplayName("credentials without TLS are refused by build() unless explicitly allowed")
  void credentialsNeedTls() {
    ChatClient.Builder builder = ChatClient.builder().address("localhost", 9009).username("alice")
        .credentials(Credentials.password("alice", "secret".toCharArray()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().startsWith("credentials: PLAIN without tls"), e.getMessage());
    builder.allowCredentialsWithoutTls(true).build();
    assertTrue(!Credentials.password("alice", "secret".toCharArray()).toString().contains("secret"));
  }
}
