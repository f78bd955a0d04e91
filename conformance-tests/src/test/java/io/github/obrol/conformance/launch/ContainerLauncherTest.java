package io.github.obrol.conformance.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.conformance.CheckResult;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.ConformanceReport;
import io.github.obrol.conformance.ConformanceSuite;
import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.ClassicFramer;
import io.github.obrol.protocol.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;

/**
 * The container launcher for real: builds local images with {@code src/test/docker/build-image.sh} (no
 * registry) and runs the suite against a server in a container with host networking. Skipped only where
 * no Docker engine is reachable.
 */
class ContainerLauncherTest {
  static final String TEST_IMAGE = "obrol/conformance-test-server:local";
  static final String REFERENCE_IMAGE = "obrol/server:local";

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static boolean imageExists(String image) {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static void buildImage(String tag, List<Path> files) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("bash", Path.of("src", "test", "docker", "build-image.sh").toString(), tag));
    files.forEach(f -> argv.add(f.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    if (Files.isExecutable(Path.of("/usr/bin/docker"))) {
      pb.environment().put("DOCKER", "/usr/bin/docker");
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "build-image.sh did not finish");
    assertEquals(0, p.exitValue(), "build-image.sh failed:\n" + out);
  }

  @Test
  @DisplayName("the suite runs against a server in a container (host network, port-probe readiness, logs)")
  @Timeout(300)
  void suiteAgainstContainer() throws Exception {
    assumeTrue(dockerAvailable(), "no Docker engine reachable (start dockerd; see conformance-tests/README.md)");
    // Rebuilt every run (a few seconds) so the image never lags behind the test classes.
    Path protocol = Path.of(ClassicFramer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    buildImage(TEST_IMAGE, List.of(protocol, Path.of("target", "test-classes")));
    ContainerLauncher launcher = ContainerLauncher.builder(TEST_IMAGE)
        .command(List.of("/opt/java/bin/java", "-cp", "/app/*:/app/classes:/app/test-classes",
            "io.github.obrol.conformance.mutants.MutantServerMain", "--port", "{port}"))
        .build();
    try (LaunchedServer server = launcher.launch()) {
      ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(server.address())
          .dialect(Dialect.MODERN).include("MD-*", "GEN-DELIVER-*").statefulRuns(0).build());
      report.serverOutput(server.output());
      report.writeTo(Path.of("target", "conformance", "container-test-server"));
      assertTrue(report.passed(), report::summary);
      assertTrue(server.output().contains("listening"), server.output());
    }
  }

  @Test
  @DisplayName("the reference server's image passes the modern suite, with classic users in its stateful runs")
  @Timeout(300)
  void referenceServerImage() throws Exception {
    assumeTrue(dockerAvailable(), "no Docker engine reachable (start dockerd; see conformance-tests/README.md)");
    Path jar = Path.of("..", "chat-server-api", "target", "obrol-server.jar");
    if (Files.isRegularFile(jar)) {
      buildImage(REFERENCE_IMAGE, List.of(jar)); // from the current jar, never a stale image
    } else {
      assumeTrue(imageExists(REFERENCE_IMAGE), "neither the reference server jar (" + jar + ") nor the image "
          + REFERENCE_IMAGE + " exists; build chat-server-api first");
    }
    ContainerLauncher launcher = ContainerLauncher.builder(REFERENCE_IMAGE)
        .command(List.of("/opt/java/bin/java", "-jar", "/app/obrol-server.jar", "--port", "{port}"))
        .build();
    try (LaunchedServer server = launcher.launch()) {
      // The image is what this test is about (its JVM, its jar, host networking), not the dialects, which the
      // embedded server's tests cover in full: one modern run with mixed stateful scenarios talks both dialects.
      for (Dialect dialect : List.of(Dialect.MODERN)) {
        ConformanceReport report = ConformanceSuite.run(ConformanceOptions.builder(server.address())
            .dialect(dialect).mixedDialects(true).frameGap(Duration.ZERO).statefulRuns(2).seed(1)
            // A JVM in a container on a shared 2-core CI machine: a reply once took over the derived 1 s (GEN-NAME-1).
            .replyTimeout(Duration.ofSeconds(3)).build());
        report.serverOutput(server.output());
        report.writeTo(Path.of("target", "conformance", "container-reference-" + dialect.name().toLowerCase()));
        List<CheckResult> bad = report.results().stream()
            .filter(r -> r.verdict() == Verdict.FAIL || r.verdict() == Verdict.ERROR).collect(Collectors.toList());
        assertTrue(bad.isEmpty(), report::summary);
      }
    }
  }
}
