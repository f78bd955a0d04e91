package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.Verdict;

/** Ends a check early with a verdict other than PASS or FAIL: a skip (with why) or an accepted variant. */
public final class CheckOutcome extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Verdict verdict;

  public CheckOutcome(Verdict verdict, String message) {
    super(message, null, false, false);
    this.verdict = verdict;
  }

  /** The verdict to report. */
  public Verdict verdict() {
    return verdict;
  }
}
