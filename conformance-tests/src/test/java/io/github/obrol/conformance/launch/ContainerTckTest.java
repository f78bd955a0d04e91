package io.github.obrol.conformance.launch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.tck.ChatServerVerification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The TCK through the container launcher against the reference server's image (issue 11): the launcher owns
 * the container, so GEN-LEAVE-2 is checked last by stopping it, which passes only because the launcher stops
 * the container gracefully (SIGTERM and a wait) and the server tells its users SHUTTING_DOWN. Skipped where no
 * Docker engine is reachable or the reference server jar is not built.
 */
class ContainerTckTest extends ChatServerVerification {
  @Override
  protected ServerLauncher launcher() {
    return () -> {
      assumeTrue(ContainerLauncherTest.dockerAvailable(),
          "no Docker engine reachable (start dockerd: bash .ci/start-docker); the TCK through containers is not run");
      Path jar = Path.of("..", "chat-server-api", "target", "obrol-server.jar");
      assumeTrue(Files.isRegularFile(jar), "the reference server jar is not built: " + jar);
      try {
        ContainerLauncherTest.buildImage(ContainerLauncherTest.REFERENCE_IMAGE, List.of(jar));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while building the image", e);
      }
      return ContainerLauncher.builder(ContainerLauncherTest.REFERENCE_IMAGE)
          .command(List.of("/opt/java/bin/java", "-jar", "/app/obrol-server.jar", "--port", "{port}"))
          .stopTimeout(Duration.ofSeconds(20))
          .build()
          .launch();
    };
  }

  @Override
  protected ConformanceOptions.Builder configure(ConformanceOptions.Builder options) {
    // A few rules keep the run short; GEN-LEAVE-2 (the container's shutdown) is what this test is for.
    return options.include("MD-LOGIN-1", "MD-PING-1", "GEN-DELIVER-1", "GEN-LEAVE-1").statefulRuns(0);
  }

  @Override
  protected Optional<Path> reportDirectory() {
    return Optional.of(Path.of("target", "conformance", "container-tck"));
  }
}
