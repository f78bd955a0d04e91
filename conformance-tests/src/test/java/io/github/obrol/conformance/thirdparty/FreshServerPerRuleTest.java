package io.github.obrol.conformance.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.conformance.thirdparty.StudentServer.Variation;
import io.github.obrol.protocol.Dialect;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code freshServer}: every rule's check runs on a server started for it alone and stopped after it. */
class FreshServerPerRuleTest {

  @Test
  @DisplayName("each rule gets a server of its own, started before and stopped after its check")
  @Timeout(60)
  void everyRuleRunsOnAFreshServer() throws Exception {
    List<StudentServer> started = new ArrayList<>();
    try (StudentServer target = new StudentServer(Variation.CLIENT_OFF_TO_ALL)) {
      ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(target.address())
          .dialect(Dialect.CLASSIC).frameGap(Duration.ZERO).statefulRuns(0)
          .include("GEN-DELIVER-1", "CL-SENDALL-1", "GEN-LIST-1")
          .freshServer(() -> {
            StudentServer s = new StudentServer(Variation.CLIENT_OFF_TO_ALL);
            started.add(s);
            return new LaunchedServer() {
              @Override
              public InetSocketAddress address() {
                return s.address();
              }

              @Override
              public void close() {
                s.close();
              }
            };
          }).build());
      Map<String, Verdict> got = new TreeMap<>();
      report.results().forEach(r -> got.put(r.ruleId(), r.verdict()));
      assertEquals(Map.of("GEN-DELIVER-1", Verdict.PASS, "CL-SENDALL-1", Verdict.PASS, "GEN-LIST-1", Verdict.PASS), got,
          report::summary);
      assertEquals(3, started.size(), "one fresh server per rule");
    }
  }
}
