package io.github.obrol.server.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.TlsConfig;
import io.github.obrol.server.auth.PasswordFile;
import io.github.obrol.server.testing.LineClient;
import io.github.obrol.server.testing.OriginalPrograms;
import io.github.obrol.testkit.Tmux;
import io.github.obrol.testkit.Verifies;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS-1 with the unchanged original chatclient.py: on a port that also serves TLS and authentication (with
 * {@code classicOpen}), it logs in and chats in plain text with a TLS user. Skips where Python 2 or tmux is absent.
 */
@Timeout(120)
class OriginalClientOverTlsPortTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  @Verifies({"TLS-1", "AUTH-12"})
  @DisplayName("TLS-1 AUTH-12: the original client chats in plain text on a TLS port, with a TLS user who authenticated")
  void originalClientBesideTls(@TempDir Path dir) throws Exception {
    Optional<Path> script = OriginalPrograms.client();
    assumeTrue(script.isPresent(), "chatclient.py not found in " + OriginalPrograms.seedDir());
    assumeTrue(OriginalPrograms.hasTmux(), "tmux is not installed");
    Optional<List<String>> python = OriginalPrograms.python2();
    assumeTrue(python.isPresent(), "Python 2 is not available");
    TlsFixture f = new TlsFixture(dir);
    Path passwords = dir.resolve("passwords.txt");
    PasswordFile.put(passwords, "secure_s", "pw-for-secure".toCharArray(), 1_000);
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).tls(TlsConfig.pem(f.cert, f.key))
        .addCredentialVerifier(PasswordFile.load(passwords)).requireAuth(true).classicOpen(true).build()) {
      InetSocketAddress address = server.start().join();
      try (LineClient secure = TlsFixture.tlsHello(address, f.trusting)) {
        secure.send("AUTH PLAIN " + TlsFixture.plain("secure_s", "pw-for-secure") + "\n");
        secure.expect("OK AUTH secure_s");
        secure.send("LOGIN secure_s\n");
        secure.expect("OK LOGIN secure_s");
        List<String> cmd = new ArrayList<>(python.get());
        cmd.addAll(List.of(script.get().toString(), "127.0.0.1", Integer.toString(address.getPort())));
        try (Tmux tmux = Tmux.start(dir, cmd)) {
          tmux.await(p -> p.contains("Ketikkan kata login"), WAIT);
          tmux.keys("login", "Enter");
          tmux.await(p -> p.contains("Masukkan nama anda"), WAIT);
          tmux.keys("orig", "Enter");
          tmux.await(p -> p.contains("Silahkan mulai mengirim pesan"), WAIT);
          secure.expect("JOIN orig");
          tmux.keys("sendall hello over the same port", "Enter");
          secure.expect("MSG orig hello over the same port");
          secure.send("SENDTO orig hi from tls\n");
          secure.expect("OK SENDTO orig");
          tmux.await(p -> p.contains("secure_s says hi from tls"), WAIT);
        }
        secure.skipUntil("LEFT orig DISCONNECTED");
      }
    }
  }
}
