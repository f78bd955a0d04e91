package io.github.obrol.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.ServerMetrics;
import io.github.obrol.server.TlsConfig;
import io.github.obrol.server.auth.ClientCertificateVerifier;
import io.github.obrol.server.auth.JwtVerifier;
import io.github.obrol.server.auth.PasswordFile;
import io.github.obrol.server.testing.LineClient;
import io.github.obrol.testkit.Verifies;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every AUTH path of PROTOCOL.md section 8.2 against the real server over sockets: passwords, tokens, client
 * certificates, refusals and throttling. The expected lines are the specification's literals.
 */
@Timeout(90)
class AuthTest {
  /** Low iteration count: these tests check the protocol, not the hash's cost (PasswordFile's default is 600,000). */
  static final int ITERATIONS = 1_000;
  static final String SECRET = "correct horse battery staple 42";
  static final byte[] HMAC_KEY = "0123456789abcdef0123456789abcdef-hmac".getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path dir;
  static TlsFixture f;
  static Path passwords;

  @BeforeAll
  static void setUp() throws Exception {
    f = new TlsFixture(dir);
    passwords = dir.resolve("passwords.txt");
    PasswordFile.put(passwords, "alice", SECRET.toCharArray(), ITERATIONS);
    PasswordFile.put(passwords, "bob", "bobs-password".toCharArray(), ITERATIONS);
  }

  private static ChatServer start(UnaryOperator<ChatServer.Builder> configure) {
    ChatServer.Builder b = ChatServer.builder().bindAddress("127.0.0.1").port(0)
        .tls(TlsConfig.pem(f.cert, f.key).withClientCa(f.clientCaFile))
        .addCredentialVerifier(PasswordFile.load(passwords))
        .addCredentialVerifier(JwtVerifier.hmac(HMAC_KEY))
        .addCredentialVerifier(new ClientCertificateVerifier());
    ChatServer s = configure.apply(b).build();
    s.start().join();
    return s;
  }

  static String token(JWSSigner signer, JWSAlgorithm alg, String sub, Instant exp, Instant nbf) throws Exception {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub).issueTime(new Date());
    if (exp != null) {
      claims.expirationTime(Date.from(exp));
    }
    if (nbf != null) {
      claims.notBeforeTime(Date.from(nbf));
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims.build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  static String hs256(String sub, Instant exp) throws Exception {
    return token(new MACSigner(HMAC_KEY), JWSAlgorithm.HS256, sub, exp, null);
  }

  @Test
  @Verifies({"AUTH-2", "AUTH-4", "AUTH-10"})
  @DisplayName("AUTH-2 AUTH-4 AUTH-10: greeting, AUTH PLAIN, then LOGIN with the account's own name only")
  void plainOverTls() throws Exception {
    try (ChatServer server = start(b -> b.requireAuth(true));
        LineClient c = TlsFixture.tls(server.localAddress(), f.trusting)) {
      c.send("HELLO obrol/1\n");
      String hello = c.readLine();
      assertTrue(hello.contains(" auth=PLAIN,SCRAM-SHA-256,TOKEN "), hello);
      assertTrue(hello.endsWith(" authreq=1"), hello);
      c.send("LOGIN alice\n");
      c.expect("ERR AUTH_REQUIRED log in with AUTH first (expected: AUTH <mechanism> ...)");
      c.send("AUTH PLAIN " + TlsFixture.plain("alice", SECRET) + "\n");
      c.expect("OK AUTH alice");
      c.send("LOGIN bob\n");
      c.expect("ERR NAME_NOT_ALLOWED account alice may not use the name bob");
      c.send("LOGIN Alice\n");
      c.expect("OK LOGIN Alice");
      c.send("LIST\n");
      c.expect("OK LIST 1 Alice");
      assertEquals(1, server.metrics().authSuccesses());
    }
  }

  @Test
  @Verifies({"AUTH-5"})
  @DisplayName("AUTH-5: wrong password, unknown account, malformed response and bad authzid all get the same reply")
  void failuresLookAlike() throws Exception {
    try (ChatServer server = start(b -> b);
        LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
      for (String response : List.of(TlsFixture.plain("alice", "wrong"), TlsFixture.plain("mallory", SECRET), "AGFsaWNl",
          "!!!!", java.util.Base64.getEncoder().encodeToString(("bob\0alice\0" + SECRET).getBytes(StandardCharsets.UTF_8)))) {
        c.send("AUTH PLAIN " + response + "\n");
        c.expect("ERR AUTH_FAILED authentication failed");
      }
      c.send("LOGIN alice\n"); // not required here: the connection is still anonymous and may log in
      c.expect("OK LOGIN alice");
      ServerMetrics m = server.metrics();
      assertEquals(5, m.authFailures());
    }
  }

  @Test
  @Verifies({"AUTH-6", "AUTH-7", "AUTH-1"})
  @DisplayName("AUTH-6 AUTH-7: unknown mechanism, stray continuation, missing response, AUTH twice or after LOGIN")
  void misuse() throws Exception {
    try (ChatServer server = start(b -> b)) {
      try (LineClient c = TlsFixture.tls(server.localAddress(), f.trusting)) {
        c.send("AUTH FOO\n"); // AUTH-1: a first line starting with AUTH is modern
        c.expect("ERR AUTH_UNSUPPORTED mechanism FOO is not offered (offered: PLAIN,SCRAM-SHA-256,TOKEN)");
        c.send("AUTH EXTERNAL\n");
        c.expect("ERR AUTH_UNSUPPORTED EXTERNAL needs a TLS connection with a verified client certificate");
        c.send("AUTH + abcd\n");
        c.expect("ERR INVALID_COMMAND no authentication exchange is in progress");
        c.send("AUTH *\n");
        c.expect("ERR INVALID_COMMAND no authentication exchange is in progress");
        c.send("AUTH PLAIN\n");
        c.expect("ERR INVALID_COMMAND AUTH PLAIN needs an initial response");
        c.send("AUTH PLAIN " + TlsFixture.plain("bob", "bobs-password") + "\n");
        c.expect("OK AUTH bob");
        c.send("AUTH PLAIN " + TlsFixture.plain("bob", "bobs-password") + "\n");
        c.expect("ERR INVALID_COMMAND authenticated already");
      }
      try (LineClient c = TlsFixture.tls(server.localAddress(), f.trusting)) {
        c.send("LOGIN zed\n");
        c.expect("OK LOGIN zed");
        c.send("AUTH PLAIN " + TlsFixture.plain("bob", "bobs-password") + "\n");
        c.expect("ERR INVALID_COMMAND AUTH comes before LOGIN");
      }
    }
    try (ChatServer plainServer = ChatServer.builder().bindAddress("127.0.0.1").port(0).build()) {
      plainServer.start().join();
      try (LineClient c = LineClient.connect(plainServer.localAddress())) {
        c.send("HELLO obrol/1\n");
        assertFalse(c.readLine().contains("auth="), "a server without verifiers announces no auth");
        c.send("AUTH PLAIN " + TlsFixture.plain("bob", "x") + "\n");
        c.expect("ERR AUTH_UNSUPPORTED mechanism PLAIN is not offered (offered: none)");
      }
    }
  }

  @Test
  @Verifies({"AUTH-9"})
  @DisplayName("AUTH-9: PLAIN and TOKEN over plain text are refused with TLS_REQUIRED and not offered, unless allowed")
  void secretsNeedTls() throws Exception {
    try (ChatServer server = start(b -> b.requireAuth(true));
        LineClient c = LineClient.connect(server.localAddress())) {
      c.send("HELLO obrol/1\n");
      String hello = c.readLine();
      assertTrue(hello.contains(" auth=SCRAM-SHA-256 "), hello + " (SCRAM sends no secret: offered on plain text)");
      assertTrue(hello.endsWith(" authreq=1"), hello);
      c.send("AUTH PLAIN " + TlsFixture.plain("alice", SECRET) + "\n");
      c.expect("ERR TLS_REQUIRED PLAIN sends a secret: use a TLS connection");
      c.send("AUTH TOKEN " + hs256("alice", Instant.now().plusSeconds(600)) + "\n");
      c.expect("ERR TLS_REQUIRED TOKEN sends a secret: use a TLS connection");
      assertEquals(0, server.metrics().authFailures(), "no failure counted");
    }
    try (ChatServer server = start(b -> b.requireAuth(true).allowPlainAuth(true));
        LineClient c = LineClient.connect(server.localAddress())) {
      c.send("HELLO obrol/1\n");
      assertTrue(c.readLine().contains(" auth=PLAIN,SCRAM-SHA-256,TOKEN "));
      c.send("AUTH PLAIN " + TlsFixture.plain("alice", SECRET) + "\n");
      c.expect("OK AUTH alice");
    }
  }

  @Test
  @Verifies({"AUTH-8"})
  @DisplayName("AUTH-8: TOKEN with HS256, RS256 and ES256; expired, not yet valid, badly signed and wrong-algorithm tokens fail")
  void tokens() throws Exception {
    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    KeyPair rsa = rsaGen.generateKeyPair();
    KeyPair ec = TestCertificates.ecKeys();
    Path rsaPem = dir.resolve("jwt-rsa.pem");
    Files.writeString(rsaPem, "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    Instant later = Instant.now().plusSeconds(600);
    try (ChatServer server = start(b -> b.requireAuth(true));
        LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
      String otherKey = token(new MACSigner("another-secret-another-secret-0123456789".getBytes(StandardCharsets.UTF_8)),
          JWSAlgorithm.HS256, "alice", later, null);
      String good = hs256("alice", later);
      String tampered = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA" + good.substring(good.lastIndexOf('.') + 5);
      for (String bad : List.of(hs256("alice", Instant.now().minusSeconds(120)), otherKey, tampered,
          token(new MACSigner(HMAC_KEY), JWSAlgorithm.HS256, "alice", later, Instant.now().plusSeconds(600)),
          token(new MACSigner(HMAC_KEY), JWSAlgorithm.HS256, "alice", null, null),
          token(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, "alice", later, null),
          "not.a.jwt")) {
        c.send("AUTH TOKEN " + bad + "\n");
        c.expect("ERR AUTH_FAILED authentication failed");
      }
      c.send("AUTH TOKEN " + good + "\n");
      c.expect("OK AUTH alice");
    }
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).tls(TlsConfig.pem(f.cert, f.key))
        .addCredentialVerifier(JwtVerifier.fromKeyFile(rsaPem)).build()) {
      server.start().join();
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        c.send("AUTH TOKEN " + hs256("alice", later) + "\n"); // HS256 where RS256 is configured: algorithm confusion
        c.expect("ERR AUTH_FAILED authentication failed");
        c.send("AUTH TOKEN " + token(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, "rsa_user", later, null) + "\n");
        c.expect("OK AUTH rsa_user");
      }
    }
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).tls(TlsConfig.pem(f.cert, f.key))
        .addCredentialVerifier(JwtVerifier.publicKey(ec.getPublic())).build()) {
      server.start().join();
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        c.send("AUTH TOKEN " + token(new ECDSASigner((ECPrivateKey) ec.getPrivate()), JWSAlgorithm.ES256, "ec_user", later, null) + "\n");
        c.expect("OK AUTH ec_user");
      }
    }
  }

  @Test
  @Verifies({"AUTH-8", "TLS-5"})
  @DisplayName("AUTH-8 TLS-5: a verified client certificate's CN logs in with EXTERNAL; no certificate, no EXTERNAL")
  void clientCertificates() throws Exception {
    try (ChatServer server = start(b -> b.requireAuth(true))) {
      try (LineClient c = TlsFixture.tls(server.localAddress(), f.carolContext)) {
        c.send("HELLO obrol/1\n");
        assertTrue(c.readLine().contains(" auth=PLAIN,SCRAM-SHA-256,TOKEN,EXTERNAL "));
        c.send("AUTH EXTERNAL " + java.util.Base64.getEncoder().encodeToString("dave".getBytes(StandardCharsets.UTF_8)) + "\n");
        c.expect("ERR AUTH_FAILED authentication failed");
        c.send("AUTH EXTERNAL\n");
        c.expect("OK AUTH carol");
        c.send("LOGIN carol\n");
        c.expect("OK LOGIN carol");
      }
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        c.send("AUTH EXTERNAL\n");
        c.expect("ERR AUTH_UNSUPPORTED EXTERNAL needs a TLS connection with a verified client certificate");
      }
      // A certificate from a CA the server does not trust proves nothing: the handshake fails, or (as the JDK
      // provider does with an optional client certificate) the connection goes on without one and EXTERNAL is refused.
      TestCertificates.Issued rogue = TestCertificates.client(TestCertificates.ca("rogue CA"), "carol");
      String outcome;
      try (LineClient c = TlsFixture.tls(server.localAddress(), TestCertificates.clientContext(f.ca, rogue))) {
        c.send("AUTH EXTERNAL\n");
        outcome = c.readLine();
      } catch (java.io.IOException | AssertionError e) {
        outcome = "handshake refused";
      }
      assertTrue(outcome.equals("handshake refused")
          || outcome.equals("ERR AUTH_UNSUPPORTED EXTERNAL needs a TLS connection with a verified client certificate"), outcome);
    }
  }

  @Test
  @Verifies({"AUTH-11"})
  @DisplayName("AUTH-11: after 5 failures the account is refused with AUTH_THROTTLED, even with the right password; others are not held up")
  void throttling() throws Exception {
    try (ChatServer server = start(b -> b);
        LineClient attacker = TlsFixture.tlsHello(server.localAddress(), f.trusting);
        LineClient bystander = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
      for (int i = 1; i <= 5; i++) {
        attacker.send("AUTH PLAIN " + TlsFixture.plain("bob", "guess" + i) + "\n");
        if (i == 5) {
          // The 5th reply is held back for seconds (AUTH-11): another connection is answered meanwhile.
          bystander.send("PING meanwhile\n");
          bystander.expect("OK PING meanwhile");
        }
        attacker.expect("ERR AUTH_FAILED authentication failed");
      }
      attacker.send("AUTH PLAIN " + TlsFixture.plain("bob", "bobs-password") + "\n");
      String throttled = attacker.readLine();
      assertTrue(throttled.matches("ERR AUTH_THROTTLED too many failed attempts; retry in (5[0-9]|60) s"), throttled);
      bystander.send("AUTH PLAIN " + TlsFixture.plain("Bob", "bobs-password") + "\n");
      assertTrue(bystander.readLine().startsWith("ERR AUTH_THROTTLED "), "the account is throttled, from any connection");
      // Another account from the same address is not locked yet (the address allows 20 failures).
      bystander.send("AUTH PLAIN " + TlsFixture.plain("alice", SECRET) + "\n");
      bystander.expect("OK AUTH alice");
      assertEquals(2, server.metrics().authThrottled());
    }
  }

  @Test
  @Verifies({"AUTH-12"})
  @DisplayName("AUTH-12: a classic login on a server requiring authentication is refused and closed, unless classic-open")
  void classicLogins() throws Exception {
    try (ChatServer server = start(b -> b.requireAuth(true));
        LineClient c = LineClient.connect(server.localAddress())) {
      c.send("alice says alice\n");
      c.expect("\rauthentication required");
      assertTrue(c.awaitClosed());
    }
    try (ChatServer server = start(b -> b.requireAuth(true).classicOpen(true));
        LineClient c = LineClient.classic(server.localAddress(), "oldtimer")) {
      c.send("oldtimer says list\n");
      c.skipUntil("oldtimer is online");
    }
  }

  @Test
  @Verifies({"AUTH-10"})
  @DisplayName("AUTH-10: a password file's names= policy lets an account log in as other names; others keep their own")
  void namePolicyFromThePasswordFile() throws Exception {
    // "pencil", salt "saltsalt", 1,000 iterations: hash computed with Python's hashlib.pbkdf2_hmac, not this code.
    String pencil = "pbkdf2-sha256:1000:c2FsdHNhbHQ=:wVNdDJbDXytD3Ypu4dvQtX0COri6cW8h0XT6q2RUj3E=";
    Path file = dir.resolve("names-policy.txt");
    Files.write(file, List.of("alice:" + pencil, "conformance:" + pencil + ":names=*", "bot:" + pencil + ":names=q*"));
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).tls(TlsConfig.pem(f.cert, f.key))
        .addCredentialVerifier(PasswordFile.load(file)).requireAuth(true).build()) {
      server.start().join();
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        c.send("AUTH PLAIN " + TlsFixture.plain("conformance", "pencil") + "\n");
        c.expect("OK AUTH conformance");
        c.send("LOGIN q7k2a3-b\n");
        c.expect("OK LOGIN q7k2a3-b");
      }
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        c.send("AUTH PLAIN " + TlsFixture.plain("bot", "pencil") + "\n");
        c.expect("OK AUTH bot");
        c.send("LOGIN alice\n");
        c.expect("ERR NAME_NOT_ALLOWED account bot may not use the name alice");
        c.send("LOGIN Q1\n");
        c.expect("OK LOGIN Q1");
      }
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        c.send("AUTH PLAIN " + TlsFixture.plain("alice", "pencil") + "\n");
        c.expect("OK AUTH alice");
        c.send("LOGIN bob\n");
        c.expect("ERR NAME_NOT_ALLOWED account alice may not use the name bob");
        c.send("LOGIN ALICE\n");
        c.expect("OK LOGIN ALICE");
      }
    }
  }

  // ---------------------------------------------------------------- SCRAM-SHA-256, client side written here with the JDK

  /** A SCRAM-SHA-256 client (RFC 5802) built from the JDK's SecretKeyFactory, Mac and MessageDigest only. */
  static final class ScramClient {
    final String user;
    final String password;
    final String clientNonce;
    String clientFirstBare;
    String serverFirst;
    byte[] expectedServerSignature;

    ScramClient(String user, String password, String clientNonce) {
      this.user = user;
      this.password = password;
      this.clientNonce = clientNonce;
    }

    static String b64(String s) {
      return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
      return new String(java.util.Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static byte[] hmac(byte[] key, String data) throws Exception {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code AUTH SCRAM-SHA-256 <client-first>}. */
    String first() {
      clientFirstBare = "n=" + user + ",r=" + clientNonce;
      return "AUTH SCRAM-SHA-256 " + b64("n,," + clientFirstBare) + "\n";
    }

    /** {@code AUTH + <client-final>} for the challenge line {@code OK AUTH + <server-first>}. */
    String last(String challengeLine) throws Exception {
      assertTrue(challengeLine.startsWith("OK AUTH + "), challengeLine);
      serverFirst = unb64(challengeLine.substring("OK AUTH + ".length()));
      String[] f = serverFirst.split(",");
      assertTrue(f[0].startsWith("r=" + clientNonce) && f[0].length() > 2 + clientNonce.length(), serverFirst);
      byte[] salt = java.util.Base64.getDecoder().decode(f[1].substring(2));
      int iterations = Integer.parseInt(f[2].substring(2));
      byte[] salted = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
          new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
      String withoutProof = "c=" + b64("n,,") + "," + f[0];
      String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] signature = hmac(storedKey, authMessage);
      byte[] proof = new byte[clientKey.length];
      for (int i = 0; i < proof.length; i++) {
        proof[i] = (byte) (clientKey[i] ^ signature[i]);
      }
      expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
      return "AUTH + " + b64(withoutProof + ",p=" + java.util.Base64.getEncoder().encodeToString(proof)) + "\n";
    }

    /** Checks {@code OK AUTH <account> <server-final>}: the server proved it knows the key. */
    void checkSuccess(String line, String account) {
      String expected = "OK AUTH " + account + " " + b64("v=" + java.util.Base64.getEncoder().encodeToString(expectedServerSignature));
      assertEquals(expected, line);
    }
  }

  @Test
  @Verifies({"AUTH-2", "AUTH-4", "AUTH-8", "AUTH-14"})
  @DisplayName("AUTH-4 AUTH-8 AUTH-14: SCRAM-SHA-256 over TLS and over plain text; the server proves it knows the key")
  void scram() throws Exception {
    try (ChatServer server = start(b -> b.requireAuth(true))) {
      try (LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
        ScramClient scram = new ScramClient("alice", SECRET, "fyko+d2lbbFgONRv9qkxdawL");
        c.send(scram.first());
        c.send(scram.last(c.readLine()));
        scram.checkSuccess(c.readLine(), "alice");
        c.send("LOGIN bob\n");
        c.expect("ERR NAME_NOT_ALLOWED account alice may not use the name bob");
        c.send("LOGIN alice\n");
        c.expect("OK LOGIN alice");
      }
      try (LineClient c = LineClient.connect(server.localAddress())) {
        c.send("HELLO obrol/1\n");
        String hello = c.readLine();
        assertTrue(hello.contains(" auth=SCRAM-SHA-256 "), hello);
        ScramClient scram = new ScramClient("BOB", "bobs-password", "plain-text-nonce");
        c.send(scram.first());
        c.send(scram.last(c.readLine()));
        scram.checkSuccess(c.readLine(), "bob");
        c.send("LOGIN Bob\n");
        c.expect("OK LOGIN Bob");
      }
      assertEquals(2, server.metrics().authSuccesses());
    }
  }

  @Test
  @Verifies({"AUTH-5", "AUTH-6", "AUTH-14"})
  @DisplayName("AUTH-5 AUTH-6 AUTH-14: SCRAM with a wrong password, an unknown account (a stable decoy challenge), AUTH *, other lines")
  void scramFailures() throws Exception {
    try (ChatServer server = start(b -> b);
        LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
      ScramClient wrong = new ScramClient("alice", "not the password", "n1");
      c.send(wrong.first());
      String aliceChallenge = c.readLine();
      c.send(wrong.last(aliceChallenge));
      c.expect("ERR AUTH_FAILED authentication failed");

      ScramClient unknown = new ScramClient("mallory", SECRET, "n2");
      c.send(unknown.first());
      String first = c.readLine();
      c.send(unknown.last(first));
      c.expect("ERR AUTH_FAILED authentication failed");
      c.send(unknown.first());
      String again = c.readLine();
      String[] a = ScramClient.unb64(first.substring("OK AUTH + ".length())).split(",");
      String[] b = ScramClient.unb64(again.substring("OK AUTH + ".length())).split(",");
      assertEquals(a[1], b[1], "the same salt for the same unknown name");
      assertEquals("i=" + ITERATIONS, b[2], "the iteration count of the real accounts");
      assertTrue(!a[0].equals(b[0]), "a fresh server nonce each time");
      c.send("AUTH *\n");
      c.expect("ERR AUTH_FAILED authentication failed");

      c.send(new ScramClient("alice", SECRET, "n3").first());
      assertTrue(c.readLine().startsWith("OK AUTH + "));
      c.send("LIST\n");
      c.expect("ERR INVALID_COMMAND an authentication exchange is in progress (expected: AUTH + <response> or AUTH *)");
      c.send("AUTH + " + ScramClient.b64("c=biws,r=x,p=AAAA") + "\n");
      c.expect("ERR INVALID_COMMAND no authentication exchange is in progress");
      c.send("AUTH SCRAM-SHA-256 " + ScramClient.b64("p=tls-unique,,n=alice,r=n4") + "\n");
      c.expect("ERR AUTH_FAILED authentication failed");
      c.send("AUTH SCRAM-SHA-256\n");
      c.expect("ERR INVALID_COMMAND AUTH SCRAM-SHA-256 needs an initial response");
      assertEquals(4, server.metrics().authFailures());

      ScramClient right = new ScramClient("alice", SECRET, "n5");
      c.send(right.first());
      c.send(right.last(c.readLine()));
      right.checkSuccess(c.readLine(), "alice");
    }
  }

  @Test
  @Verifies({"AUTH-11"})
  @DisplayName("AUTH-11: SCRAM failures count like others: after 5 the account is throttled, even for PLAIN")
  void scramThrottling() throws Exception {
    try (ChatServer server = start(b -> b);
        LineClient c = TlsFixture.tlsHello(server.localAddress(), f.trusting)) {
      for (int i = 1; i <= 5; i++) {
        ScramClient guess = new ScramClient("bob", "guess" + i, "g" + i);
        c.send(guess.first());
        c.send(guess.last(c.readLine()));
        c.expect("ERR AUTH_FAILED authentication failed");
      }
      c.send(new ScramClient("bob", "bobs-password", "g6").first());
      assertTrue(c.readLine().matches("ERR AUTH_THROTTLED too many failed attempts; retry in (5[0-9]|60) s"));
      c.send("AUTH PLAIN " + TlsFixture.plain("bob", "bobs-password") + "\n");
      assertTrue(c.readLine().startsWith("ERR AUTH_THROTTLED "));
    }
  }
}
