package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceListener;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.NotAChatServerException;
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
    for (InetSocketAddress address : options.addresses()) {
      probe(address, options.connectTimeout());
    }
    String prefix = options.namePrefix().orElseGet(SuiteRunner::randomPrefix);
    Duration rtt = Duration.ZERO;
    Timeouts generous = new Timeouts(Duration.ofMillis(1), Duration.ofSeconds(3), Duration.ofSeconds(1),
        Duration.ofMillis(50));
    // One probe run for all addresses: its calibration users get distinct names on every address.
    RunContext probeRun = new RunContext(options.toBuilder().namePrefix(prefix + "z").build(), generous, prefix + "z");
    // Every address is calibrated (once, if listed several times): the slowest round trip sets the timeouts.
    for (InetSocketAddress address : new java.util.LinkedHashSet<>(options.addresses())) {
      Duration at = calibrate(probeRun, address);
      rtt = at.compareTo(rtt) > 0 ? at : rtt;
    }
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
    return statefulSelected() ? safeStateful(run) : null;
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
      CheckResult result = safeStateful(run);
      results.add(result);
      listener.checkFinished(index, total, result);
    }
    ConformanceReport report = new ConformanceReport(
        options.target(),
        options.dialect().name().toLowerCase(Locale.ROOT),
        calibration + "; logins and barriers confirmed by: " + run.confirmations(), options.seed(), options.strict(), started,
        Duration.ofNanos(System.nanoTime() - t0), results);
    listener.finished(report);
    return report;
  }

  /** The stateful check; whatever it throws becomes its ERROR with the stack trace (no crash path). */
  private static CheckResult safeStateful(RunContext run) {
    long t0 = System.nanoTime();
    try {
      return StatefulCheck.run(run);
    } catch (Throwable e) {
      return new CheckResult(StatefulCheck.ID, RuleLevel.MUST, StatefulCheck.TEXT, Verdict.ERROR,
          Duration.ofNanos(System.nanoTime() - t0), "the check itself failed: " + stackTrace(e), "");
    }
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
    if (run.options().freshServer().isPresent() && !run.onFreshServer()) {
      return runOnFreshServer(check, run, t0);
    }
    CheckContext ctx = null;
    try {
      ctx = new CheckContext(run);
      try {
        check.body().run(ctx);
        verdict = ctx.variants().isEmpty() ? Verdict.PASS : Verdict.NON_STRICT;
        message = ctx.variants().isEmpty() ? "" : "the rule holds, with a variant PROTOCOL.md 5.6 tolerates: "
            + String.join("; ", ctx.variants());
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
    } catch (PreconditionFailure p) {
      verdict = Verdict.INCONCLUSIVE;
      message = "could not be checked: " + p.getMessage();
    } catch (CheckOutcome o) {
      verdict = o.verdict();
      message = o.getMessage();
    } catch (Throwable e) {
      verdict = Verdict.ERROR;
      message = "the check itself failed: " + stackTrace(e);
    }
    return new CheckResult(rule.id(), rule.level(), rule.text(), verdict, Duration.ofNanos(System.nanoTime() - t0),
        message, ctx == null ? "" : ctx.transcript().render());
  }

  /** {@code e} and its stack trace (at most 40 lines), for an ERROR's message. */
  static String stackTrace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return e + "\n" + w.toString().lines().limit(40).collect(Collectors.joining("\n"));
  }

  /** Runs one check on a server of its own, started for it and stopped afterwards (isolation from other checks). */
  private CheckResult runOnFreshServer(RuleCheck check, RunContext run, long t0) {
    Rule rule = check.rule();
    io.github.obrol.conformance.launch.LaunchedServer server;
    try {
      server = run.options().freshServer().get().launch();
    } catch (Throwable e) {
      return new CheckResult(rule.id(), rule.level(), rule.text(), Verdict.ERROR,
          Duration.ofNanos(System.nanoTime() - t0), "could not start a fresh server for this rule: " + stackTrace(e), "");
    }
    try (server) {
      RunContext fresh = run.withAddress(server.address());
      CheckResult r = runOne(check, fresh);
      String out = server.output();
      return out.isEmpty() ? r : new CheckResult(r.ruleId(), r.level(), r.ruleText(), r.verdict(), r.duration(),
          r.message(), r.transcript() + "# fresh server " + server.address() + ", its output:\n" + out);
    }
  }

  private static void probe(InetSocketAddress address, Duration timeout) throws ServerUnreachableException {
    try (Socket s = new Socket()) {
      s.connect(address, (int) Math.max(1, timeout.toMillis()));
    } catch (IOException e) {
      throw new ServerUnreachableException("could not connect to " + address + ": " + e.getMessage(), e);
    }
  }

  /**
   * Measures round trips with in-band barriers of the dialect: modern {@code PING}s on a probe client;
   * classic: a calibration user logs in (confirmed by list, private message to itself or join notice) and
   * runs barriers. Returns the slowest. A server that answers nothing the dialect defines is no chat server.
   *
   * @throws NotAChatServerException if no frame of the dialect arrived (for example an HTTP reply)
   */
  private Duration calibrate(RunContext probeRun, InetSocketAddress address) throws ServerUnreachableException {
    long slowest = 0;
    Timeouts generous = probeRun.timeouts();
    CheckContext ctx = new CheckContext(probeRun);
    String problem = null;
    try {
      Peer p = ctx.connectTo(address, options.dialect());
      if (options.dialect() == Dialect.MODERN) {
        for (int i = 0; i < 8; i++) {
          long t = System.nanoTime();
          p.send("PING calibrate");
          Received r = p.replyOrNull(generous.reply());
          if (r == null || !(r.message() instanceof Reply)) {
            break;
          }
          slowest = Math.max(slowest, System.nanoTime() - t);
        }
      } else {
        p.loginOk(ctx.name("cal"));
        for (int i = 0; i < 5; i++) {
          int reads = p.wire().readCount();
          long t = System.nanoTime();
          p.barrier();
          // Up to the first byte of the answer: a classic list ends only after a pause (CL-LIST-2), which
          // is not part of the round trip.
          long sentAt = Math.max(t, p.wire().lastSendNanos());
          long took = p.wire().readCount() > reads ? p.wire().readNanos(reads) - sentAt : System.nanoTime() - t;
          slowest = Math.max(slowest, Math.max(1000, took));
        }
      }
    } catch (CheckFailure | CheckOutcome | PreconditionFailure e) {
      problem = e.getMessage();
    } finally {
      ctx.close();
    }
    boolean spoke = ctx.peers().stream().anyMatch(p -> p.wire().history().stream().anyMatch(Received::decoded));
    if (!spoke) {
      List<Received> seen = new ArrayList<>();
      ctx.peers().forEach(p -> seen.addAll(p.wire().history()));
      String what = seen.isEmpty() ? "nothing at all within " + generous.reply().toMillis() + " ms"
          : seen.stream().limit(3).map(Received::wire).collect(Collectors.joining(", "))
              + (seen.get(0).raw().startsWith("HTTP/") ? " (an HTTP reply)" : "");
      throw new NotAChatServerException("not a chat server: " + address + " answered the "
          + options.dialect().name().toLowerCase(Locale.ROOT) + " calibration (" + (options.dialect() == Dialect.MODERN
              ? "PING" : "a login, a list and a private message to itself") + ") with " + what
          + "; no frame of the dialect arrived, so no rule was checked", ctx.transcript().render());
    }
    if (slowest == 0) {
      // The server speaks the dialect but the round trip could not be measured: be conservative.
      ctx.transcript().note("#", "calibration incomplete: " + problem);
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
