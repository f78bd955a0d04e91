package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
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
  void clusterTargets() {
    TargetSpec managed = TargetSpec.parse("cluster:reference:3");
    assertEquals(TargetSpec.Kind.CLUSTER_REFERENCE, managed.kind());
    assertEquals(3, managed.nodes());
    assertTrue(managed.managedCluster());
    TargetSpec embedded = TargetSpec.parse("cluster:embedded:1");
    assertEquals(TargetSpec.Kind.CLUSTER_EMBEDDED, embedded.kind());
    assertEquals(1, embedded.nodes());
    TargetSpec running = TargetSpec.parse("obrol://127.0.0.1:9001+127.0.0.1:9002+[::1]:9003");
    assertEquals(TargetSpec.Kind.EXTERNAL_OBROL, running.kind());
    assertEquals(3, running.nodes());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 9001), new InetSocketAddress("127.0.0.1", 9002),
        new InetSocketAddress("::1", 9003)), running.externalAddresses());
    assertEquals(1, TargetSpec.parse("obrol://127.0.0.1:9009").nodes());
    assertTrue(!TargetSpec.parse("obrol://127.0.0.1:9009").managedCluster());
  }

  @Test
  void badClusterTargetsSayWhatIsExpected() {
    for (String bad : List.of("cluster:reference:0", "cluster:reference:17", "cluster:python:2", "cluster:reference:x",
        "cluster:reference", "cluster:reference:2:3")) {
      assertTrue(message(bad).contains("(expected: cluster:reference:K or cluster:embedded:K, K nodes from 1 to 16)"), bad);
    }
    assertTrue(message("redis://127.0.0.1:1+127.0.0.1:2").contains("(expected: one address after redis://)"));
    assertTrue(message("obrol://127.0.0.1:9001+").contains("(expected: HOST:PORT with a numeric port")
        || message("obrol://127.0.0.1:9001+").contains("(expected: a port after the host"));
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
