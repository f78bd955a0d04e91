package io.github.obrol.conformance;

import io.github.obrol.conformance.internal.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The results of one conformance run, one {@link CheckResult} per rule, with what the report files need:
 * the target, the dialect, how timeouts were derived, and the seed.
 */
public final class ConformanceReport {
  private final String target;
  private final String dialect;
  private final String calibration;
  private final long seed;
  private final boolean strict;
  private final Instant startedAt;
  private final Duration duration;
  private final List<CheckResult> results;
  private volatile String serverOutput = "";

  public ConformanceReport(String target, String dialect, String calibration, long seed, boolean strict,
      Instant startedAt, Duration duration, List<CheckResult> results) {
    this.target = Objects.requireNonNull(target, "target");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.calibration = Objects.requireNonNull(calibration, "calibration");
    this.seed = seed;
    this.strict = strict;
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.duration = Objects.requireNonNull(duration, "duration");
    this.results = List.copyOf(results);
  }

  /** The target: {@code host:port}, or several joined with {@code ", "} (a cluster's nodes, in order). */
  public String target() {
    return target;
  }

  /** The target's addresses ({@code host:port} each), in order: {@link #target()} split at {@code ", "}. */
  public List<String> addresses() {
    return List.of(target.split(", "));
  }

  public String dialect() {
    return dialect;
  }

  /** How the timeouts were derived (measured round trip, reply timeout, silence window). */
  public String calibration() {
    return calibration;
  }

  public long seed() {
    return seed;
  }

  public boolean strict() {
    return strict;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Duration duration() {
    return duration;
  }

  public List<CheckResult> results() {
    return results;
  }

  /** The server's captured output (from a launcher), or empty. */
  public String serverOutput() {
    return serverOutput;
  }

  /** Attaches the server's captured output, for launchers that own the server process. */
  public void serverOutput(String output) {
    this.serverOutput = Objects.requireNonNull(output, "output");
  }

  /** The results that fail the run: MUST rules that failed or errored (and SHOULD rules when strict). */
  public List<CheckResult> failures() {
    return results.stream().filter(r -> r.failsRun(strict)).collect(java.util.stream.Collectors.toList());
  }

  /** The results that leave the run undecided: MUST rules (and SHOULD rules when strict) that are INCONCLUSIVE. */
  public List<CheckResult> inconclusive() {
    return results.stream().filter(r -> r.leavesRunUndecided(strict)).collect(java.util.stream.Collectors.toList());
  }

  /** Whether no MUST rule (and, when strict, no SHOULD rule) failed, errored or stayed inconclusive. */
  public boolean passed() {
    return outcome() == RunOutcome.PASS;
  }

  /**
   * What the run says: FAIL (a MUST rule, or with strict a SHOULD rule, failed) before SUITE_ERROR (a check of any
   * level broke) before INCONCLUSIVE (a rule that counts could not be checked) before PASS.
   */
  public RunOutcome outcome() {
    if (failures().stream().anyMatch(r -> r.verdict() != Verdict.ERROR)) {
      return RunOutcome.FAIL;
    }
    // An ERROR is a bug of the suite whatever the rule's level: the run cannot be called a pass.
    if (results.stream().anyMatch(r -> r.verdict() == Verdict.ERROR)) {
      return RunOutcome.SUITE_ERROR;
    }
    return inconclusive().isEmpty() ? RunOutcome.PASS : RunOutcome.INCONCLUSIVE;
  }

  /** How many results have each verdict. */
  public Map<Verdict, Integer> counts() {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      counts.put(v, 0);
    }
    results.forEach(r -> counts.merge(r.verdict(), 1, Integer::sum));
    return counts;
  }

  /** A few lines for a terminal or a README: totals and every result that is not PASS. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append("Obrol conformance: ").append(target).append(", ").append(dialect).append(" dialect, ")
        .append(results.size()).append(" rules, ").append(duration.toMillis()).append(" ms\n");
    b.append(calibration).append('\n');
    b.append(counts()).append('\n');
    for (CheckResult r : results) {
      if (r.verdict() != Verdict.PASS) {
        b.append(r.summaryLine()).append('\n');
      }
    }
    switch (outcome()) {
      case PASS:
        b.append("RESULT: PASS (no MUST rule failed, errored or stayed inconclusive)");
        break;
      case FAIL:
        b.append("RESULT: FAIL (").append(failures().size()).append(" rules failed or errored)");
        break;
      case SUITE_ERROR:
        b.append("RESULT: SUITE ERROR (no rule failed, but ").append(failures().size())
            .append(" checks broke; see their stack traces)");
        break;
      default:
        b.append("RESULT: INCONCLUSIVE (no rule failed, but ").append(inconclusive().size())
            .append(" MUST rules could not be checked; see their unmet preconditions)");
        break;
    }
    b.append('\n');
    return b.toString();
  }

  /** Writes {@code report.json}, {@code junit.xml}, {@code report.html} and one transcript per rule into {@code dir}. */
  public void writeTo(Path dir) throws IOException {
    ReportWriter.write(this, dir);
  }
}
