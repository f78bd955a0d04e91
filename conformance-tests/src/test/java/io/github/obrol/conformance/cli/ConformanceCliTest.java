package io.github.obrol.conformance.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.conformance.launch.PortProbe;
import io.github.obrol.conformance.mutants.MutantServer;
import io.github.obrol.protocol.RuleLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes, console output, report files and replay. */
class ConformanceCliTest {

  /** Output and exit code of one CLI run. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ConformanceCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  @DisplayName("bad arguments exit with 2")
  void badArguments() {
    assertEquals(2, ConformanceCli.execute("--dialect", "klingon", "--port", "1"));
    assertEquals(2, ConformanceCli.execute("--no-such-option"));
    assertEquals(2, ConformanceCli.execute("--port", "70000"));
    assertEquals(2, run("rules", "--dialect", "klingon").code());
    Run fresh = run("--port", "1", "--fresh-server", "-q");
    assertEquals(2, fresh.code(), fresh.err());
    assertTrue(fresh.err().contains("--fresh-server: needs --launch"), fresh.err());
  }

  @Test
  @DisplayName("--include or --exclude globs that match no rule exit with 2 before connecting")
  @Timeout(30)
  void selectionMatchingNothing() throws Exception {
    String port = String.valueOf(PortProbe.freePort()); // nobody listens: a connect attempt would be exit 3
    Run nope = run("--port", port, "--include", "NOPE-*", "-q");
    assertEquals(2, nope.code(), nope.err());
    assertTrue(nope.err().contains("--include NOPE-*: matches no rule"), nope.err());
    Run classicOnly = run("--port", port, "--dialect", "modern", "--include", "CL-JOIN-1", "-q");
    assertEquals(2, classicOnly.code(), "CL-JOIN-1 is no rule of the modern dialect: " + classicOnly.err());
    Run badExclude = run("--port", port, "--exclude", "GEN-NOPE-1", "-q");
    assertEquals(2, badExclude.code(), badExclude.err());
    Run nothingLeft = run("--port", port, "--include", "MD-PING-1", "--exclude", "MD-*", "-q");
    assertEquals(2, nothingLeft.code(), nothingLeft.err());
    assertTrue(nothingLeft.err().contains("no rule is left"), nothingLeft.err());
  }

  @Test
  @DisplayName("a port nobody listens on exits with 3")
  @Timeout(30)
  void unreachable() throws Exception {
    int port = PortProbe.freePort();
    assertEquals(3, ConformanceCli.execute("--port", String.valueOf(port), "-q"));
  }

  @Test
  @DisplayName("an HTTP server exits with 3 and one clear line, before any rule is checked")
  @Timeout(30)
  void httpServerIsNotAChatServer(@TempDir Path dir) throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
    try {
      for (String dialect : List.of("modern", "classic")) {
        Run r = run("--port", String.valueOf(http.getAddress().getPort()), "--dialect", dialect,
            "--report-dir", dir.resolve(dialect).toString());
        assertEquals(3, r.code(), dialect + ":\n" + r.out() + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("not a chat server: ") && lines.get(0).contains("\"HTTP/1.1 ")
            && lines.get(0).contains("an HTTP server"), lines.get(0));
        assertFalse(r.out().contains("checking "), "rules were run against an HTTP server:\n" + r.out());
      }
    } finally {
      http.stop(0);
    }
  }

  @Test
  @DisplayName("a conforming server exits with 0 and gets report.json, junit.xml, report.html")
  @Timeout(120)
  void passWritesReports(@TempDir Path dir) throws Exception {
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.NONE)) {
      int code = ConformanceCli.execute("--host", "127.0.0.1", "--port", String.valueOf(server.address().getPort()),
          "--dialect", "modern", "--report-dir", dir.toString(), "--seed", "3", "--stateful-runs", "2",
          "--flood-bytes", String.valueOf(8 << 20), "--exclude", "GEN-NAME-3");
      assertEquals(ConformanceCli.EXIT_PASS, code);
      String json = Files.readString(dir.resolve("report.json"), StandardCharsets.UTF_8);
      List<?> rules = (List<?>) JSON.std.mapFrom(json).get("rules");
      Map<?, ?> login = rules.stream().map(r -> (Map<?, ?>) r)
          .filter(r -> "MD-LOGIN-1".equals(r.get("id"))).findFirst().orElseThrow();
      assertEquals("PASS", login.get("verdict"), json);
      assertTrue(rules.stream().noneMatch(r -> "GEN-NAME-3".equals(((Map<?, ?>) r).get("id"))), "excluded rule reported");
      assertTrue(Files.readString(dir.resolve("junit.xml")).contains("<testcase"));
      assertTrue(Files.readString(dir.resolve("report.html")).contains("MD-LOGIN-1"));
      assertTrue(Files.exists(dir.resolve("transcripts").resolve("MD-LOGIN-1.txt")));
    }
  }

  @Test
  @DisplayName("a default run skips the disruptive checks and says how to run them; --disruptive runs them")
  @Timeout(120)
  void disruptiveChecksNeedTheOption(@TempDir Path dir) throws Exception {
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.NONE)) {
      String port = String.valueOf(server.address().getPort());
      Run safe = run("--port", port, "--include", "GEN-LIMIT-5,GEN-LINE-1,MD-PING-1", "--stateful-runs", "0",
          "--flood-bytes", String.valueOf(4 << 20), "--report-dir", dir.resolve("safe").toString(), "-q");
      assertEquals(0, safe.code(), safe.out());
      String json = Files.readString(dir.resolve("safe").resolve("report.json"));
      for (String id : List.of("GEN-LIMIT-5", "GEN-LINE-1")) {
        java.util.Map<?, ?> r = rule(json, id);
        assertTrue("SKIPPED".equals(r.get("verdict")) && String.valueOf(r.get("message")).contains("--disruptive"),
            id + " ran without --disruptive:\n" + json);
      }
      Run all = run("--port", port, "--include", "GEN-LIMIT-5,GEN-LINE-1", "--stateful-runs", "0", "--disruptive",
          "--flood-bytes", String.valueOf(4 << 20), "--report-dir", dir.resolve("all").toString(), "-q");
      assertEquals(0, all.code(), all.out());
      String allJson = Files.readString(dir.resolve("all").resolve("report.json"));
      for (String id : List.of("GEN-LIMIT-5", "GEN-LINE-1")) {
        assertEquals("PASS", rule(allJson, id).get("verdict"), allJson);
      }
    }
  }

  /** The result of rule {@code id} in a report.json. */
  static java.util.Map<?, ?> rule(String json, String id) throws java.io.IOException {
    List<?> rules = (List<?>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(json).get("rules");
    return rules.stream().map(r -> (java.util.Map<?, ?>) r).filter(r -> id.equals(r.get("id"))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in the report:\n" + json));
  }

  @Test
  @DisplayName("a MUST failure exits with 1, the console shows expected and actual, and STATEFUL.txt replays as written")
  @Timeout(120)
  void failureExitsWithOne(@TempDir Path dir) throws Exception {
    try (MutantServer server = MutantServer.start(MutantServer.Mutation.DROP_ONE_RECIPIENT)) {
      String port = String.valueOf(server.address().getPort());
      Run r = run("--port", port, "--dialect", "classic", "--frame-gap", "0",
          "--quiet-period", "50", "--include", "GEN-DELIVER-*,STATEFUL", "--seed", "5", "--stateful-steps", "30",
          "--report-dir", dir.toString(), "-q");
      assertEquals(1, r.code(), r.out() + r.err());
      List<String> lines = r.out().lines().toList();
      int fail = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith("FAIL") && lines.get(i).contains("GEN-DELIVER-1")) {
          fail = i;
        }
      }
      assertTrue(fail >= 0 && lines.get(fail).contains("expected:"), r.out());
      assertTrue(lines.get(fail + 1).strip().startsWith("actual:"), "no actual line after the failure:\n" + r.out());
      assertTrue(r.out().contains("RESULT: FAIL (exit 1)"), r.out());
      // The transcript exactly as the suite wrote it: its header lines, the scenario, then the wire bytes.
      Path transcript = dir.resolve("transcripts").resolve("STATEFUL.txt");
      assertTrue(Files.readString(transcript).startsWith("STATEFUL (MUST)"), Files.readString(transcript));
      Run replay = run("replay", transcript.toString(), "--port", port, "--frame-gap", "0", "--quiet-period", "50");
      assertEquals(1, replay.code(), replay.out() + replay.err());
      assertTrue(replay.out().contains("expected: ") && replay.out().contains("actual: "), replay.out());
    }
  }

  @Test
  @DisplayName("exit codes: FAIL 1 before ERROR 4 before INCONCLUSIVE 5; SKIPPED and NON_STRICT pass unless --strict")
  void exitCodes() {
    assertEquals(0, ConformanceCli.exitCode(report(false, result("A", RuleLevel.MUST, Verdict.PASS),
        result("B", RuleLevel.MUST, Verdict.SKIPPED), result("C", RuleLevel.SHOULD, Verdict.NON_STRICT))));
    assertEquals(1, ConformanceCli.exitCode(report(true, result("C", RuleLevel.SHOULD, Verdict.NON_STRICT))));
    assertEquals(4, ConformanceCli.exitCode(report(false, result("A", RuleLevel.SHOULD, Verdict.ERROR))));
    assertEquals(1, ConformanceCli.exitCode(report(false, result("A", RuleLevel.MUST, Verdict.ERROR),
        result("B", RuleLevel.MUST, Verdict.FAIL))));
    assertEquals(5, ConformanceCli.exitCode(report(false, result("A", RuleLevel.MUST, Verdict.INCONCLUSIVE))));
    assertEquals(0, ConformanceCli.exitCode(report(false, result("A", RuleLevel.SHOULD, Verdict.INCONCLUSIVE))));
    assertEquals(5, ConformanceCli.exitCode(report(true, result("A", RuleLevel.SHOULD, Verdict.INCONCLUSIVE))));
    assertEquals(4, ConformanceCli.exitCode(report(false, result("A", RuleLevel.MUST, Verdict.INCONCLUSIVE),
        result("B", RuleLevel.MUST, Verdict.ERROR))));
    assertTrue(ConformanceCli.console(report(false, result("A", RuleLevel.MUST, Verdict.INCONCLUSIVE)))
        .contains("RESULT: INCOMPLETE (exit 5)"));
    assertTrue(ConformanceCli.console(report(false, result("A", RuleLevel.MUST, Verdict.ERROR)))
        .contains("RESULT: SUITE ERROR (exit 4)"));
  }

  static CheckResult result(String id, RuleLevel level, Verdict verdict) {
    return new CheckResult(id, level, "rule " + id, verdict, Duration.ZERO,
        verdict == Verdict.PASS ? "" : "expected: x\n  actual: y", "");
  }

  static ConformanceReport report(boolean strict, CheckResult... results) {
    return new ConformanceReport("127.0.0.1:1", "modern", "calibration", 1, strict, Instant.EPOCH, Duration.ZERO,
        List.of(results));
  }
}
