package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetSpecTest {
  @Test
  void externalTargetsParseHostAndPort() {
    TargetSpec v4 = TargetSpec.parse("obrol://127.0.0.1:9009");
    assertEquals(TargetSpec.Kind.EXTERNAL_OBROL, v4.kind());
    assertEquals("127.0.0.1", v4.host());
    assertEquals(9009, v4.port());
    TargetSpec v6 = TargetSpec.parse("redis://[::1]:6379");
    assertEquals(TargetSpec.Kind.EXTERNAL_REDIS, v6.kind());
    assertEquals("::1", v6.host());
    assertEquals(6379, v6.port());
  }

  @Test
  void referenceOfAnotherBuildRunsFromItsJar() {
    TargetSpec other = TargetSpec.parse("reference=/tmp/base/obrol-bench.jar");
    assertEquals(TargetSpec.Kind.REFERENCE, other.kind());
    assertEquals("/tmp/base/obrol-bench.jar", other.referenceClassPath());
    assertEquals(System.getProperty("java.class.path"), TargetSpec.parse("reference").referenceClassPath());
    assertTrue(message("reference=").contains("(expected: reference, reference=CLASSPATH,"));
  }

  @Test
  void badAddressesSayWhatIsExpected() {
    assertTrue(message("obrol://127.0.0.1").contains("(expected: a port after the host"));
    assertTrue(message("obrol://127.0.0.1:0").contains("(expected: a port from 1 to 65535)"));
    assertTrue(message("obrol://127.0.0.1:x").contains("(expected: HOST:PORT with a numeric port"));
    assertTrue(message("obrol://127.0.0.1:70000").contains("(expected: HOST:PORT with a numeric port"));
  }

  private static String message(String target) {
    return assertThrows(IllegalArgumentException.class, () -> TargetSpec.parse(target)).getMessage();
  }
}
