package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.RuleCatalog;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Every rule of PROTOCOL.md has a check or a stated reason in each dialect it applies to. */
class CheckRegistryTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Dialect.class)
  @DisplayName("every rule of the dialect is checked or skipped with a reason")
  void everyRuleIsCovered(Dialect dialect) {
    CheckRegistry registry = CheckRegistry.standard();
    assertEquals(List.of(), registry.uncovered(dialect));
    for (RuleCheck c : registry.forDialect(dialect)) {
      assertTrue(c.body() != null || (c.skipReason() != null && !c.skipReason().isBlank()), c.toString());
    }
  }

  @Test
  @DisplayName("a check cannot cite a rule that PROTOCOL.md does not have")
  void unknownRuleIsRefused() {
    CheckRegistry registry = new CheckRegistry(RuleCatalog.load());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> registry.check("GEN-NOPE-1", RuleCheck.Scope.BOTH, ctx -> {}));
    assertTrue(e.getMessage().contains("GEN-NOPE-1"), e.getMessage());
  }

  @Test
  @DisplayName("one check per rule and dialect")
  void duplicatesAreRefused() {
    CheckRegistry registry = new CheckRegistry(RuleCatalog.load());
    registry.check("GEN-NAME-1", RuleCheck.Scope.CLASSIC, ctx -> {});
    assertThrows(IllegalArgumentException.class, () -> registry.check("GEN-NAME-1", RuleCheck.Scope.BOTH, ctx -> {}));
  }
}
