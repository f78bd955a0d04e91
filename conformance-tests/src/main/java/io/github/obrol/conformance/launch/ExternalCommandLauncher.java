package io.github.obrol.conformance.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Starts a server as an external command for one run and stops it afterwards. Every argument may hold
 * {@code {port}}, replaced by a free port (see {@link PortProbe#freePort()}; or the fixed {@link Builder#port}); the
 * server counts as ready once that port accepts a TCP connection on the loopback address. A command that exits
 * saying its address is in use is started again on another free port (see {@link #launch()}). Its standard output
 * and error are captured (up to 1 MiB) for the report.
 *
 * <pre>{@code
 * ServerLauncher launcher = ExternalCommandLauncher.builder(
 *     List.of("java", "-jar", "chat-server-api/target/obrol-server.jar", "--port", "{port}")).build();
 * }</pre>
 */
public final class ExternalCommandLauncher implements ServerLauncher {
  private static final int MAX_OUTPUT = 1 << 20;
  /** Launches on ports of our choosing, when other programs take the port first. */
  private static final int MAX_ATTEMPTS = 3;

  private final List<String> command;
  private final int port;
  private final Path directory;
  private final Map<String, String> environment;
  private final Duration readinessTimeout;
  private final Duration stopTimeout;

  private ExternalCommandLauncher(Builder b) {
    this.command = List.copyOf(b.command);
    this.port = b.port;
    this.directory = b.directory;
    this.environment = Map.copyOf(b.environment);
    this.readinessTimeout = b.readinessTimeout;
    this.stopTimeout = b.stopTimeout;
  }

  /** A launcher for {@code command} (program and arguments; {@code {port}} is replaced by the port). */
  public static Builder builder(List<String> command) {
    return new Builder(command);
  }

  /**
   * Starts the command and returns once its port accepts connections. On a port of the launcher's choosing (not a
   * fixed {@link Builder#port}), a command that exits before it accepts and says its address is in use (another
   * program took the port first) is started again on another port, at most 3 times in all.
   *
   * @throws IOException if the command could not be started, exited first, or did not accept in time; the message
   *     holds the command's output (of every attempt, if the port was taken each time)
   */
  @Override
  public LaunchedServer launch() throws IOException {
    StringBuilder earlier = new StringBuilder();
    for (int attempt = 1; ; attempt++) {
      int p = port > 0 ? port : PortProbe.freePort();
      try {
        return launchOn(p);
      } catch (FailedLaunch e) {
        boolean portTaken = port == 0 && e.exited && PortProbe.saysAddressInUse(e.output);
        if (!portTaken) {
          String before = earlier.length() == 0 ? "" : earlier + "attempt " + attempt + ": ";
          throw new IOException(before + e.getMessage() + "\nserver output:\n" + e.output, e);
        }
        earlier.append("attempt ").append(attempt).append(" of ").append(MAX_ATTEMPTS).append(": ")
            .append(e.getMessage()).append("\nserver output:\n").append(e.output).append('\n');
        if (attempt >= MAX_ATTEMPTS) {
          throw new IOException("the server command " + command + " found its port in use " + MAX_ATTEMPTS
              + " times (another program took each free port before it could listen):\n" + earlier, e);
        }
      }
    }
  }

  private LaunchedServer launchOn(int p) throws IOException {
    List<String> argv = new ArrayList<>();
    for (String arg : command) {
      argv.add(arg.replace("{port}", String.valueOf(p)));
    }
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    pb.environment().putAll(environment);
    Process process = pb.start();
    StringBuilder output = new StringBuilder();
    Thread pump = new Thread(() -> pump(process.getInputStream(), output), "obrol-server-output");
    pump.setDaemon(true);
    pump.start();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
    Launched launched = new Launched(process, address, output, pump, stopTimeout);
    try {
      PortProbe.awaitAccepting(address, readinessTimeout, process::isAlive, "the server command " + argv);
    } catch (IOException e) {
      boolean exited = !process.isAlive();
      launched.close(); // also waits for the output pump, so the output is complete
      throw new FailedLaunch(e, exited, launched.output());
    }
    return launched;
  }

  /** A launch whose command did not accept connections: whether it had exited, and what it printed. */
  private static final class FailedLaunch extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient boolean exited;
    private final transient String output;

    FailedLaunch(IOException cause, boolean exited, String output) {
      super(cause.getMessage(), cause);
      this.exited = exited;
      this.output = output;
    }
  }

  private static void pump(InputStream in, StringBuilder output) {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (output) {
          if (output.length() < MAX_OUTPUT) {
            output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        }
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  private static final class Launched implements LaunchedServer {
    private final Process process;
    private final InetSocketAddress address;
    private final StringBuilder output;
    private final Thread pump;
    private final Duration stopTimeout;

    Launched(Process process, InetSocketAddress address, StringBuilder output, Thread pump, Duration stopTimeout) {
      this.process = process;
      this.address = address;
      this.output = output;
      this.pump = pump;
      this.stopTimeout = stopTimeout;
    }

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
      synchronized (output) {
        return output.toString();
      }
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        pump.join(stopTimeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Builds an {@link ExternalCommandLauncher}. */
  public static final class Builder {
    private final List<String> command;
    private int port;
    private Path directory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration readinessTimeout = Duration.ofSeconds(30);
    private Duration stopTimeout = Duration.ofSeconds(5);

    private Builder(List<String> command) {
      Objects.requireNonNull(command, "command");
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command: [] (expected: a program and its arguments)");
      }
      this.command = new ArrayList<>(command);
    }

    /** A fixed port (substituted for {@code {port}}). Default: 0, a free port per launch. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.port = port;
      return this;
    }

    /** The working directory. Default: this process's. */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /** Adds an environment variable for the command. Default: this process's environment only. */
    public Builder environment(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long the port may take to accept. Default: 30 seconds. */
    public Builder readinessTimeout(Duration timeout) {
      this.readinessTimeout = Objects.requireNonNull(timeout, "readinessTimeout");
      return this;
    }

    /** How long the process may take to exit before it is killed. Default: 5 seconds. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout, "stopTimeout");
      return this;
    }

    /** The launcher, with this builder's settings. */
    public ExternalCommandLauncher build() {
      return new ExternalCommandLauncher(this);
    }
  }
}
