package io.github.obrol.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.TlsConfig;
import io.github.obrol.server.testing.LineClient;
import io.github.obrol.testkit.Verifies;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the chat port (PROTOCOL.md section 8.1), over real sockets, with certificates made at test time. */
@Timeout(60)
class TlsTransportTest {
  @TempDir
  static Path dir;
  static TlsFixture f;

  @BeforeAll
  static void certificates() throws Exception {
    f = new TlsFixture(dir);
  }

  private static ChatServer start(ChatServer.Builder b) {
    ChatServer s = b.bindAddress("127.0.0.1").port(0).build();
    s.start().join();
    return s;
  }

  @Test
  @Verifies({"TLS-1"})
  @DisplayName("TLS-1: TLS, modern plain text and classic plain text share one port and chat with each other")
  void tlsAndPlainOnOnePort() throws Exception {
    try (ChatServer server = start(ChatServer.builder().tls(TlsConfig.pem(f.cert, f.key)))) {
      InetSocketAddress a = server.localAddress();
      try (LineClient secure = TlsFixture.tlsHello(a, f.trusting);
          LineClient plain = LineClient.modern(a, "plain_p");
          LineClient classic = LineClient.classic(a, "classic_c")) {
        secure.send("LOGIN secure_s\n");
        secure.expect("OK LOGIN secure_s");
        secure.send("SEND over tls\n");
        secure.expect("OK SEND");
        plain.skipUntil("MSG secure_s over tls");
        classic.skipUntil("\rsecure_s says over tls ");
        plain.send("SENDTO secure_s back in clear\n");
        plain.expect("OK SENDTO secure_s");
        secure.expect("PRIV plain_p back in clear");
        SSLSocket s = (SSLSocket) secure.socket();
        assertEquals("TLSv1.3", s.getSession().getProtocol());
      }
    }
  }

  @Test
  @Verifies({"TLS-2"})
  @DisplayName("TLS-2: TLS 1.2 and 1.3 are accepted; a client offering only TLS 1.1 fails the handshake")
  void versions() throws Exception {
    try (ChatServer server = start(ChatServer.builder().tls(TlsConfig.pem(f.cert, f.key)))) {
      InetSocketAddress a = server.localAddress();
      try (LineClient c = TlsFixture.tls(a, f.trusting, "TLSv1.2")) {
        assertEquals("TLSv1.2", ((SSLSocket) c.socket()).getSession().getProtocol());
        String suite = ((SSLSocket) c.socket()).getSession().getCipherSuite();
        assertTrue(suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20")), suite);
        c.send("PING v12\n");
        c.expect("OK PING v12");
      }
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
      // The JDK client refuses TLS 1.1 itself; openssl at security level 0 offers it, so the refusal is the server's.
      Process p = new ProcessBuilder("/usr/bin/openssl", "s_client", "-connect", "127.0.0.1:" + a.getPort(),
          "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0").redirectErrorStream(true).start();
      p.getOutputStream().close();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "openssl s_client did not finish");
      String out = new String(p.getInputStream().readAllBytes());
      assertNotEquals(0, p.exitValue(), out);
      assertFalse(out.contains("Protocol  : TLSv1.1") && out.contains("Cipher is ECDHE"), out);
    }
  }

  @Test
  @Verifies({"TLS-3"})
  @DisplayName("TLS-3: with require-tls, plain text is refused in its dialect and closed; TLS works")
  void requireTls() throws Exception {
    try (ChatServer server = start(ChatServer.builder().tls(TlsConfig.pem(f.cert, f.key)).requireTls(true))) {
      InetSocketAddress a = server.localAddress();
      try (LineClient modern = LineClient.connect(a)) {
        modern.send("HELLO obrol/1\n");
        modern.expect("ERR TLS_REQUIRED this server accepts TLS connections only");
        modern.expect("BYE TLS_REQUIRED this server accepts TLS connections only");
        assertTrue(modern.awaitClosed());
      }
      try (LineClient classic = LineClient.connect(a)) {
        classic.send("alice says alice\n");
        classic.expect("\rthis server requires TLS");
        assertTrue(classic.awaitClosed());
      }
      try (LineClient secure = TlsFixture.tlsHello(a, f.trusting)) {
        secure.send("LOGIN alice\n");
        secure.expect("OK LOGIN alice");
      }
    }
    try (ChatServer server = start(ChatServer.builder().tls(TlsConfig.pem(f.cert, f.key)).requireTls(true)
        .allowPlainLoopback(true))) {
      try (LineClient plain = LineClient.modern(server.localAddress(), "loopback_l")) {
        plain.send("PING x\n");
        plain.expect("OK PING x");
      }
    }
    assertThrows(IllegalStateException.class, () -> ChatServer.builder().requireTls(true).build());
  }

  @Test
  @Verifies({"TLS-1", "TLS-4"})
  @DisplayName("TLS-4: a new certificate is used for new handshakes, on request and on file change; connections stay")
  void reload() throws Exception {
    Path cert = Files.copy(f.cert, dir.resolve("reload-cert.pem"));
    Path key = Files.copy(f.key, dir.resolve("reload-key.pem"));
    TlsConfig tls = TlsConfig.pem(cert, key).withReloadCheckInterval(Duration.ofMillis(200));
    try (ChatServer server = start(ChatServer.builder().tls(tls))) {
      InetSocketAddress a = server.localAddress();
      try (LineClient old = TlsFixture.tlsHello(a, f.trusting)) {
        assertEquals("CN=first", peerName(old));
        old.send("LOGIN old_o\n");
        old.expect("OK LOGIN old_o");

        TestCertificates.Issued second = TestCertificates.server(f.ca, "second", Instant.now().minusSeconds(60), Duration.ofDays(1));
        TestCertificates.writeCertificates(cert, second.certificate(), f.ca.certificate());
        TestCertificates.writeKey(key, second.keys().getPrivate());
        assertTrue(server.reloadTls().get(10, TimeUnit.SECONDS));
        try (LineClient fresh = TlsFixture.tlsHello(a, f.trusting)) {
          assertEquals("CN=second", peerName(fresh));
        }

        // A file change alone: the periodic check picks it up (polled, bounded).
        TestCertificates.Issued third = TestCertificates.server(f.ca, "third", Instant.now().minusSeconds(60), Duration.ofDays(1));
        TestCertificates.writeKey(key, third.keys().getPrivate());
        TestCertificates.writeCertificates(cert, third.certificate(), f.ca.certificate());
        Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String seen = "";
        while (System.nanoTime() < deadline && !seen.equals("CN=third")) {
          try (LineClient probe = TlsFixture.tlsHello(a, f.trusting)) {
            seen = peerName(probe);
          }
        }
        assertEquals("CN=third", seen);

        // A broken file is not loaded; the last good certificate stays in use.
        Files.writeString(key, "not a key");
        assertFalse(server.reloadTls().get(10, TimeUnit.SECONDS));
        try (LineClient after = TlsFixture.tlsHello(a, f.trusting)) {
          assertEquals("CN=third", peerName(after));
        }

        old.send("PING still\n");
        old.expect("OK PING still");
      }
    }
  }

  private static String peerName(LineClient c) throws IOException {
    X509Certificate leaf = (X509Certificate) ((SSLSocket) c.socket()).getSession().getPeerCertificates()[0];
    return leaf.getSubjectX500Principal().getName();
  }

  @Test
  @Verifies({"TLS-1"})
  @DisplayName("TLS-1: a PKCS#12 key store serves as well as PEM files")
  void pkcs12() throws Exception {
    char[] password = "store-pass".toCharArray();
    Path p12 = TestCertificates.writePkcs12(dir.resolve("server.p12"), f.server, f.ca, password);
    try (ChatServer server = start(ChatServer.builder().tls(TlsConfig.pkcs12(p12, password)));
        LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
      assertEquals("CN=first", peerName(c));
    }
  }

  @Test
  @Verifies({"TLS-1"})
  @DisplayName("TLS-1: the OpenSSL provider serves TLS when netty-tcnative is present")
  void openSsl() throws Exception {
    assumeTrue(io.netty.handler.ssl.OpenSsl.isAvailable(), "netty-tcnative is not available here");
    try (ChatServer server = start(ChatServer.builder().tls(TlsConfig.pem(f.cert, f.key).withProvider(TlsConfig.Provider.OPENSSL)));
        LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
      c.send("LOGIN ossl\n");
      c.expect("OK LOGIN ossl");
      assertEquals("TLSv1.3", ((SSLSocket) c.socket()).getSession().getProtocol());
    }
  }

  @Test
  @DisplayName("a client that does not trust the server's certificate fails the handshake; the server keeps serving")
  void untrustedClient() throws Exception {
    try (ChatServer server = start(ChatServer.builder().tls(TlsConfig.pem(f.cert, f.key)))) {
      TestCertificates.Issued otherCa = TestCertificates.ca("someone else");
      assertThrows(SSLHandshakeException.class,
          () -> TlsFixture.tls(server.localAddress(), TestCertificates.clientContext(otherCa, null)).close());
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        c.send("PING ok\n");
        c.expect("OK PING ok");
      }
    }
  }
}
