package io.github.obrol.conformance.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.obrol.conformance.cli.ConformanceCli;
import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.server.AuthAttempt;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.CredentialVerifier;
import io.github.obrol.server.TlsConfig;
import io.github.obrol.server.auth.PasswordFile;
import io.github.obrol.testkit.Verifies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance CLI over TLS with accounts against the reference server that requires authentication
 * (issue 15's done-when): every rule of the modern dialect, the AUTH rules included, passes. The first account
 * ({@code conformance}) may use any name, so the suite's generated users log in through it; the second
 * ({@code alice}) has the default policy (own name only) and is the one the AUTH checks use.
 */
@Timeout(600)
class ReferenceServerTlsAuthConformanceTest {
  @TempDir Path tmp;
  private ChatServer server;
  private TestCertificates certificates;

  @BeforeEach
  void start() throws Exception {
    certificates = TestCertificates.shared(TestCertificates.Kind.VALID);
    Path passwords = tmp.resolve("passwords");
    PasswordFile.put(passwords, "conformance", "suite-password-1".toCharArray(), PasswordFile.MIN_ITERATIONS);
    PasswordFile.put(passwords, "alice", "alice-password-2".toCharArray(), PasswordFile.MIN_ITERATIONS);
    PasswordFile file = PasswordFile.load(passwords);
    // The name policy AUTH-10 allows: "conformance" may use any name; everyone else only their own.
    CredentialVerifier verifier = new CredentialVerifier() {
      @Override
      public Set<String> mechanisms() {
        return file.mechanisms();
      }

      @Override
      public CompletionStage<Optional<String>> verify(AuthAttempt attempt) {
        return file.verify(attempt);
      }

      @Override
      public boolean mayUseName(String account, String name) {
        return account.equalsIgnoreCase("conformance") || account.equalsIgnoreCase(name);
      }
    };
    server = ChatServer.builder().bindAddress("127.0.0.1").port(0).nativeTransport(false)
        .tls(TlsConfig.pkcs12(certificates.keystore(), certificates.keystorePassword().toCharArray()))
        .requireAuth(true)
        .addCredentialVerifier(verifier)
        .build();
    server.start().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownGracefully(Duration.ofSeconds(2)).exceptionally(t -> null).get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("--ca and --accounts against the reference server with --require-auth: exit 0, every rule passes")
  @Verifies({"AUTH-2", "AUTH-4", "AUTH-5", "AUTH-6", "AUTH-7", "AUTH-9", "AUTH-10", "AUTH-11", "TLS-1"})
  void passesOverTlsWithAccounts() throws Exception {
    Path accounts = Files.writeString(tmp.resolve("accounts"), "# name:password\nconformance:suite-password-1\n"
        + "alice:alice-password-2\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path reports = tmp.resolve("report");
    int code = ConformanceCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "--host", "localhost", "--port", String.valueOf(server.localAddress().getPort()), "--dialect", "modern",
        "--ca", certificates.caPem().toString(), "--accounts", accounts.toString(), "--stateful-runs", "1",
        "--report-dir", reports.toString());
    assertEquals(ConformanceCli.EXIT_PASS, code, out + "\n" + err);
    // The report and transcripts never hold a password (the suite hides its AUTH PLAIN responses).
    try (var files = Files.walk(reports)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        assertFalse(text.contains("suite-password-1") || text.contains("alice-password-2"), f.toString());
      }
    }
  }
}
