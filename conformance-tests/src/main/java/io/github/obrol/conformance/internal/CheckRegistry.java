package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Rule;
import io.github.obrol.protocol.RuleCatalog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every rule check of the suite, keyed by the PROTOCOL.md rule it checks. Registering a check for an ID
 * the specification does not have fails at once, so a check can never cite a rule that does not exist.
 */
public final class CheckRegistry {
  private final RuleCatalog catalog;
  private final List<RuleCheck> checks = new ArrayList<>();

  public CheckRegistry(RuleCatalog catalog) {
    this.catalog = catalog;
  }

  /** The registry of every check this suite ships, for the specification shipped with the protocol. */
  public static CheckRegistry standard() {
    CheckRegistry r = new CheckRegistry(RuleCatalog.load());
    GeneralChecks.register(r);
    ClassicChecks.register(r);
    ModernChecks.register(r);
    AuthChecks.register(r);
    return r;
  }

  /** The GEN-LEAVE-2 check, which needs {@code shutdown} to stop the server (launchers that own it). */
  public RuleCheck shutdownCheck(Runnable shutdown) {
    return new RuleCheck(catalog.get("GEN-LEAVE-2"), RuleCheck.Scope.BOTH, ctx -> GeneralChecks.shutdown(ctx, shutdown),
        null, false);
  }

  /** The CL-NOTICE-1 check, which needs {@code broadcast} to make the server send a notice. */
  public RuleCheck noticeCheck(java.util.function.Consumer<String> broadcast) {
    return new RuleCheck(catalog.get("CL-NOTICE-1"), RuleCheck.Scope.CLASSIC, ctx -> ClassicChecks.notice(ctx, broadcast),
        null, false);
  }

  /** Registers a check of rule {@code id} in {@code scope}. */
  public CheckRegistry check(String id, RuleCheck.Scope scope, RuleCheck.Body body) {
    return add(new RuleCheck(catalog.get(id), scope, body, null, false));
  }

  /** Registers a check that needs a server serving both dialects on one port. */
  public CheckRegistry mixedCheck(String id, RuleCheck.Body body) {
    return add(new RuleCheck(catalog.get(id), RuleCheck.Scope.BOTH, body, null, true));
  }

  /** Registers a rule that is not checked over the wire, with the reason reported as its skip. */
  public CheckRegistry untested(String id, RuleCheck.Scope scope, String reason) {
    return add(new RuleCheck(catalog.get(id), scope, null, reason, false));
  }

  private CheckRegistry add(RuleCheck check) {
    for (RuleCheck c : checks) {
      if (c.rule().id().equals(check.rule().id()) && overlaps(c.scope(), check.scope())) {
        throw new IllegalArgumentException("rule ID: " + check.rule().id() + " (expected: one check per dialect)");
      }
    }
    checks.add(check);
    return this;
  }

  private static boolean overlaps(RuleCheck.Scope a, RuleCheck.Scope b) {
    return a == RuleCheck.Scope.BOTH || b == RuleCheck.Scope.BOTH || a == b;
  }

  /** Every check, in the order of the specification. */
  public List<RuleCheck> all() {
    Map<String, Integer> order = orderOf();
    List<RuleCheck> sorted = new ArrayList<>(checks);
    sorted.sort(Comparator.comparing((RuleCheck c) -> order.get(c.rule().id())));
    return Collections.unmodifiableList(sorted);
  }

  /** The checks that apply to {@code dialect}, in the order of the specification. */
  public List<RuleCheck> forDialect(Dialect dialect) {
    return all().stream().filter(c -> c.scope().covers(dialect)).collect(Collectors.toList());
  }

  /** The rules of the specification that have no check (or skip) in {@code dialect} yet apply to it. */
  public List<Rule> uncovered(Dialect dialect) {
    List<String> covered = forDialect(dialect).stream().map(c -> c.rule().id()).collect(Collectors.toList());
    String foreign = dialect == Dialect.CLASSIC ? "MD-" : "CL-";
    return catalog.rules().stream()
        .filter(r -> !r.id().startsWith(foreign) && !covered.contains(r.id()))
        .collect(Collectors.toList());
  }

  private Map<String, Integer> orderOf() {
    List<Rule> rules = catalog.rules();
    return rules.stream().collect(Collectors.toMap(Rule::id, rules::indexOf, (a, b) -> a));
  }
}
