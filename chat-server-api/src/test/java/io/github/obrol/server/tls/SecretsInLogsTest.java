package io.github.obrol.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import io.github.obrol.server.auth.PasswordFile;
import io.github.obrol.server.testing.LineClient;
import io.github.obrol.testkit.Verifies;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTH-13 end to end: the runnable server (ServerMain, in its own JVM so that slf4j-simple logs every level of
 * every logger to a file we read) goes through every AUTH path with known passwords and tokens; then its whole
 * output is searched for them, raw and in the encodings a log could carry them (base64 of the PLAIN message).
 */
@Timeout(120)
class SecretsInLogsTest {
  static final String PASSWORD = "Zebra-Pancake-7319";
  static final String WRONG = "Wrong-Kumquat-5521";
  static final byte[] KEY = "secretsinlogs-hmac-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  @Verifies({"AUTH-13"})
  @DisplayName("AUTH-13: no password, token, PLAIN or SCRAM response or stored key appears in any log line of the server, at any level")
  void noSecretInAnyLog(@TempDir Path dir) throws Exception {
    TlsFixture f = new TlsFixture(dir);
    Path passwords = dir.resolve("passwords.txt");
    PasswordFile.put(passwords, "alice", PASSWORD.toCharArray(), 1_000);
    Path jwtKey = Files.write(dir.resolve("jwt.key"), KEY);
    Path log = dir.resolve("server.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
        "-Dorg.slf4j.simpleLogger.log.io.netty=info", "-Dorg.slf4j.simpleLogger.logFile=" + log,
        "-cp", System.getProperty("java.class.path"), "io.github.obrol.server.cli.ServerMain",
        "--port", "0", "--bind", "127.0.0.1", "--tls-cert", f.cert.toString(), "--tls-key", f.key.toString(),
        "--tls-client-ca", f.clientCaFile.toString(), "--passwords", passwords.toString(), "--jwt-key", jwtKey.toString(),
        "--require-auth", "--no-admin")
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
    List<String> secrets = new ArrayList<>();
    try {
      Path stdout = dir.resolve("stdout.txt");
      String started = "Chat server started on port ";
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || Files.readString(stdout).contains(started));
      String first = Files.readString(stdout);
      int port = first.contains(started)
          ? Integer.parseInt(first.substring(first.indexOf(started) + started.length()).split("\\D", 2)[0]) : -1;
      assertTrue(port > 0, "the server did not start");
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", port);
      String goodToken = AuthTest.token(new MACSigner(KEY), JWSAlgorithm.HS256, "alice", Instant.now().plusSeconds(600), null);
      String expiredToken = AuthTest.token(new MACSigner(KEY), JWSAlgorithm.HS256, "alice", Instant.now().minusSeconds(600), null);
      String forged = goodToken.substring(0, goodToken.lastIndexOf('.') + 1) + "Zm9yZ2VkLXNpZ25hdHVyZQ";
      secrets.addAll(List.of(PASSWORD, WRONG, TlsFixture.plain("alice", PASSWORD), TlsFixture.plain("alice", WRONG),
          TlsFixture.plain("nobody", PASSWORD), goodToken, expiredToken, forged,
          goodToken.substring(goodToken.lastIndexOf('.') + 1), Base64.getEncoder().encodeToString(KEY)));
      try (LineClient c = TlsFixture.tlsHello(a, f.trusting)) {
        for (String response : List.of(TlsFixture.plain("alice", WRONG), TlsFixture.plain("nobody", PASSWORD))) {
          c.send("AUTH PLAIN " + response + "\n");
          c.expect("ERR AUTH_FAILED authentication failed");
        }
        for (String t : List.of(expiredToken, forged)) {
          c.send("AUTH TOKEN " + t + "\n");
          c.expect("ERR AUTH_FAILED authentication failed");
        }
        c.send("AUTH PLAIN " + TlsFixture.plain("alice", PASSWORD) + " extra\n"); // malformed: INVALID_COMMAND
        assertTrue(c.readLine().startsWith("ERR INVALID_COMMAND "));
        c.send("AUTH PLAIN " + TlsFixture.plain("alice", PASSWORD) + "\n");
        c.expect("OK AUTH alice");
        c.send("LOGIN alice\n");
        c.expect("OK LOGIN alice");
      }
      try (LineClient c = TlsFixture.tlsHello(a, f.trusting)) {
        c.send("AUTH TOKEN " + goodToken + "\n");
        c.expect("OK AUTH alice");
      }
      try (LineClient plain = LineClient.connect(a)) {
        plain.send("AUTH PLAIN " + TlsFixture.plain("alice", PASSWORD) + "\n");
        plain.expect("ERR TLS_REQUIRED PLAIN sends a secret: use a TLS connection");
        // SCRAM-SHA-256 on plain text: a wrong password, then the right one; neither final message may be logged.
        for (String pw : List.of(WRONG, PASSWORD)) {
          AuthTest.ScramClient scram = new AuthTest.ScramClient("alice", pw, "logs-nonce");
          plain.send(scram.first());
          String last = scram.last(plain.readLine());
          String clientFinal = last.substring("AUTH + ".length(), last.length() - 1);
          String decoded = new String(Base64.getDecoder().decode(clientFinal), StandardCharsets.UTF_8);
          secrets.add(clientFinal);
          secrets.add(decoded.substring(decoded.indexOf(",p=") + 3));
          plain.send(last);
          String reply = plain.readLine();
          assertTrue(pw.equals(WRONG) ? reply.equals("ERR AUTH_FAILED authentication failed") : reply.startsWith("OK AUTH alice "), reply);
        }
      }
      for (String field : Files.readString(passwords).strip().split(":")) {
        if (field.length() == 44) {
          secrets.add(field); // StoredKey and ServerKey
        }
      }
    } finally {
      p.destroy(); // SIGTERM: the shutdown hook stops the server gracefully
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    String logged = Files.readString(log, StandardCharsets.UTF_8) + Files.readString(dir.resolve("stdout.txt"));
    assertTrue(logged.contains("authenticated as alice (PLAIN)"), "the log is captured: " + logged);
    assertTrue(logged.contains("authenticated as alice (SCRAM-SHA-256)"), logged);
    assertTrue(logged.contains("failed to authenticate"), logged);
    for (String secret : secrets) {
      assertFalse(logged.contains(secret), "a secret appears in the server's log");
    }
    assertEquals(List.of(), secrets.stream().filter(logged::contains).toList());
  }
}
