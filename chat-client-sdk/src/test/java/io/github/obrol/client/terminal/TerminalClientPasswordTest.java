package io.github.obrol.client.terminal;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.TlsConfig;
import io.github.obrol.server.auth.PasswordFile;
import io.github.obrol.testkit.Tmux;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README "Run it securely", step 4, in a real terminal (tmux): {@code obrol-chat --ca cert --user alice} against
 * the reference server with TLS and required authentication asks for the password without echo and logs in.
 */
@Timeout(180)
class TerminalClientPasswordTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  @Test
  @DisplayName("--ca --user: the password prompt does not echo; the login over TLS succeeds; a wrong one is one line")
  void passwordPromptOverTls() throws Exception {
    Tmux.assumeAvailable();
    TestCertificates certificates = TestCertificates.shared(TestCertificates.Kind.VALID);
    Path passwords = tmp.resolve("passwords");
    PasswordFile.put(passwords, "alice", "s3cret-pw".toCharArray(), PasswordFile.MIN_ITERATIONS);
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).nativeTransport(false)
        .tls(TlsConfig.pkcs12(certificates.keystore(), certificates.keystorePassword().toCharArray()))
        .requireTls(true).requireAuth(true).addCredentialVerifier(PasswordFile.load(passwords)).build();
    server.start().get(30, TimeUnit.SECONDS);
    String port = Integer.toString(server.localAddress().getPort());
    try (Tmux tmux = Tmux.start(tmp, Tmux.obrolChat("--ca", certificates.caPem().toString(), "--user", "alice",
        "localhost", port))) {
      tmux.await(s -> s.contains("password for alice:"), WAIT);
      tmux.keys("s3cret-pw", "Enter");
      tmux.await(s -> s.contains("-- connected to localhost:" + port + " as alice") && s.contains("TLS, authenticated"),
          WAIT);
      assertFalse(tmux.pane().contains("s3cret-pw"), tmux.pane());
    }
    try (Tmux tmux = Tmux.start(tmp, Tmux.obrolChat("--ca", certificates.caPem().toString(),
        "--user", "alice", "localhost", port))) {
      tmux.await(s -> s.contains("password for alice:"), WAIT);
      tmux.keys("not-it", "Enter");
      tmux.await(s -> s.contains("authentication failed: wrong account or password"), WAIT);
      assertFalse(tmux.pane().contains("not-it"), tmux.pane());
    } finally {
      server.shutdownGracefully(Duration.ofSeconds(2)).exceptionally(t -> null).get(30, TimeUnit.SECONDS);
    }
  }
}
