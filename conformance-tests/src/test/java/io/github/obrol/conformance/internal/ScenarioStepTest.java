package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.obrol.protocol.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Scenario files and wire literals read back what they wrote, so `replay` runs exactly the shrunk scenario. */
class ScenarioStepTest {

  @Test
  @DisplayName("steps survive a scenario file round trip, split writes and control bytes included")
  void roundTrip() {
    List<ScenarioStep> steps = List.of(
        ScenarioStep.connect("A"),
        ScenarioStep.send("A", "LOGIN $pu1\n"),
        ScenarioStep.send("B", "SEN", "D \"quoted\" \\ tab\t\u00e9\r\n"),
        ScenarioStep.send("C", "x\u0000y\u007f\n"),
        ScenarioStep.close("A"),
        ScenarioStep.abort("B"));
    String file = StatefulCheck.ScenarioFile.render(steps, Dialect.MODERN, "test");
    assertEquals(steps, StatefulCheck.ScenarioFile.parse(file));
    assertEquals(Dialect.MODERN, StatefulCheck.ScenarioFile.dialect(file).orElseThrow());
  }

  @Test
  @DisplayName("literals of invalid UTF-8 parse back to the same bytes")
  void bytesRoundTrip() {
    byte[] bytes = {'a', (byte) 0xff, (byte) 0xc0, '\r', '\n', '"'};
    assertArrayEquals(bytes, Escapes.parse(Escapes.literal(bytes)));
    assertArrayEquals("caf\u00e9\n".getBytes(StandardCharsets.UTF_8), Escapes.parse(Escapes.literal("caf\u00e9\n")));
  }

  @Test
  @DisplayName("malformed steps are refused with actual and expected")
  void malformed() {
    assertThrows(IllegalArgumentException.class, () -> ScenarioStep.parse("A jump"));
    assertThrows(IllegalArgumentException.class, () -> ScenarioStep.parse("a connect"));
    assertThrows(IllegalArgumentException.class, () -> ScenarioStep.parse("A send unquoted"));
  }

  @Test
  @DisplayName("the model predicts a login, a taken name and a broadcast in the modern dialect")
  void modelPredicts() {
    ScenarioModel m = new ScenarioModel(Dialect.MODERN, 4096);
    m.apply(ScenarioStep.connect("A"), "");
    m.apply(ScenarioStep.connect("B"), "");
    m.apply(ScenarioStep.send("A", "x"), "LOGIN p-a\n");
    assertEquals(List.of("OK LOGIN p-a"), m.takeExpected().get("A"));
    m.apply(ScenarioStep.send("B", "x"), "LOGIN P-A\nLOGIN p-b\n");
    var expected = m.takeExpected();
    assertEquals(List.of("ERR NAME_TAKEN", "OK LOGIN p-b"), expected.get("B"));
    assertEquals(List.of("JOIN p-b"), expected.get("A"));
    m.apply(ScenarioStep.send("A", "x"), "SEND hi  there\n");
    expected = m.takeExpected();
    assertEquals(List.of("OK SEND"), expected.get("A"));
    assertEquals(List.of("MSG p-a hi  there"), expected.get("B"));
  }
}
