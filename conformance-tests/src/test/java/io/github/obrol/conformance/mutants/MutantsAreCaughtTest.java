package io.github.obrol.conformance.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.mutants.MutantServer.Mutation;
import io.github.obrol.protocol.Dialect;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the suite: every deliberately broken server is caught by the check of the rule it breaks, with a
 * message that says what was expected and what happened, in each dialect where the defect shows.
 */
class MutantsAreCaughtTest {

  static Stream<Arguments> mutants() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Mutation m : Mutation.values()) {
      if (m == Mutation.NONE) {
        continue;
      }
      if (!m.classicOnly()) {
        b.add(Arguments.of(m, Dialect.MODERN));
      }
      b.add(Arguments.of(m, Dialect.CLASSIC));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} in {1} is caught by its rule")
  @MethodSource("mutants")
  @Timeout(60)
  void mutantIsCaught(Mutation mutation, Dialect dialect) throws Exception {
    try (MutantServer server = MutantServer.start(mutation)) {
      ConformanceReport report = ConformanceSuite.run(
          MutantOptions.options(server, dialect).include(mutation.brokenRule()).statefulRuns(0)
              .maxWait(java.time.Duration.ofSeconds(3)).build());
      assertEquals(1, report.results().size(), report::summary);
      CheckResult result = report.results().get(0);
      System.out.println(mutation + " / " + dialect + ":\n" + result.message() + "\n");
      assertEquals(Verdict.FAIL, result.verdict(), () -> result.summaryLine() + "\n" + result.transcript());
      assertTrue(result.message().contains("expected:") && result.message().contains("actual:"), result.message());
      assertEquals(mutation.brokenRule(), result.ruleId());
      assertFalse(result.transcript().isEmpty());
      assertFalse(report.passed());
    }
  }
}
