package io.github.obrol.conformance.internal;

/** A check found the server breaking its rule: what the rule expects against what the server did. */
public final class CheckFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String actual;

  /** A failure with the expected and the actual behaviour, each a short human sentence or wire literal. */
  public CheckFailure(String expected, String actual) {
    super("expected: " + expected + "\n  actual: " + actual, null, false, false);
    this.expected = expected;
    this.actual = actual;
  }

  /** What the rule expects. */
  public String expected() {
    return expected;
  }

  /** What the server did. */
  public String actual() {
    return actual;
  }
}
