package io.github.obrol.conformance.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.NotAChatServerException;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.thirdparty.StudentServer.Variation;
import io.github.obrol.protocol.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The suite against small servers written independently of it (see {@link StudentServer}): for every rule,
 * the verdict a careful reader of that server's code and PROTOCOL.md gives; never a crash, always a report.
 */
class ThirdPartyServersTest {
  static final Map<Variation, Map<String, Verdict>> REPORTS = new EnumMap<>(Variation.class);

  @Test
  @DisplayName("explore")
  @Timeout(300)
  void explore() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Variation.values().length);
    Map<Variation, Future<ConformanceReport>> runs = new LinkedHashMap<>();
    for (Variation v : Variation.values()) {
      runs.put(v, pool.submit(() -> run(v)));
    }
    for (Map.Entry<Variation, Future<ConformanceReport>> e : runs.entrySet()) {
      ConformanceReport r = e.getValue().get();
      Map<String, Verdict> m = new TreeMap<>();
      r.results().forEach(x -> m.put(x.ruleId(), x.verdict()));
      System.out.println("=== " + e.getKey() + "\n" + r.summary());
    }
    pool.shutdown();
  }

  static ConformanceReport run(Variation v) throws Exception {
    try (StudentServer server = new StudentServer(v)) {
      ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(server.address())
          .dialect(Dialect.CLASSIC).frameGap(Duration.ZERO).floodBytes(0).statefulRuns(1).statefulSteps(10).seed(3)
          .build());
      report.writeTo(Path.of("target", "conformance", "thirdparty", v.name().toLowerCase()));
      return report;
    }
  }
}
