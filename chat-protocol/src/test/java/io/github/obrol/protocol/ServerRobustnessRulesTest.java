package io.github.obrol.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The server robustness rules of issue 10 as the spec states them: levels, and the numbers the protocol's
 * constants must agree with. Their behaviour is verified against the reference server in chat-server-api
 * ({@code SessionTest} per rule, and the {@code Issue10*} regression tests over sockets).
 */
class ServerRobustnessRulesTest {
  private static final RuleCatalog CATALOG = RuleCatalog.load();

  private static Rule must(String id) {
    Rule r = CATALOG.get(id);
    assertEquals(RuleLevel.MUST, r.level(), id);
    return r;
  }

  @Test
  @DisplayName("GEN-LINE-4: the largest maximum line length leaves 1 KiB of a 1 MiB frame for verb and sender (GEN-LINE-3)")
  void genLine4() {
    assertTrue(must("GEN-LINE-4").text().contains("1,047,552 bytes"));
    assertEquals(1_047_552, ProtocolDefaults.MAX_SERVER_FRAME_LENGTH - 1024);
    assertTrue(must("GEN-LINE-3").text().contains("1,048,576"));
    assertEquals(1_048_576, ProtocolDefaults.MAX_SERVER_FRAME_LENGTH);
  }

  @Test
  @DisplayName("GEN-LINE-5 GEN-LINE-6: the garbage budget is 1 MiB and a cut list is announced by a NOTICE")
  void genLine5_genLine6() {
    assertTrue(must("GEN-LINE-5").text().contains("more than 1 MiB (1,048,576 bytes) in a row"));
    assertTrue(must("GEN-LINE-5").text().contains("`BYE LINE_TOO_LONG <text>`"));
    assertTrue(must("GEN-LINE-6").text().contains("`NOTICE list truncated: <n> more users not shown`"));
  }

  @Test
  @DisplayName("GEN-LIMIT-7 to GEN-LIMIT-13 are MUST rules of section 2.5")
  void genLimit7to13() {
    assertTrue(must("GEN-LIMIT-7").text().contains("`SERVER_FULL`"));
    assertTrue(must("GEN-LIMIT-8").text().contains("`SLOW_CONSUMER`"));
    assertTrue(must("GEN-LIMIT-9").text().contains("bounded number of frames"));
    assertTrue(must("GEN-LIMIT-10").text().contains("per source address"));
    assertTrue(must("GEN-LIMIT-11").text().contains("close grace"));
    assertTrue(must("GEN-LIMIT-12").text().contains("TCP keepalive"));
    assertTrue(must("GEN-LIMIT-13").text().contains("`OK SENDTO`"));
  }
}
