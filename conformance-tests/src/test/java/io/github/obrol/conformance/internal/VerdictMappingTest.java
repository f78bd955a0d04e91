package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceListener;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.RunOutcome;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.ConformanceOptions;
import java.time.Duration;
import io.github.obrol.conformance.mutants.MutantServer;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.RuleCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** No crash path: whatever a check throws becomes its verdict, and the report is written every time. */
class VerdictMappingTest {

  @Test
  @DisplayName("an exception is the check's ERROR with its stack trace, an unmet precondition INCONCLUSIVE")
  @Timeout(30)
  void everyExceptionBecomesAVerdict(@TempDir Path dir) throws Exception {
    CheckRegistry registry = new CheckRegistry(RuleCatalog.load());
    registry.check("GEN-NAME-1", RuleCheck.Scope.BOTH, ctx -> {
      throw new IllegalStateException("boom inside a check");
    });
    registry.check("GEN-NAME-2", RuleCheck.Scope.BOTH, ctx -> {
      throw new PreconditionFailure("a confirmed login of x");
    });
    registry.check("GEN-NAME-3", RuleCheck.Scope.BOTH, ctx -> {
      throw new StackOverflowError("deep");
    });
    registry.check("GEN-NAME-4", RuleCheck.Scope.BOTH, ctx -> ctx.user("a"));
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.NONE)) {
      ConformanceReport report = new SuiteRunner(ConformanceOptions.builder(server.address()).dialect(Dialect.CLASSIC)
          .frameGap(Duration.ZERO).quietPeriod(server.quietPeriod()).statefulRuns(0).build(),
          new ConformanceListener() {}, registry).run();
      Map<String, Verdict> got = new TreeMap<>();
      report.results().forEach(r -> got.put(r.ruleId(), r.verdict()));
      assertEquals(Map.of("GEN-NAME-1", Verdict.ERROR, "GEN-NAME-2", Verdict.INCONCLUSIVE, "GEN-NAME-3", Verdict.ERROR,
          "GEN-NAME-4", Verdict.PASS), got);
      CheckResult boom = report.results().get(0);
      assertTrue(boom.message().contains("boom inside a check") && boom.message().contains("at io.github.obrol"),
          boom.message());
      assertTrue(report.results().get(1).message().startsWith("could not be checked: a confirmed login of x"));
      assertEquals(RunOutcome.SUITE_ERROR, report.outcome());
      assertEquals(4, report.outcome().exitCode());
      assertTrue(report.calibration().contains("confirmed by: "), report.calibration());
      report.writeTo(dir);
      assertTrue(Files.readString(dir.resolve("report.json")).contains("INCONCLUSIVE"));
    }
  }
}
