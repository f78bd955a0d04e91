package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 5.6 names the classic variants clients and the conformance suite tolerate. The suite's
 * recognition of them is tested in conformance-tests (IndependentModelTest, ThirdPartyServersTest), the
 * client's in chat-client-sdk; here: the catalog carries them as MUST rules, with the frames they name.
 */
class VariantRulesTest {

  @Test
  @DisplayName("CL-VARIANT-1, CL-VARIANT-2, CL-VARIANT-3 are MUST rules naming the variant frames")
  void variantRulesAreInTheCatalog() {
    RuleCatalog catalog = RuleCatalog.load();
    assertEquals(RuleLevel.MUST, catalog.get("CL-VARIANT-1").level());
    assertTrue(catalog.get("CL-VARIANT-1").text().contains("\"\\rbob sudah terhubung dengan system \\n\""),
        catalog.get("CL-VARIANT-1").text());
    assertEquals(RuleLevel.MUST, catalog.get("CL-VARIANT-2").level());
    assertTrue(catalog.get("CL-VARIANT-2").text().contains("\"\\rClient off\\n\""), catalog.get("CL-VARIANT-2").text());
    assertEquals(RuleLevel.MUST, catalog.get("CL-VARIANT-3").level());
    assertTrue(catalog.get("CL-VARIANT-3").text().contains("never as a successful login"),
        catalog.get("CL-VARIANT-3").text());
  }
}
