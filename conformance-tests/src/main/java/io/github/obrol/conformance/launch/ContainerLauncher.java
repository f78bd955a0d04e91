package io.github.obrol.conformance.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs the server from a container image through Testcontainers, with host networking (the server
 * listens on a loopback port of this machine), readiness by port probe and the container's logs in the
 * report. The image must exist locally: this launcher never pulls (see
 * {@code src/test/docker/build-image.sh}, which builds one without a registry).
 *
 * <p>Needs {@code org.testcontainers:testcontainers} on the class path (an optional dependency of this
 * module) and a Docker engine. Without Ryuk (no registry to pull it from) set
 * {@code TESTCONTAINERS_RYUK_DISABLED=true}; this launcher stops its container itself, gracefully: SIGTERM
 * and a wait ({@code docker stop -t}, see {@link Builder#stopTimeout}), so GEN-LEAVE-2 can be checked through it.
 */
public final class ContainerLauncher implements ServerLauncher {
  private final String image;
  private final List<String> command;
  private final int port;
  private final Map<String, String> environment;
  private final Duration readinessTimeout;
  private final Duration stopTimeout;

  private ContainerLauncher(Builder b) {
    this.image = b.image;
    this.command = List.copyOf(b.command);
    this.port = b.port;
    this.environment = Map.copyOf(b.environment);
    this.readinessTimeout = b.readinessTimeout;
    this.stopTimeout = b.stopTimeout;
  }

  /** A launcher for the local image {@code image} (for example {@code obrol/server:local}). */
  public static Builder builder(String image) {
    return new Builder(image);
  }

  /**
   * Starts a container and returns once its port accepts connections. On a port of the launcher's choosing (not a
   * fixed {@link Builder#port}), a container whose logs say its address is in use (another program took the port
   * first; host networking) is started again on another port, at most 3 times in all.
   *
   * @throws IOException if the container could not be started or did not accept in time; the message holds its logs
   *     (of every attempt, if the port was taken each time)
   */
  @Override
  public LaunchedServer launch() throws IOException {
    StringBuilder earlier = new StringBuilder();
    for (int attempt = 1; ; attempt++) {
      try {
        return launchOnce(port > 0 ? port : PortProbe.freePort());
      } catch (IOException e) {
        boolean collision = PortProbe.saysAddressInUse(e.getMessage());
        if (port > 0 || !collision || attempt >= 3) {
          throw earlier.length() == 0 ? e
              : new IOException(earlier + "attempt " + attempt + " of 3: " + e.getMessage(), e);
        }
        earlier.append("attempt ").append(attempt).append(" of 3: ").append(e.getMessage()).append('\n');
      }
    }
  }

  private LaunchedServer launchOnce(int p) throws IOException {
    List<String> argv = new ArrayList<>();
    command.forEach(a -> argv.add(a.replace("{port}", String.valueOf(p))));
    ImagePullPolicy never = name -> false;
    @SuppressWarnings("resource") // closed by Launched.close()
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
        .withImagePullPolicy(never)
        .withNetworkMode("host")
        .withStartupCheckStrategy(new IsRunningStartupCheckStrategy());
    if (!argv.isEmpty()) {
      container.withCommand(argv.toArray(new String[0]));
    }
    environment.forEach(container::withEnv);
    try {
      container.start();
    } catch (RuntimeException e) {
      String logs = "";
      try {
        logs = container.getLogs();
      } catch (RuntimeException ignored) {
        // No logs: the container never started.
      }
      container.stop();
      throw new IOException("could not start a container of " + image + ": " + e.getMessage() + "\n" + logs, e);
    }
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
    LaunchedServer launched = new LaunchedServer() {
      private volatile String finalLogs;

      @Override
      public InetSocketAddress address() {
        return address;
      }

      @Override
      public boolean ownsServer() {
        return true;
      }

      @Override
      public String output() {
        String logs = finalLogs;
        if (logs != null) {
          return logs;
        }
        try {
          return container.getLogs();
        } catch (RuntimeException e) {
          return "(logs unavailable: " + e.getMessage() + ")";
        }
      }

      /**
       * Stops the server as an operator would: {@code docker stop} sends SIGTERM and waits up to the stop
       * timeout before SIGKILL, so a server that shuts down gracefully (GEN-LEAVE-2) can tell its users. Then the
       * logs are kept and the container is removed.
       */
      @Override
      public synchronized void close() {
        if (finalLogs != null) {
          return;
        }
        String id = container.getContainerId();
        if (id != null && container.isRunning()) {
          try {
            container.getDockerClient().stopContainerCmd(id)
                .withTimeout((int) Math.max(1, Math.min(3600, stopTimeout.toSeconds()))).exec();
          } catch (RuntimeException e) {
            // Already stopped or gone: the removal below still cleans up.
          }
        }
        finalLogs = output();
        container.stop();
      }
    };
    try {
      PortProbe.awaitAccepting(address, readinessTimeout, container::isRunning, "the container " + image);
    } catch (IOException e) {
      String logs = launched.output();
      launched.close();
      throw new IOException(e.getMessage() + "\ncontainer logs:\n" + logs, e);
    }
    return launched;
  }

  /** Builds a {@link ContainerLauncher}. */
  public static final class Builder {
    private final String image;
    private final List<String> command = new ArrayList<>();
    private int port;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration readinessTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(10);

    private Builder(String image) {
      this.image = Objects.requireNonNull(image, "image");
    }

    /** The container's command; {@code {port}} is replaced by the port. Default: the image's own. */
    public Builder command(List<String> command) {
      this.command.clear();
      this.command.addAll(command);
      return this;
    }

    /** A fixed host port. Default: 0, a free port per launch (pass it to the server with {@code {port}}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.port = port;
      return this;
    }

    /** Adds an environment variable for the container. */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** How long the port may take to accept. Default: 60 seconds. */
    public Builder readinessTimeout(Duration timeout) {
      this.readinessTimeout = Objects.requireNonNull(timeout, "readinessTimeout");
      return this;
    }

    /**
     * How long the server may take to exit after SIGTERM ({@code docker stop -t}) before it is killed; a server
     * shutting down gracefully tells its users first (GEN-LEAVE-2). Whole seconds, at least 1. Default: 10 seconds.
     */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "stopTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout: " + timeout + " (expected: >= 0)");
      }
      this.stopTimeout = timeout;
      return this;
    }

    /** The launcher, with this builder's settings. */
    public ContainerLauncher build() {
      return new ContainerLauncher(this);
    }
  }
}
