package io.github.obrol.conformance;

import io.github.obrol.protocol.RuleLevel;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of checking one rule.
 *
 * @param ruleId the PROTOCOL.md rule ID, for example {@code CL-LOGIN-2}
 * @param level the rule's level
 * @param ruleText the rule as PROTOCOL.md words it
 * @param verdict the outcome
 * @param duration how long the check ran
 * @param message why it did not pass (expected against actual, or the reason for a skip); empty on PASS
 * @param transcript every client's traffic during the check, timestamped; empty if no client connected
 */
public record CheckResult(
    String ruleId, RuleLevel level, String ruleText, Verdict verdict, Duration duration, String message,
    String transcript) {
  public CheckResult {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(ruleText, "ruleText");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(transcript, "transcript");
  }

  /** Whether this result fails a run: a FAIL or ERROR of a MUST rule, or of a SHOULD rule when strict. */
  public boolean failsRun(boolean strict) {
    boolean bad = verdict == Verdict.FAIL || verdict == Verdict.ERROR;
    if (level == RuleLevel.MUST) {
      return bad;
    }
    return strict && level == RuleLevel.SHOULD && (bad || verdict == Verdict.NON_STRICT);
  }

  /** Whether this result leaves a rule the run needs undecided: INCONCLUSIVE of a MUST rule (or SHOULD when strict). */
  public boolean leavesRunUndecided(boolean strict) {
    return verdict == Verdict.INCONCLUSIVE && (level == RuleLevel.MUST || (strict && level == RuleLevel.SHOULD));
  }

  /** One line: {@code "FAIL  CL-AUTH-1 (MUST) 12 ms: expected ..."}. */
  public String summaryLine() {
    String first = message.isEmpty() ? "" : ": " + message.lines().findFirst().orElse("");
    return String.format("%-10s %-14s (%s) %5d ms%s", verdict, ruleId, level, duration.toMillis(), first);
  }
}
