package io.github.obrol.conformance.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.NotAChatServerException;
import io.github.obrol.conformance.RunOutcome;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.thirdparty.StudentServer.Variation;
import io.github.obrol.protocol.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The suite against small classic servers written independently of it ({@link StudentServer}, each with one
 * variation seen in other students' servers) and a server that is no chat server ({@link HttpLikeServer}):
 * for every rule, the verdict a careful reader of that server's code and PROTOCOL.md gives; never a crash,
 * always a report. The expected verdicts are written out here and explained in conformance-tests/README.md.
 */
class ThirdPartyServersTest {

  /** Rules no classic run with these options checks, and why (skipped in every report below). */
  private static final List<String> SKIPPED = List.of(
      "GEN-LINE-3", "GEN-DIALECT-1", "GEN-DIALECT-2", "GEN-DIALECT-3", // 1 MiB list; one dialect only
      "GEN-LEAVE-2", "GEN-LIMIT-1", "GEN-LIMIT-2", "GEN-LIMIT-3", "GEN-LIMIT-4", "GEN-LIMIT-5", // not declared / flood off
      "CLIENT-1", "CLIENT-2", "CL-FRAME-4", "CL-LIST-2", "CL-VARIANT-1", "CL-VARIANT-2", "CL-VARIANT-3", // client rules
      "CL-NOTICE-1", // no administrator's broadcast on the wire
      "CL-QUIT-1", // MAY: these servers answer quit with "invalid command"
      "GEN-LINE-1", // maxline-sized broadcasts: disruptive, off by default
      "GEN-REJECT-1", "CLIENT-3", // MAY, not on the wire; a client rule
      "GEN-LINE-4", "GEN-LINE-5", "GEN-LINE-6", "GEN-LIMIT-7", "GEN-LIMIT-8", "GEN-LIMIT-9", "GEN-LIMIT-10",
      "GEN-LIMIT-11", "GEN-LIMIT-12", "GEN-LIMIT-13", // not checked over the wire yet
      "CLUSTER-1", "CLUSTER-2", "CLUSTER-3", "CLUSTER-4", "CLUSTER-5", "CLUSTER-6", "CLUSTER-7", "CLUSTER-8"); // cluster rules

  /** What every StudentServer breaks: it does not split the original client's merged login, nor refuse GEN-TEXT-4's characters. */
  private static final Map<String, Verdict> BASE = Map.of("CL-FRAME-3", Verdict.FAIL,
      // Written before GEN-TEXT-4: it relays C1 controls, line separators and bidi controls instead of refusing them.
      "GEN-TEXT-4", Verdict.FAIL);

  /** The verdicts besides BASE that differ from PASS, per variation. */
  private static final Map<Variation, Map<String, Verdict>> DIFFERENCES = Map.of(
      Variation.NONE, Map.of(),
      // The join notice's extra space breaks only the rules that fix its bytes.
      Variation.TRAILING_SPACE_JOIN, Map.of("CL-SFRAME-2", Verdict.FAIL, "CL-JOIN-1", Verdict.FAIL),
      // No named departure, and anonymous departures announced: GEN-LEAVE-1; the form: CL-LEAVE-1, CL-SFRAME-2.
      // GEN-ORDER-2 holds (the nameless notice follows the messages): NON_STRICT, CL-VARIANT-2.
      Variation.CLIENT_OFF_TO_ALL, Map.of("GEN-LEAVE-1", Verdict.FAIL, "CL-LEAVE-1", Verdict.FAIL,
          "CL-SFRAME-2", Verdict.FAIL, "GEN-ORDER-2", Verdict.NON_STRICT),
      // No list: its rules fail, STATEFUL's user-list invariant too (GEN-LIST-1); everything else is checked
      // through private messages to oneself and passes.
      Variation.WHO_LIST, Map.of("GEN-LIST-1", Verdict.FAIL, "CL-LIST-1", Verdict.FAIL, "STATEFUL", Verdict.FAIL),
      // Refusals in other texts: the refusals hold (NON_STRICT, CL-VARIANT-3), the texts fail their rules.
      Variation.INDONESIAN_ERRORS, Map.of("GEN-NAME-2", Verdict.NON_STRICT, "GEN-NAME-4", Verdict.NON_STRICT,
          "CL-LOGIN-2", Verdict.FAIL, "CL-AUTH-2", Verdict.FAIL, "CL-ERROR-1", Verdict.FAIL, "STATEFUL", Verdict.FAIL),
      // The wrong user announced: caught because the departing user is neither first nor last.
      Variation.LATEST_USER_OFF, Map.of("GEN-LEAVE-1", Verdict.FAIL, "CL-LEAVE-1", Verdict.FAIL,
          "CL-SENDTO-2", Verdict.FAIL),
      // The late second notice is counted within the departure settle time.
      Variation.LATE_SECOND_LEAVE, Map.of("GEN-LEAVE-1", Verdict.FAIL, "CL-LEAVE-1", Verdict.FAIL,
          "GEN-LIMIT-6", Verdict.FAIL));

  @Test
  @DisplayName("independently written classic servers get the verdicts a careful reader gives, rule by rule")
  @Timeout(400)
  void everyRuleGetsTheRightVerdict() throws Exception {
    List<Variation> variations = new ArrayList<>(DIFFERENCES.keySet());
    variations.sort(null);
    ExecutorService pool = Executors.newFixedThreadPool(variations.size());
    try {
      Map<Variation, Future<ConformanceReport>> runs = new LinkedHashMap<>();
      for (Variation v : variations) {
        // The late duplicate notice would land in whichever later STATEFUL step is running: no run of it there.
        int statefulRuns = v == Variation.LATE_SECOND_LEAVE ? 0 : 1;
        runs.put(v, pool.submit(() -> run(v, statefulRuns)));
      }
      List<String> wrong = new ArrayList<>();
      for (Map.Entry<Variation, Future<ConformanceReport>> e : runs.entrySet()) {
        ConformanceReport report = e.getValue().get();
        Map<String, Verdict> want = expected(report, e.getKey());
        Map<String, Verdict> got = new TreeMap<>();
        report.results().forEach(r -> got.put(r.ruleId(), r.verdict()));
        if (!got.equals(want)) {
          for (CheckResult r : report.results()) {
            if (r.verdict() != want.get(r.ruleId())) {
              wrong.add(e.getKey() + " " + r.ruleId() + ": expected " + want.get(r.ruleId()) + ", got "
                  + r.verdict() + "\n    " + r.message().replace("\n", "\n    "));
            }
          }
        }
        assertTrue(Files.exists(dir(e.getKey()).resolve("report.json")), "a report for " + e.getKey());
        assertEquals(RunOutcome.FAIL, report.outcome(), e.getKey().toString());
      }
      assertEquals(List.of(), wrong, String.join("\n", wrong));
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, Verdict> expected(ConformanceReport report, Variation v) {
    Map<String, Verdict> want = new TreeMap<>();
    for (CheckResult r : report.results()) {
      // Section 8 (TLS-n, AUTH-n) is checked only in a modern run: these classic servers skip all of it.
      boolean section8 = r.ruleId().startsWith("TLS-") || r.ruleId().startsWith("AUTH-");
      want.put(r.ruleId(), SKIPPED.contains(r.ruleId()) || section8 ? Verdict.SKIPPED : Verdict.PASS);
    }
    want.putAll(BASE);
    want.putAll(DIFFERENCES.get(v));
    if (v == Variation.LATE_SECOND_LEAVE) {
      want.remove("STATEFUL");
    }
    return want;
  }

  @Test
  @DisplayName("a server whose logins cannot be confirmed leaves its rules INCONCLUSIVE, STATEFUL too, without a crash")
  @Timeout(60)
  void unconfirmableLoginsAreInconclusive() throws Exception {
    try (StudentServer server = new StudentServer(Variation.WHO_LIST_NO_SELF)) {
      // No list, no private message to oneself: a login is confirmed only by a join notice another client of
      // the same check saw, which the first user of a check never has.
      ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(server.address())
          .dialect(Dialect.CLASSIC).frameGap(Duration.ZERO).floodBytes(0).statefulRuns(1).statefulSteps(5).seed(3)
          .include("GEN-NAME-3", "GEN-DELIVER-1", "STATEFUL").build());
      Map<String, Verdict> got = new TreeMap<>();
      report.results().forEach(r -> got.put(r.ruleId(), r.verdict()));
      assertEquals(Map.of("GEN-NAME-3", Verdict.PASS, "GEN-DELIVER-1", Verdict.INCONCLUSIVE,
          "STATEFUL", Verdict.INCONCLUSIVE), got, report::summary);
      CheckResult deliver = report.results().stream().filter(r -> r.ruleId().equals("GEN-DELIVER-1")).findFirst()
          .orElseThrow();
      assertTrue(deliver.message().startsWith("could not be checked: ") && deliver.message().contains("list")
          && deliver.message().contains("private message to itself"), deliver.message());
      assertEquals(RunOutcome.INCONCLUSIVE, report.outcome());
      assertEquals(5, report.outcome().exitCode());
      assertTrue(report.summary().contains("INCONCLUSIVE"), report.summary());
    }
  }

  @Test
  @DisplayName("an HTTP server is recognised as no chat server at calibration, with what it answered")
  @Timeout(30)
  void httpServerIsNotAChatServer() throws Exception {
    try (HttpLikeServer server = new HttpLikeServer()) {
      for (Dialect d : Dialect.values()) {
        NotAChatServerException e = assertThrows(NotAChatServerException.class, () -> ConformanceSuite.run(
            ConformanceOptions.builder(server.address()).dialect(d).statefulRuns(0).build()));
        assertTrue(e.getMessage().startsWith("not a chat server:") && e.getMessage().contains("HTTP/1.1 400"),
            e.getMessage());
        assertTrue(e.transcript().contains("HTTP/1.1 400 Bad Request"), e.transcript());
      }
    }
  }

  private static Path dir(Variation v) {
    return Path.of("target", "conformance", "thirdparty", v.name().toLowerCase(Locale.ROOT));
  }

  private static ConformanceReport run(Variation v, int statefulRuns) throws Exception {
    try (StudentServer server = new StudentServer(v)) {
      ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(server.address())
          .dialect(Dialect.CLASSIC).frameGap(Duration.ZERO).floodBytes(0).statefulRuns(statefulRuns)
          .statefulSteps(10).seed(3).build());
      report.writeTo(dir(v));
      return report;
    }
  }
}
