package io.github.obrol.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.github.obrol.testkit.SeedPrograms;

/**
 * Smoke runs of {@code obrol-bench}: every mode, with tiny counts, against the reference server (in this JVM
 * and as a child JVM), Redis where {@code redis-server} is installed and the original Python server where
 * Python 2.7 and the seed files are present. Checks that the runs complete and count deliveries; speed is
 * never asserted.
 */
class ObrolBenchTest {
  private static final Pattern DELIVERIES = Pattern.compile("\"deliveriesPerSecond\"\\s*:\\s*(\\d+)");

  @TempDir Path dir;

  private Path json(String name) {
    return dir.resolve(name + ".json");
  }

  private static void assertDelivered(Path json, int runs) throws IOException {
    String text = Files.readString(json);
    Matcher m = DELIVERIES.matcher(text);
    int found = 0;
    while (m.find()) {
      found++;
      assertTrue(Long.parseLong(m.group(1)) > 0, "a run counted no delivery:\n" + text);
    }
    assertEquals(runs, found, "runs with a delivery rate:\n" + text);
    assertTrue(!text.contains("\"failed\""), text);
  }

  @Test
  @Timeout(60)
  @DisplayName("throughput: closed loop, both dialects, in-process reference server")
  void throughputBothDialects() throws IOException {
    for (String dialect : List.of("modern", "classic")) {
      Path out = json("throughput-" + dialect);
      int code = ObrolBench.run("throughput", "--target", "embedded", "--dialect", dialect, "--receivers", "3,5", "--senders", "2",
          "--in-flight", "4", "--warmup", "0", "--duration", "0.3", "--json", out.toString());
      assertEquals(0, code);
      assertDelivered(out, 2);
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("--tls: the child-JVM reference server serves TLS (JDK, then OpenSSL) and the generator counts deliveries")
  void throughputOverTls() throws IOException {
    try {
      for (String provider : List.of("JDK", "OPENSSL")) {
        io.github.obrol.benchmarks.load.internal.BenchTls.reset();
        Path out = json("tls-" + provider);
        int code = ObrolBench.run("throughput", "--target", "reference", "--tls", "--tls-provider", provider,
            "--receivers", "3", "--senders", "1", "--in-flight", "4", "--warmup", "0", "--duration", "0.3",
            "--server-jvm-options", "-Xmx256m", "--json", out.toString());
        assertEquals(0, code);
        assertDelivered(out, 1);
        String text = Files.readString(out);
        assertTrue(text.contains("\"tls\" : \"server " + provider) || text.contains("\"tls\":\"server " + provider), text);
      }
    } finally {
      io.github.obrol.benchmarks.load.internal.BenchTls.reset();
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("latency: open loop at a fixed rate, with one stalled receiver")
  void latencyWithStalledReceiver() throws IOException {
    Path out = json("latency");
    int code = ObrolBench.run("latency", "--target", "embedded", "--receivers", "5", "--stalled", "1",
        "--deliveries-per-second", "2000", "--warmup", "0.1", "--duration", "0.5", "--json", out.toString());
    assertEquals(0, code);
    assertDelivered(out, 1);
    String text = Files.readString(out);
    assertTrue(text.contains("\"p99\""), text);
    assertTrue(text.contains("\"stalledClosedByServer\""), text);
  }

  @Test
  @Timeout(90)
  @DisplayName("idle: a child-JVM reference server reports heap and resident memory per connection")
  void idleReferenceChildJvm() throws IOException {
    Path out = json("idle");
    int code = ObrolBench.run("idle", "--target", "reference", "--connections", "20", "--settle", "0",
        "--server-jvm-options", "-Xmx256m", "--json", out.toString());
    assertEquals(0, code);
    String text = Files.readString(out);
    assertTrue(text.contains("\"rssPerConnectionBytes\""), text);
    assertTrue(text.contains("\"heapAfterGcPerConnectionBytes\""), text);
  }

  @Test
  @Timeout(90)
  @DisplayName("nullsink: the generator's ceiling, throughput and latency counted, classic skipped with the reason, its share column")
  void nullSink() throws IOException {
    Path out = json("nullsink");
    int code = ObrolBench.run("throughput", "--target", "nullsink,embedded", "--receivers", "4", "--senders", "2", "--in-flight", "4",
        "--warmup", "0", "--duration", "0.3", "--server-jvm-options", "-Xmx128m", "--json", out.toString());
    assertEquals(0, code);
    assertDelivered(out, 2);
    Path latency = json("nullsink-latency");
    assertEquals(0, ObrolBench.run("latency", "--target", "nullsink", "--receivers", "4", "--deliveries-per-second", "2000",
        "--warmup", "0.1", "--duration", "0.3", "--server-jvm-options", "-Xmx128m", "--json", latency.toString()));
    assertDelivered(latency, 1);
    Path classic = json("nullsink-classic");
    assertEquals(0, ObrolBench.run("throughput", "--target", "nullsink", "--dialect", "classic", "--receivers", "2",
        "--warmup", "0", "--duration", "0.1", "--json", classic.toString()));
    assertTrue(Files.readString(classic).contains("nullsink speaks the modern dialect only"), Files.readString(classic));
  }

  @Test
  @Timeout(60)
  @DisplayName("redis: throughput and idle memory side by side with the reference server")
  void redisSideBySide() throws IOException {
    assumeTrue(ObrolBench.onPath("redis-server"), "redis-server is not installed (apt-get install redis-server)");
    Path out = json("redis");
    int code = ObrolBench.run("throughput", "--target", "embedded,redis", "--receivers", "4", "--warmup", "0",
        "--duration", "0.3", "--json", out.toString());
    assertEquals(0, code);
    assertDelivered(out, 2);
    Path idle = json("redis-idle");
    assertEquals(0, ObrolBench.run("idle", "--target", "redis", "--connections", "20", "--settle", "0", "--json", idle.toString()));
    assertTrue(Files.readString(idle).contains("\"redisUsedMemoryPerConnectionBytes\""));
  }

  /** The first run of a JSON result file. */
  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> firstRun(Path json) throws IOException {
    java.util.Map<String, Object> doc = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(json));
    return (java.util.Map<String, Object>) ((List<?>) doc.get("runs")).get(0);
  }

  private static double redisFigure(java.util.Map<String, Object> run, String key) {
    Object redis = run.get("redis");
    assertTrue(redis instanceof java.util.Map, "no Redis figures in " + run);
    return ((Number) ((java.util.Map<?, ?>) redis).get(key)).doubleValue();
  }

  @Test
  @Timeout(180)
  @DisplayName("cluster:embedded:2 and cluster:reference:2: nodes over the bench's own Redis, Redis work per broadcast reported")
  void managedCluster() throws IOException {
    assumeTrue(ObrolBench.onPath("redis-server"), "redis-server is not installed (apt-get install redis-server)");
    for (String target : List.of("cluster:embedded:2", "cluster:reference:2")) {
      Path out = json(target.replace(':', '-'));
      int code = ObrolBench.run("throughput", "--target", target, "--receivers", "4", "--senders", "2", "--in-flight", "4",
          "--warmup", "0.2", "--duration", "0.5", "--server-jvm-options", "-Xmx256m", "--json", out.toString());
      assertEquals(0, code, target);
      assertDelivered(out, 1);
      java.util.Map<String, Object> run = firstRun(out);
      assertEquals(2, ((Number) run.get("nodes")).intValue(), run.toString());
      // Every broadcast goes through Redis at least once (the cluster's own design decides how often).
      assertTrue(redisFigure(run, "commandsPerBroadcast") > 0, run.toString());
      assertTrue(redisFigure(run, "bytesInPerBroadcast") > 0, run.toString());
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("a running cluster: obrol://A+B with --cluster-redis, receivers and senders spread over both nodes")
  void runningCluster() throws Exception {
    assumeTrue(ObrolBench.onPath("redis-server"), "redis-server is not installed (apt-get install redis-server)");
    try (var cluster = io.github.obrol.benchmarks.load.internal.ServerProcess.cluster(2, true, 100, List.of(), List.of(),
        "redis-server", java.time.Duration.ofSeconds(60))) {
      List<java.net.InetSocketAddress> nodes = cluster.addresses();
      String target = "obrol://127.0.0.1:" + nodes.get(0).getPort() + "+127.0.0.1:" + nodes.get(1).getPort();
      Path out = json("running-cluster");
      int code = ObrolBench.run("latency", "--target", target, "--cluster-redis",
          "127.0.0.1:" + cluster.clusterRedis().orElseThrow().getPort(), "--receivers", "4", "--senders", "1",
          "--deliveries-per-second", "400", "--warmup", "0.2", "--duration", "0.5", "--json", out.toString());
      assertEquals(0, code);
      assertDelivered(out, 1);
      java.util.Map<String, Object> run = firstRun(out);
      assertEquals(2, ((Number) run.get("nodes")).intValue(), run.toString());
      assertTrue(redisFigure(run, "commandsPerBroadcast") > 0, run.toString());
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("python: the original server, classic dialect, one message in flight")
  void originalPythonServer() throws IOException {
    Path script = SeedPrograms.assumeServer();
    String python = String.join(" ", SeedPrograms.assumePython2());
    Path out = json("python");
    int code = ObrolBench.run("throughput", "--target", "python", "--python", python, "--python-server",
        script.toString(), "--receivers", "3", "--warmup", "0", "--duration", "0.5", "--json", out.toString());
    assertEquals(0, code);
    assertDelivered(out, 1);
  }

  @Test
  @DisplayName("a target that is not running: one line on stderr, exit code 3, no run")
  void anUnreachableTargetIsOneLineAndExitCode3() throws IOException {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // closed again: nothing listens there now
    }
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = ObrolBench.run("throughput", "--target", "obrol://127.0.0.1:" + port, "--warmup", "0", "--duration", "0.1");
    } finally {
      System.setErr(original);
    }
    assertEquals(3, code);
    assertEquals("obrol-bench: cannot reach obrol://127.0.0.1:" + port + ": connection refused (is the server running?)\n",
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(60)
  @DisplayName("--plot writes the charts and one .hgrm per histogram; plot redraws them from the JSON")
  void plotWritesChartsAndHistograms(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path out = dir.resolve("latency.json");
    Path charts = dir.resolve("charts");
    assertEquals(0, ObrolBench.run("latency", "--target", "embedded", "--receivers", "3", "--deliveries-per-second", "300",
        "--warmup", "0.1", "--duration", "0.3", "--json", out.toString(), "--plot", charts.toString()));
    assertTrue(Files.size(charts.resolve("latency-latency.png")) > 0);
    try (var files = Files.list(charts)) {
      assertEquals(2, files.filter(f -> f.toString().endsWith(".hgrm")).count(), "per recipient and to the last");
    }
    Path redrawn = dir.resolve("redrawn");
    assertEquals(0, ObrolBench.run("plot", "--out", redrawn.toString(), out.toString()));
    assertTrue(Files.size(redrawn.resolve("latency-latency.png")) > 0);
  }

  @Test
  @Timeout(10)
  @DisplayName("bad options exit with 2 and say what was expected")
  void badOptions() {
    assertEquals(2, ObrolBench.run("throughput", "--receivers", "0"));
    assertEquals(2, ObrolBench.run("throughput", "--target", "ftp://127.0.0.1:21"));
    assertEquals(2, ObrolBench.run("latency", "--deliveries-per-second", "-1"));
    assertEquals(2, ObrolBench.run("throughput", "--target", "cluster:reference:0"));
    assertEquals(2, ObrolBench.run("throughput", "--target", "obrol://127.0.0.1:1+"));
    assertEquals(2, ObrolBench.run("throughput", "--target", "reference", "--cluster-redis", "nohost"));
  }

  @Test
  @DisplayName("a node of a running cluster that is not running: exit 3, the line names the node")
  void anUnreachableNodeIsNamed() throws IOException {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      String target = "obrol://127.0.0.1:" + listening.getLocalPort() + "+127.0.0.1:" + port;
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      java.io.PrintStream original = System.err;
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      int code;
      try {
        code = ObrolBench.run("throughput", "--target", target, "--warmup", "0", "--duration", "0.1");
      } finally {
        System.setErr(original);
      }
      assertEquals(3, code);
      assertEquals("obrol-bench: cannot reach " + target + " (node 127.0.0.1:" + port
          + "): connection refused (is the server running?)\n", err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
