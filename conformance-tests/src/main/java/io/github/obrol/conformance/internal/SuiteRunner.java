package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceListener;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ServerUnreachableException;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.Rule;
import io.github.obrol.protocol.RuleLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Runs the checks of a {@link CheckRegistry} against one server and collects a {@link ConformanceReport}. */
public final class SuiteRunner {
  /** Checks that disturb the server for everyone (floods) run last. */
  private static final List<String> LAST = List.of("GEN-LIMIT-5");

  /**
   * Checks that disturb other users of the target, run only with {@link ConformanceOptions#disruptive()}:
   * GEN-LIMIT-5 floods broadcasts (megabytes to every user), GEN-LIMIT-3 takes every free connection slot
   * (others cannot connect meanwhile), GEN-LINE-1 broadcasts maxline-sized messages, MD-EVENT-2 sends
   * bursts of 60 requests with broadcasts in between.
   */
  public static final List<String> DISRUPTIVE = List.of("GEN-LIMIT-5", "GEN-LIMIT-3", "GEN-LINE-1", "MD-EVENT-2");

  private final ConformanceOptions options;
  private final ConformanceListener listener;
  private final CheckRegistry registry;

  public SuiteRunner(ConformanceOptions options, ConformanceListener listener) {
    this(options, listener, CheckRegistry.standard());
  }

  public SuiteRunner(ConformanceOptions options, ConformanceListener listener, CheckRegistry registry) {
    this.options = options;
    this.listener = listener;
    this.registry = registry;
  }

  /** The rules reported for {@code dialect}. */
  public static List<Rule> rules(Dialect dialect) {
    return CheckRegistry.standard().forDialect(dialect).stream().map(RuleCheck::rule).collect(Collectors.toList());
  }

  /**
   * Connects, measures the round trip and derives the timeouts.
   *
   * @throws ServerUnreachableException if no connection could be opened
   */
  public RunContext prepare() throws ServerUnreachableException {
    probe(options.address(), options.connectTimeout());
    String prefix = options.namePrefix().orElseGet(SuiteRunner::randomPrefix);
    Duration rtt = calibrate(prefix);
    Timeouts timeouts = Timeouts.derive(rtt, options.replyTimeout().orElse(null), options.silence().orElse(null));
    return new RunContext(options, timeouts, prefix);
  }

  /** How the run's timeouts were derived, for reports. */
  public static String calibration(RunContext run) {
    ConformanceOptions o = run.options();
    return run.timeouts().describe(o.replyTimeout().isPresent(), o.silence().isPresent())
        + "; name prefix " + run.prefix() + "; seed " + o.seed();
  }

  /** The selected checks in the order they run, the stateful check excluded. */
  public List<RuleCheck> selectedChecks() {
    return select();
  }

  /** Runs the stateful check, if selected (else null). */
  public CheckResult runStateful(RunContext run) {
    return statefulSelected() ? StatefulCheck.run(run) : null;
  }

  public ConformanceReport run() throws ServerUnreachableException {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    RunContext run = prepare();
    String calibration = calibration(run);
    List<RuleCheck> selected = select();
    listener.started(selected.size() + (statefulSelected() ? 1 : 0), calibration);
    List<CheckResult> results = new ArrayList<>();
    int total = selected.size() + (statefulSelected() ? 1 : 0);
    int index = 0;
    for (RuleCheck check : selected) {
      listener.checkStarted(++index, total, check.rule().id());
      CheckResult result = runOne(check, run);
      results.add(result);
      listener.checkFinished(index, total, result);
    }
    if (statefulSelected()) {
      listener.checkStarted(++index, total, StatefulCheck.ID);
      CheckResult result = StatefulCheck.run(run);
      results.add(result);
      listener.checkFinished(index, total, result);
    }
    ConformanceReport report = new ConformanceReport(
        options.address().getHostString() + ":" + options.address().getPort(),
        options.dialect().name().toLowerCase(Locale.ROOT), calibration, options.seed(), options.strict(), started,
        Duration.ofNanos(System.nanoTime() - t0), results);
    listener.finished(report);
    return report;
  }

  private boolean statefulSelected() {
    return options.statefulRuns() > 0 && selectedId(StatefulCheck.ID);
  }

  private List<RuleCheck> select() {
    List<RuleCheck> chosen = registry.forDialect(options.dialect()).stream()
        .filter(c -> selectedId(c.rule().id()))
        .collect(Collectors.toList());
    List<RuleCheck> ordered = new ArrayList<>();
    chosen.stream().filter(c -> !LAST.contains(c.rule().id())).forEach(ordered::add);
    chosen.stream().filter(c -> LAST.contains(c.rule().id())).forEach(ordered::add);
    return ordered;
  }

  private boolean selectedId(String id) {
    boolean in = options.include().isEmpty() || options.include().stream().anyMatch(g -> glob(g).matcher(id).matches());
    boolean out = options.exclude().stream().anyMatch(g -> glob(g).matcher(id).matches());
    return in && !out;
  }

  /** A rule-ID glob ({@code *}, {@code ?}) as a case-insensitive pattern. */
  public static Pattern glob(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      b.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** Runs one check and turns its outcome into a verdict. */
  public CheckResult runOne(RuleCheck check, RunContext run) {
    Rule rule = check.rule();
    long t0 = System.nanoTime();
    if (DISRUPTIVE.contains(rule.id()) && !options.disruptive()) {
      return new CheckResult(rule.id(), rule.level(), rule.text(), Verdict.SKIPPED, Duration.ZERO,
          "not run by default: it disturbs other users of the server (floods, large broadcasts or all connection"
              + " slots); run it with --disruptive (disruptive(true) in the API), or with --launch, which owns the server",
          "");
    }
    if (check.body() == null) {
      return new CheckResult(rule.id(), rule.level(), rule.text(), Verdict.SKIPPED, Duration.ZERO,
          "not checked: " + check.skipReason(), "");
    }
    if (check.needsMixedDialects() && !options.mixedDialects()) {
      return new CheckResult(rule.id(), rule.level(), rule.text(), Verdict.SKIPPED, Duration.ZERO,
          "not checked: needs a server that serves both dialects on one port (--mixed, or servesBothDialects() in the TCK)",
          "");
    }
    Verdict verdict;
    String message;
    CheckContext ctx = new CheckContext(run);
    try {
      try {
        check.body().run(ctx);
        verdict = Verdict.PASS;
        message = "";
      } finally {
        ctx.close();
      }
    } catch (CheckFailure f) {
      message = "expected: " + f.expected() + "\n  actual: " + f.actual();
      verdict = rule.level() == RuleLevel.MUST ? Verdict.FAIL : Verdict.NON_STRICT;
      if (rule.level() == RuleLevel.MAY) {
        verdict = Verdict.SKIPPED;
        message = "optional (MAY) behaviour not offered: " + message;
      }
    } catch (CheckOutcome o) {
      verdict = o.verdict();
      message = o.getMessage();
    } catch (Exception | AssertionError e) {
      verdict = Verdict.ERROR;
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      message = "the check itself failed: " + e + "\n" + w.toString().lines().limit(12).collect(Collectors.joining("\n"));
    }
    return new CheckResult(rule.id(), rule.level(), rule.text(), verdict, Duration.ofNanos(System.nanoTime() - t0),
        message, ctx.transcript().render());
  }

  private static void probe(InetSocketAddress address, Duration timeout) throws ServerUnreachableException {
    try (Socket s = new Socket()) {
      s.connect(address, (int) Math.max(1, timeout.toMillis()));
    } catch (IOException e) {
      throw new ServerUnreachableException("could not connect to " + address + ": " + e.getMessage(), e);
    }
  }

  /**
   * Measures round trips: modern {@code PING}s on a probe client, or (classic, where every answer to a list
   * is itself ended by a timer, CL-LIST-2) TCP connects. Returns the slowest.
   */
  private Duration calibrate(String prefix) throws ServerUnreachableException {
    long slowest = 0;
    if (options.dialect() == Dialect.CLASSIC) {
      for (int i = 0; i < 5; i++) {
        long t = System.nanoTime();
        probe(options.address(), options.connectTimeout());
        slowest = Math.max(slowest, System.nanoTime() - t);
      }
      return Duration.ofNanos(Math.max(slowest, 1000));
    }
    Timeouts generous = new Timeouts(Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ofSeconds(1),
        Duration.ofMillis(50));
    RunContext probeRun = new RunContext(options.toBuilder().namePrefix(prefix + "z").build(), generous, prefix + "z");
    try (CheckContext ctx = new CheckContext(probeRun)) {
      Peer p = ctx.connect();
      for (int i = 0; i < 8; i++) {
        long t = System.nanoTime();
        p.send("PING calibrate");
        Received r = p.reply("PING calibrate");
        if (!(r.message() instanceof Reply)) {
          break;
        }
        slowest = Math.max(slowest, System.nanoTime() - t);
      }
    } catch (CheckFailure | CheckOutcome e) {
      // The server answers badly; the checks will say how. Fall back to a conservative round trip.
      slowest = Duration.ofMillis(20).toNanos();
    }
    return Duration.ofNanos(Math.max(slowest, 1000));
  }

  private static String randomPrefix() {
    String letters = "abcdefghijkmnpqrstuvwxyz";
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder("t");
    for (int i = 0; i < 4; i++) {
      b.append(letters.charAt(random.nextInt(letters.length())));
    }
    return b.toString();
  }
}
