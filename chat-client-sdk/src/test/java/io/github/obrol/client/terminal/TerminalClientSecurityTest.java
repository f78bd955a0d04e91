package io.github.obrol.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.client.testing.ScriptedServer;
import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.testkit.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code obrol-chat}'s --tls, --ca, --user and --token-file, as a separate JVM with stdin and stderr
 * redirected: the messages a user sees for certificate and authentication problems, and the refusals
 * that protect a password. Certificates are made at test time ({@link TestCertificates}).
 */
@Timeout(180)
class TerminalClientSecurityTest {
  @TempDir Path tmp;

  private String run(int expectedExit, String... args) throws Exception {
    Path err = tmp.resolve("err-" + System.nanoTime() + ".txt");
    Process p = new ProcessBuilder(Tmux.obrolChat(args)).redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      p.getOutputStream().close();
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "obrol-chat did not exit");
      String text = Files.readString(err).replaceAll("\u001b\\[[0-9;]*m", "");
      assertEquals(expectedExit, p.exitValue(), text);
      return text;
    } finally {
      p.destroyForcibly();
    }
  }

  private static ScriptedServer tlsServer(TestCertificates certificates) throws Exception {
    return new ScriptedServer((peer, line) -> {
      if (line.startsWith("HELLO")) {
        peer.send("OK HELLO obrol/1 maxline=4096 maxname=32 idle=0 auth=PLAIN,TOKEN authreq=1");
      } else if (line.startsWith("AUTH")) {
        peer.send("ERR AUTH_FAILED authentication failed");
      } else {
        ScriptedServer.standardModern(peer, line);
      }
    }, certificates.serverContext());
  }

  @Test
  @DisplayName("--user without a terminal: exit 2 and a message saying the password cannot be read without echo")
  void userWithoutConsole() throws Exception {
    String err = run(2, "--tls", "--user", "alice", "127.0.0.1", "9");
    assertTrue(err.contains("--user: no terminal to read the password from without echo"), err);
  }

  @Test
  @DisplayName("--user without --tls: refused before connecting (the password would cross in clear text)")
  void userNeedsTls() throws Exception {
    String err = run(2, "--user", "alice", "127.0.0.1", "9");
    assertTrue(err.contains("--user needs --tls"), err);
  }

  @Test
  @DisplayName("an expired certificate: one line saying it expired")
  void expiredCertificate() throws Exception {
    TestCertificates expired = TestCertificates.shared(TestCertificates.Kind.EXPIRED);
    try (ScriptedServer server = tlsServer(expired)) {
      String err = run(1, "--ca", expired.caPem().toString(), "--name", "bob", "localhost",
          Integer.toString(server.port()));
      assertTrue(err.contains("! cannot connect to localhost:" + server.port()), err);
      assertTrue(err.contains("the server's certificate has expired"), err);
    }
  }

  @Test
  @DisplayName("a certificate for another host: one line naming the host")
  void wrongHost() throws Exception {
    TestCertificates other = TestCertificates.shared(TestCertificates.Kind.OTHER_HOST);
    try (ScriptedServer server = tlsServer(other)) {
      String err = run(1, "--ca", other.caPem().toString(), "--name", "bob", "localhost",
          Integer.toString(server.port()));
      assertTrue(err.contains("the server's certificate is not valid for the host name localhost"), err);
    }
  }

  @Test
  @DisplayName("--tls with a private CA not given: untrusted, with a hint to --ca")
  void untrusted() throws Exception {
    TestCertificates valid = TestCertificates.shared(TestCertificates.Kind.VALID);
    try (ScriptedServer server = tlsServer(valid)) {
      String err = run(1, "--tls", "--name", "bob", "localhost", Integer.toString(server.port()));
      assertTrue(err.contains("not signed by an authority the client trusts"), err);
      assertTrue(err.contains("--ca FILE"), err);
    }
  }

  @Test
  @DisplayName("--token-file with a refused token: 'authentication failed', and the token is not printed")
  void refusedToken() throws Exception {
    TestCertificates valid = TestCertificates.shared(TestCertificates.Kind.VALID);
    Path token = Files.writeString(tmp.resolve("token"), "eyJhbGciOiJIUzI1NiJ9.e30.c2VjcmV0LXNpZ25hdHVyZQ\n");
    try (ScriptedServer server = tlsServer(valid)) {
      String err = run(1, "--ca", valid.caPem().toString(), "--token-file", token.toString(), "--name", "bob",
          "localhost", Integer.toString(server.port()));
      assertTrue(err.contains("authentication failed: wrong account or password, or a bad or expired token"), err);
      assertFalse(err.contains("c2VjcmV0LXNpZ25hdHVyZQ"), err);
      assertEquals("AUTH TOKEN eyJhbGciOiJIUzI1NiJ9.e30.c2VjcmV0LXNpZ25hdHVyZQ", server.received.stream()
          .filter(l -> l.startsWith("AUTH")).findFirst().orElse(""));
    }
  }
}
