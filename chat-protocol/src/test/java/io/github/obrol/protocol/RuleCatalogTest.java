package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {

  @Test
  @DisplayName("the shipped PROTOCOL.md parses into rules with IDs, levels and texts")
  void loadsShippedSpecification() {
    List<Rule> rules = RuleCatalog.load().rules();
    assertTrue(rules.size() >= 79, "rules: " + rules.size());
    Rule rule = RuleCatalog.load().get("CL-LOGIN-2");
    assertEquals(RuleLevel.MUST, rule.level());
    assertTrue(rule.text().contains("username sudah dipake"));
    assertEquals(RuleLevel.MAY, RuleCatalog.load().get("CL-QUIT-1").level());
    assertEquals(RuleLevel.SHOULD, RuleCatalog.load().get("MD-HELLO-1").level());
  }

  @Test
  @DisplayName("an unknown rule ID fails with a clear message")
  void unknownRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuleCatalog.load().get("XX-NOPE-1"));
    assertEquals("rule ID: XX-NOPE-1 (expected: one of PROTOCOL.md)", e.getMessage());
    assertFalse(RuleCatalog.load().find("XX-NOPE-1").isPresent());
  }

  @Test
  @DisplayName("a duplicated rule ID is refused")
  void duplicateRule() {
    String text = "- **A-B-1** (MUST): one\n- **A-B-1** (MAY): two\n";
    assertThrows(IllegalArgumentException.class, () -> RuleCatalog.parse(text));
  }

  @Test
  @DisplayName("every rule-shaped line of the source PROTOCOL.md is read: no rule is lost to a formatting slip")
  void noRuleLost() throws IOException {
    Path spec = Paths.get("PROTOCOL.md");
    String markdown = Files.readString(spec);
    long boldIds = Pattern.compile("^- \\*\\*[A-Z]+(?:-[A-Z]+)*-[0-9]+\\*\\*", Pattern.MULTILINE).matcher(markdown).results().count();
    assertEquals(boldIds, RuleCatalog.parse(markdown).rules().size());
    assertEquals(RuleCatalog.parse(markdown).rules(), RuleCatalog.load().rules(), "the jar's copy is the source's");
  }

}
