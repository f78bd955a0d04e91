package io.github.obrol.conformance;

/**
 * What a whole run says about the server, in order of precedence: a failed rule outweighs a broken check,
 * which outweighs an inconclusive one. Each outcome has the command line's exit code.
 */
public enum RunOutcome {
  /** No MUST rule (with {@code --strict}: no SHOULD rule) failed, errored or stayed inconclusive. */
  PASS(0),
  /** A rule failed: the server does not conform. */
  FAIL(1),
  /** No rule failed, but a check broke (ERROR): the suite could not judge every rule. */
  SUITE_ERROR(4),
  /** No rule failed or errored, but a MUST rule could not be checked (INCONCLUSIVE). */
  INCONCLUSIVE(5);

  private final int exitCode;

  RunOutcome(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The command line's exit code for this outcome ({@code 2} and {@code 3} are usage and connection errors). */
  public int exitCode() {
    return exitCode;
  }
}
