package io.github.obrol.conformance.internal;

/**
 * A check could not establish what its rule needs (a confirmed login, an answered barrier, a working list):
 * the rule is reported INCONCLUSIVE with this unmet precondition, never FAIL. The check of the rule that the
 * precondition itself is about reports a FAIL instead (for example GEN-LIST-1 for a list that is not
 * answered).
 */
public final class PreconditionFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code precondition}: what the check needed, and what happened instead. */
  public PreconditionFailure(String precondition) {
    super(precondition, null, false, false);
  }
}
