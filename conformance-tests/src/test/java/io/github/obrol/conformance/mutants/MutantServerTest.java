package io.github.obrol.conformance.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.Dialect;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The suite against the correct test server, in both dialects: every checked rule passes. */
class MutantServerTest {

  static ConformanceOptions.Builder options(MutantServer server, Dialect dialect) {
    return ConformanceOptions.builder(server.address())
        .dialect(dialect)
        .mixedDialects(true)
        .frameGap(Duration.ZERO)
        .quietPeriod(server.quietPeriod())
        .floodBytes(8L << 20)
        .statefulRuns(3)
        .statefulSteps(20)
        .seed(42);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Dialect.class)
  @DisplayName("the correct test server passes every rule")
  @Timeout(150)
  void correctServerPasses(Dialect dialect) throws Exception {
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.NONE)) {
      ConformanceReport report = ConformanceSuite.run(options(server, dialect).build());
      System.out.println(report.summary());
      List<CheckResult> bad = report.results().stream()
          .filter(r -> r.verdict() == Verdict.FAIL || r.verdict() == Verdict.ERROR || r.verdict() == Verdict.NON_STRICT)
          .collect(Collectors.toList());
      assertTrue(bad.isEmpty(), () -> bad.stream().map(r -> r.summaryLine() + "\n" + r.message() + "\n" + r.transcript())
          .collect(Collectors.joining("\n")));
      assertEquals(0, report.failures().size());
    }
  }
}
