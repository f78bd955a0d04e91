package io.github.obrol.conformance;

import io.github.obrol.conformance.internal.RuleCheck;
import io.github.obrol.conformance.internal.RunContext;
import io.github.obrol.conformance.internal.StatefulCheck;
import io.github.obrol.conformance.internal.SuiteRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A calibrated connection to one server that checks rules one at a time, for test frameworks that show
 * every rule as its own test (the TCK). {@link ConformanceSuite#run} is the one-call alternative.
 */
public final class ConformanceSession {
  private final SuiteRunner runner;
  private final RunContext run;
  private final Map<String, RuleCheck> checks = new LinkedHashMap<>();

  private ConformanceSession(SuiteRunner runner, RunContext run) {
    this.runner = runner;
    this.run = run;
    runner.selectedChecks().forEach(c -> checks.put(c.rule().id(), c));
  }

  /**
   * Connects, measures the round trip and derives the timeouts.
   *
   * @throws ServerUnreachableException if no connection to the server could be opened
   */
  public static ConformanceSession open(ConformanceOptions options) throws ServerUnreachableException {
    SuiteRunner runner = new SuiteRunner(options, new ConformanceListener() {});
    return new ConformanceSession(runner, runner.prepare());
  }

  /** How the timeouts were derived. */
  public String calibration() {
    return SuiteRunner.calibration(run);
  }

  /** The IDs of the selected rules in running order, then {@code STATEFUL} if selected. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>(checks.keySet());
    if (run.options().statefulRuns() > 0) {
      ids.add(StatefulCheck.ID);
    }
    return ids;
  }

  /**
   * Checks GEN-LEAVE-2 by shutting the server down with {@code shutdown}; the server is gone afterwards,
   * so this is the last check of a session. For launchers that own the server.
   */
  public CheckResult checkShutdown(Runnable shutdown) {
    return runner.runOne(io.github.obrol.conformance.internal.CheckRegistry.standard().shutdownCheck(shutdown), run);
  }

  /** Checks CL-NOTICE-1 with {@code broadcast}, which makes the server send an administrator's notice. */
  public CheckResult checkNotice(java.util.function.Consumer<String> broadcast) {
    return runner.runOne(io.github.obrol.conformance.internal.CheckRegistry.standard().noticeCheck(broadcast), run);
  }

  /**
   * Checks one rule (or {@code STATEFUL}).
   *
   * @throws IllegalArgumentException if {@code id} is not selected
   */
  public CheckResult check(String id) {
    if (id.equals(StatefulCheck.ID)) {
      CheckResult r = runner.runStateful(run);
      if (r == null) {
        throw new IllegalArgumentException("id: " + id + " (expected: a selected rule)");
      }
      return r;
    }
    RuleCheck check = checks.get(id);
    if (check == null) {
      throw new IllegalArgumentException("id: " + id + " (expected: one of " + checks.keySet() + ")");
    }
    return runner.runOne(check, run);
  }
}
