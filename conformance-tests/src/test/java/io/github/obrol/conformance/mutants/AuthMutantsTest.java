package io.github.obrol.conformance.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSecurity;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.mutants.MutantServer.AuthMutation;
import io.github.obrol.conformance.mutants.MutantServer.AuthSetup;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.testkit.Verifies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves the AUTH and TLS checks (PROTOCOL.md section 8): a correct authenticating {@link MutantServer} over
 * TLS passes them, and each deliberately broken one (a server that accepts wrong passwords, lets an account
 * use any name, never throttles, or takes PLAIN over plain text) is caught by the rule it breaks.
 */
@Timeout(120)
class AuthMutantsTest {
  private static final Map<String, String> ACCOUNTS = Map.of("alice", "s3cret-alice", "bob", "s3cret-bob");
  private static TestCertificates certificates;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = TestCertificates.shared(TestCertificates.Kind.VALID);
  }

  private static ConformanceReport run(AuthMutation defect, boolean required, String... include) throws Exception {
    try (MutantServer server = MutantServer.startWithAuth(
        new AuthSetup(ACCOUNTS, certificates.serverContext(), required, defect))) {
      ConformanceSecurity security = ConformanceSecurity.plainText().withTls(certificates.caPem(), false)
          .withAccounts(List.of(new ConformanceSecurity.Account("alice", "s3cret-alice"),
              new ConformanceSecurity.Account("bob", "s3cret-bob")));
      return ConformanceSuite.run(MutantOptions.options(server, Dialect.MODERN).include(include).statefulRuns(0)
          .maxWait(Duration.ofSeconds(3)).security(security).build());
    }
  }

  private static Map<String, Verdict> verdicts(ConformanceReport report) {
    return report.results().stream().collect(Collectors.toMap(CheckResult::ruleId, CheckResult::verdict, (a, b) -> a,
        TreeMap::new));
  }

  @Test
  @DisplayName("a correct server with accounts over TLS passes every AUTH and TLS check that applies")
  @Verifies({"AUTH-2", "AUTH-4", "AUTH-5", "AUTH-6", "AUTH-7", "AUTH-9", "AUTH-10", "AUTH-11", "TLS-1"})
  void correctServerPasses() throws Exception {
    ConformanceReport report = run(AuthMutation.NONE, true, "AUTH-*", "TLS-*");
    Map<String, Verdict> verdicts = verdicts(report);
    for (String rule : List.of("AUTH-2", "AUTH-4", "AUTH-5", "AUTH-6", "AUTH-7", "AUTH-9", "AUTH-10", "AUTH-11", "TLS-1")) {
      assertEquals(Verdict.PASS, verdicts.get(rule), rule + ": " + report.summary());
    }
    // TLS-3: this server takes plain text too, so there is nothing to check; the rest are not checked over the wire.
    assertEquals(Verdict.SKIPPED, verdicts.get("TLS-3"), report.summary());
    assertTrue(report.passed(), report.summary());
    // No password in any transcript or message (the suite hides the AUTH PLAIN responses it sends).
    for (CheckResult r : report.results()) {
      assertFalse(r.transcript().contains("s3cret") || r.message().contains("s3cret"), r.ruleId());
      assertFalse(r.transcript().contains("AGFsaWNlAHMzY3JldC1hbGljZQ"), r.ruleId()); // base64 of NUL alice NUL s3cret-alice
    }
  }

  @ParameterizedTest(name = "{0} is caught by its rule")
  @EnumSource(value = AuthMutation.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void mutantIsCaught(AuthMutation defect) throws Exception {
    ConformanceReport report = run(defect, false, defect.brokenRule());
    assertEquals(1, report.results().size(), report::summary);
    CheckResult result = report.results().get(0);
    System.out.println(defect + ":\n" + result.message() + "\n");
    assertEquals(Verdict.FAIL, result.verdict(), () -> result.summaryLine() + "\n" + result.transcript());
    assertTrue(result.message().contains("expected:") && result.message().contains("actual:"), result.message());
  }

  @Test
  @DisplayName("without --accounts, the checks that log in are INCONCLUSIVE and say so")
  void withoutAccountsInconclusive() throws Exception {
    try (MutantServer server = MutantServer.startWithAuth(
        new AuthSetup(ACCOUNTS, certificates.serverContext(), false, AuthMutation.NONE))) {
      ConformanceReport report = ConformanceSuite.run(MutantOptions.options(server, Dialect.MODERN).include("AUTH-4")
          .statefulRuns(0).security(ConformanceSecurity.plainText().withTls(certificates.caPem(), false)).build());
      CheckResult result = report.results().get(0);
      assertEquals(Verdict.INCONCLUSIVE, result.verdict(), result.summaryLine());
      assertTrue(result.message().contains("--accounts FILE"), result.message());
    }
  }

  @Test
  @DisplayName("a server that does not authenticate: the AUTH checks are SKIPPED with the reason")
  void noAuthSkipped() throws Exception {
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.NONE)) {
      ConformanceReport report = ConformanceSuite.run(MutantOptions.options(server, Dialect.MODERN).include("AUTH-5")
          .statefulRuns(0).build());
      CheckResult result = report.results().get(0);
      assertEquals(Verdict.SKIPPED, result.verdict(), result.summaryLine());
      assertTrue(result.message().contains("announces no auth mechanism"), result.message());
    }
  }
}
