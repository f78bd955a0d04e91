package io.github.obrol.conformance;

/** The outcome of checking one rule against a server. */
public enum Verdict {
  /** The server behaved as the rule says. */
  PASS,
  /** A SHOULD rule was not met, or the server showed a variant the rule accepts; not a failure. */
  NON_STRICT,
  /** The server broke the rule. */
  FAIL,
  /** The rule was not checked; the result's message says why (a client rule, a missing capability...). */
  SKIPPED,
  /** The check itself broke (for example the connection could not be opened); the rule is undecided. */
  ERROR,
  /**
   * The rule could not be checked: a precondition of the check (a login, a barrier, the calibration) did not
   * behave as the rule needs. The message names the unmet precondition; the transcript shows it. Not a
   * failure of the rule and not a defect of the suite, but a run with an inconclusive MUST rule is no pass.
   */
  INCONCLUSIVE
}
