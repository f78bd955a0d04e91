package io.github.obrol.conformance.tck;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceSession;
import io.github.obrol.conformance.launch.LaunchedServer;
import io.github.obrol.conformance.launch.ServerLauncher;
import io.github.obrol.conformance.internal.ReportWriter;
import io.github.obrol.conformance.internal.StatefulCheck;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.RuleCatalog;
import io.github.obrol.protocol.RuleLevel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit Jupiter TCK: extend this class once, supply the server (a {@link ServerLauncher}) and its
 * capabilities, and every rule of PROTOCOL.md appears as its own test, named after its rule ID, per dialect.
 *
 * <pre>{@code
 * class MyServerConformanceTest extends ChatServerVerification {
 *   @Override protected ServerLauncher launcher() {
 *     return ServerLauncher.running(new InetSocketAddress("127.0.0.1", 9009));
 *   }
 *   @Override protected List<Dialect> dialects() { return List.of(Dialect.MODERN, Dialect.CLASSIC); }
 *   @Override protected boolean servesBothDialects() { return true; }
 * }
 * }</pre>
 *
 * <h2>Build setup</h2>
 * The suite brings no JUnit version of its own (its JUnit Jupiter API dependency is {@code provided}): add
 * {@code org.junit.jupiter:junit-jupiter} 5.10 or later, or 6, as a test dependency, as for any JUnit test. Each
 * test is named after its rule and level, {@code "CL-JOIN-1 (MUST)"}, grouped per dialect; IDEs show these names.
 * Surefire writes them into its XML reports with the JUnit 5 reporter and phrased names:
 * <pre>{@code
 * <statelessTestsetReporter implementation="org.apache.maven.plugin.surefire.extensions.junit5.JUnit5Xml30StatelessReporter">
 *   <usePhrasedTestCaseMethodName>true</usePhrasedTestCaseMethodName>
 * </statelessTestsetReporter>
 * }</pre>
 *
 * <h2>Verdicts as JUnit results</h2>
 * A launcher whose {@link LaunchedServer#ownsServer()} is true also gets GEN-LEAVE-2 checked last, by
 * shutting the server down, and the disruptive checks (floods, filling the connection slots) run, since no one
 * else uses that server; for a shared server they are skipped unless {@link #configure} turns them on.
 *
 * <p>PASS passes. FAIL, ERROR and INCONCLUSIVE of a MUST rule (it could not be checked) fail (a failure message gives the rule ID, what was expected, what the server
 * did, and the timestamped transcript of every client). A SHOULD rule not met (NON_STRICT), an optional
 * rule, a client rule and a rule needing an undeclared capability are aborted: JUnit shows them as skipped
 * with the reason, so they are visible but never red, as in the Reactive Streams TCK.
 *
 * <h2>If a rule fails</h2>
 * Read the transcript in the failure message first: it shows the exact bytes each client sent and
 * received. The rule text is quoted at the top. Then check, in your server: how frames are split (FR-LINE-1),
 * whether events for other users are written before the reply that follows them (GEN-ORDER-3), and name
 * comparison (GEN-NAME-2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ChatServerVerification {
  private static final RuleCatalog CATALOG = RuleCatalog.load();
  private final List<LaunchedServer> launched = new ArrayList<>();

  /** The server under test. Called once per test class. */
  protected abstract ServerLauncher launcher();

  /** The dialects to check. Default: modern only. */
  protected List<Dialect> dialects() {
    return List.of(Dialect.MODERN);
  }

  /** Whether the server serves both dialects on one port (enables GEN-DIALECT-1, GEN-DIALECT-2). Default: false. */
  protected boolean servesBothDialects() {
    return false;
  }

  /**
   * Whether the server frames classic input by LF (and the quiet period) rather than by read boundaries;
   * if so the suite sends classic frames without pacing. Default: true.
   */
  protected boolean framesClassicByLine() {
    return true;
  }

  /** The server's login timeout, to check GEN-LIMIT-1. Default: not declared (the rule is skipped). */
  protected Optional<Duration> loginTimeout() {
    return Optional.empty();
  }

  /** The server's connection limit, to check GEN-LIMIT-3. Default: 0, not declared (skipped). */
  protected int maxConnections() {
    return 0;
  }

  /** The server's classic quiet period (CL-FRAME-2). Default: the protocol's 100 ms. */
  protected Duration quietPeriod() {
    return io.github.obrol.protocol.ProtocolDefaults.CLASSIC_QUIET_PERIOD;
  }

  /** Whether {@link #broadcastNotice} is implemented, so that CL-NOTICE-1 is checked. Default: false. */
  protected boolean canBroadcastNotice() {
    return false;
  }

  /**
   * Makes the server send an administrator's notice with {@code text} to every user (CL-NOTICE-1); called
   * only if {@link #canBroadcastNotice()}. Default: unsupported.
   */
  protected void broadcastNotice(LaunchedServer server, String text) {
    throw new UnsupportedOperationException("no administrator broadcast");
  }

  /**
   * TLS for the suite's connections and the accounts of its AUTH checks, as the CLI's {@code --tls}, {@code --ca},
   * {@code --tls-insecure} and {@code --accounts} set them (for example {@code
   * ConformanceSecurity.plainText().withTls(caPem, false).withAccounts(ConformanceSecurity.readAccounts(file))}).
   * Default: plain text, no accounts (the AUTH rules are then SKIPPED or INCONCLUSIVE, with the reason).
   */
  protected io.github.obrol.conformance.ConformanceSecurity security() {
    return io.github.obrol.conformance.ConformanceSecurity.plainText();
  }

  /** A last chance to change the options (rule selection, timeouts, seed, stateful runs...). */
  protected ConformanceOptions.Builder configure(ConformanceOptions.Builder options) {
    return options;
  }

  /** Where to write the report files, or empty for none. Default: none. */
  protected Optional<java.nio.file.Path> reportDirectory() {
    return Optional.empty();
  }

  /** One container per dialect, one test per rule. */
  @TestFactory
  @DisplayName("rules:")
  Stream<DynamicNode> rules() throws IOException {
    LaunchedServer server = launcher().launch();
    launched.add(server);
    List<DynamicNode> containers = new ArrayList<>();
    ConformanceSession last = null;
    for (Dialect dialect : dialects()) {
      ConformanceSession session = ConformanceSession.open(options(server, dialect));
      last = session;
      containers.add(DynamicContainer.dynamicContainer(dialect.name().toLowerCase(java.util.Locale.ROOT),
          dialectTests(server, dialect, session)));
    }
    ConformanceSession shutdownSession = last;
    if (server.ownsServer() && shutdownSession != null) {
      // The server is gone afterwards: this runs last, in the last dialect.
      containers.add(DynamicContainer.dynamicContainer("shutdown", Stream.of(DynamicTest.dynamicTest(
          displayName("GEN-LEAVE-2"), () -> judge(shutdownSession.checkShutdown(() -> stop(server)), server)))));
    }
    return containers.stream();
  }

  private void stop(LaunchedServer server) {
    if (launched.remove(server)) {
      server.close();
    }
  }

  private Stream<DynamicNode> dialectTests(LaunchedServer server, Dialect dialect, ConformanceSession session) {
    List<CheckResult> results = new ArrayList<>();
    List<DynamicNode> tests = new ArrayList<>();
    List<String> ids = session.ids();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      boolean last = i == ids.size() - 1;
      boolean notice = id.equals("CL-NOTICE-1") && canBroadcastNotice();
      tests.add(DynamicTest.dynamicTest(displayName(id), () -> {
        CheckResult r = notice ? session.checkNotice(text -> broadcastNotice(server, text)) : session.check(id);
        results.add(r);
        if (last) {
          writeReport(server, dialect, session, results);
        }
        judge(r, server);
      }));
    }
    return tests.stream();
  }

  /**
   * A test's name as IDEs and Surefire show it: the rule ID and its level, for example {@code "CL-JOIN-1 (MUST)"};
   * the model-based check is {@code "STATEFUL (MUST)"}.
   */
  static String displayName(String id) {
    RuleLevel level = id.equals(StatefulCheck.ID) ? RuleLevel.MUST : CATALOG.get(id).level();
    return id + " (" + level + ")";
  }

  private ConformanceOptions options(LaunchedServer server, Dialect dialect) {
    ConformanceOptions.Builder b = ConformanceOptions.builder(server.address())
        .dialect(dialect)
        // A server this class owns has no other users: the checks that would disturb them run too.
        .disruptive(server.ownsServer())
        .mixedDialects(servesBothDialects())
        .frameGap(framesClassicByLine() ? Duration.ZERO : Duration.ofMillis(150))
        .quietPeriod(quietPeriod())
        .maxConnections(maxConnections())
        .statefulRuns(3)
        .statefulSteps(20)
        .security(security());
    loginTimeout().ifPresent(b::loginTimeout);
    return configure(b).build();
  }

  private void writeReport(LaunchedServer server, Dialect dialect, ConformanceSession session, List<CheckResult> results)
      throws IOException {
    Optional<java.nio.file.Path> dir = reportDirectory();
    if (dir.isEmpty()) {
      return;
    }
    var report = new io.github.obrol.conformance.ConformanceReport(
        server.address().getHostString() + ":" + server.address().getPort(), dialect.name().toLowerCase(java.util.Locale.ROOT),
        session.calibration(), 0, false, java.time.Instant.now(), Duration.ZERO, results);
    report.serverOutput(server.output());
    ReportWriter.write(report, dir.get().resolve(dialect.name().toLowerCase(java.util.Locale.ROOT)));
  }

  private static void judge(CheckResult r, LaunchedServer server) {
    String details = r.message() + (r.transcript().isEmpty() ? "" : "\n\ntranscript:\n" + r.transcript())
        + (server.output().isEmpty() ? "" : "\n\nserver output:\n" + tail(server.output()));
    switch (r.verdict()) {
      case PASS:
        return;
      case FAIL:
      case ERROR:
        throw new AssertionFailedError(r.ruleId() + " (" + r.level() + "): " + r.ruleText() + "\n" + details);
      default:
        if (r.verdict().name().equals("INCONCLUSIVE") && r.level() == RuleLevel.MUST) {
          // A MUST rule that could not be checked is no pass: red, with the unmet precondition.
          throw new AssertionFailedError("INCONCLUSIVE " + r.ruleId() + " (MUST) could not be checked: " + r.ruleText()
              + "\n" + details);
        }
        Assumptions.abort(r.verdict() + ": " + r.message());
    }
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
  }

  @AfterAll
  void stopServers() {
    new ArrayList<>(launched).forEach(this::stop);
  }
}
