package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Rule;
import java.util.Objects;

/**
 * The check of one rule in one or both dialects: a body that talks to the server, or the reason the rule
 * cannot be checked over the wire (reported as SKIPPED, so every rule appears in every report).
 */
public final class RuleCheck {
  /** Which dialects a check applies to. */
  public enum Scope {
    BOTH, CLASSIC, MODERN;

    boolean covers(Dialect d) {
      return this == BOTH || name().equals(d.name());
    }
  }

  /** The code of a check; throws {@link CheckFailure} or {@link CheckOutcome} to report anything but PASS. */
  @FunctionalInterface
  public interface Body {
    void run(CheckContext ctx) throws Exception;
  }

  private final Rule rule;
  private final Scope scope;
  private final Body body;
  private final String skipReason;
  private final boolean needsMixedDialects;

  RuleCheck(Rule rule, Scope scope, Body body, String skipReason, boolean needsMixedDialects) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.body = body;
    this.skipReason = skipReason;
    this.needsMixedDialects = needsMixedDialects;
  }

  public Rule rule() {
    return rule;
  }

  public Scope scope() {
    return scope;
  }

  /** The check's code, or null if the rule is not checked over the wire. */
  public Body body() {
    return body;
  }

  /** Why the rule is not checked, or null if it is. */
  public String skipReason() {
    return skipReason;
  }

  /** Whether the check needs a server that serves both dialects on one port. */
  public boolean needsMixedDialects() {
    return needsMixedDialects;
  }

  @Override
  public String toString() {
    return rule.id() + " [" + scope + "]";
  }
}
