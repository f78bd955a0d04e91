package io.github.obrol.conformance.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.launch.ExternalCommandLauncher;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.protocol.Dialect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The suite against the original {@code chatserver.py} (Python 2.7), started per run by the external
 * command launcher: it passes what the original does right and reports each of its documented defects
 * (PROTOCOL.md section 5.5) under the rule it breaks. Skipped where Python 2 or the script is absent.
 */
class OriginalServerTest {

  @Test
  @DisplayName("chatserver.py: the rules it keeps pass, its defects fail under the right rule IDs")
  @Timeout(240)
  void originalServerDefectsAreReportedUnderTheirRules() throws Exception {
    Optional<List<String>> python = Python2.command();
    Optional<Path> script = Python2.server();
    assumeTrue(python.isPresent(), "Python 2.7 not found (OBROL_PYTHON2, pyenv 2.7.18 or python2)");
    assumeTrue(script.isPresent(), "chatserver.py not found in " + Python2.seedDir());
    List<String> command = new ArrayList<>(python.get());
    command.add(script.get().toString());
    command.add("{port}");
    ExternalCommandLauncher launcher = ExternalCommandLauncher.builder(command)
        .environment("PYENV_VERSION", "2.7.18").readinessTimeout(Duration.ofSeconds(30)).build();
    try (LaunchedServer server = launcher.launch()) {
      ConformanceOptions options = ConformanceOptions.builder(server.address())
          .dialect(Dialect.CLASSIC)
          .frameGap(Duration.ofMillis(150)) // it frames by read boundaries (CL-FRAME-4)
          .floodBytes(0) // its blocking sends would hang it for good
          .replyTimeout(Duration.ofMillis(500)).silence(Duration.ofMillis(200))
          .statefulRuns(1).statefulSteps(6).seed(7)
          .build();
      ConformanceReport report = ConformanceSuite.run(options);
      report.serverOutput(server.output());
      report.writeTo(Path.of("target", "conformance", "original-classic"));
      System.out.println(report.summary());
      Map<String, Verdict> verdicts = report.results().stream()
          .collect(Collectors.toMap(CheckResult::ruleId, CheckResult::verdict));
      // Its documented defects (PROTOCOL.md 5.5), each under the rule it breaks.
      for (String broken : List.of("CL-AUTH-1", "GEN-DELIVER-3", "FR-LINE-1", "GEN-NAME-5", "GEN-LEAVE-1",
          "CL-AUTH-2", "CL-SENDTO-2", "CL-LOGIN-3", "GEN-JOIN-1", "GEN-TEXT-3", "GEN-NAME-1")) {
        assertEquals(Verdict.FAIL, verdicts.get(broken), broken + "\n" + report.summary());
      }
      // What it does right.
      for (String kept : List.of("CL-LOGIN-2", "CL-LIST-1", "CL-SENDALL-1", "CL-SENDTO-1", "CL-JOIN-1",
          "CL-INVALID-1", "CL-FRAME-1", "CL-FRAME-2", "GEN-DELIVER-2", "GEN-ORDER-2", "GEN-LIST-1")) {
        assertEquals(Verdict.PASS, verdicts.get(kept), kept + "\n" + report.summary());
      }
      assertFalse(report.passed());
    }
  }
}
