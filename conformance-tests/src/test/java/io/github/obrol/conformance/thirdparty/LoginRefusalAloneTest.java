package io.github.obrol.conformance.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.thirdparty.StudentServer.Variation;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.testkit.Verifies;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CL-LOGIN-2's "alone in one TCP write" is judged by read boundaries, which show the server's writes only while the
 * suite keeps up. CI once failed a correct server (StudentServer with {@code CLIENT_OFF_TO_ALL}): a notice written
 * just after the refusal landed in the same read, 35 bytes instead of 23. The check asks again before it fails.
 */
@Timeout(60)
class LoginRefusalAloneTest {
  @Test
  @DisplayName("CL-LOGIN-2: a refusal that once shares its read with the next frame is asked for again and passes")
  @Verifies("CL-LOGIN-2")
  void aRefusalMergedOnceIsAskedForAgain() throws Exception {
    CheckResult r = loginRefusal(Variation.REFUSAL_MERGED_ONCE);
    assertEquals(Verdict.PASS, r.verdict(), r.message() + "\n" + r.transcript());
  }

  @Test
  @DisplayName("CL-LOGIN-2: a refusal that never arrives alone fails, with every attempt in the message")
  @Verifies("CL-LOGIN-2")
  void aRefusalNeverAloneFails() throws Exception {
    CheckResult r = loginRefusal(Variation.REFUSAL_ALWAYS_MERGED);
    assertEquals(Verdict.FAIL, r.verdict(), r.message());
    // "\rusername sudah dipake\n" (23 bytes) and "\rClient off\n" (12 bytes) in one write, three times.
    assertTrue(r.message().contains(
        "it arrived in a read of 35 bytes, then in a read of 35 bytes, then in a read of 35 bytes"), r.message());
  }

  private static CheckResult loginRefusal(Variation v) throws Exception {
    try (StudentServer server = new StudentServer(v)) {
      ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(server.address())
          .dialect(Dialect.CLASSIC).frameGap(Duration.ZERO).floodBytes(0).statefulRuns(0).seed(5)
          .include("CL-LOGIN-2").build());
      return report.results().stream().filter(x -> x.ruleId().equals("CL-LOGIN-2")).findFirst().orElseThrow();
    }
  }
}
