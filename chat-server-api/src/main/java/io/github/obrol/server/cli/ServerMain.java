package io.github.obrol.server.cli;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.server.ChatServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of the reference server: {@code java -jar obrol-server.jar --port 9009}. Every limit of
 * {@link ChatServer.Builder} is an option; {@code --help} lists them with their defaults. Ctrl-C shuts the
 * server down gracefully.
 */
@Command(
    name = "obrol-server",
    mixinStandardHelpOptions = true,
    versionProvider = ServerMain.Version.class,
    sortOptions = false,
    description = "Runs the Obrol chat server: classic and modern dialect on one port.")
public final class ServerMain implements Callable<Integer> {
  @Option(names = "--port", description = "TCP port, 0 for any free port (default: ${DEFAULT-VALUE}).")
  int port = 9009;

  @Option(names = "--bind", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind = ChatServer.DEFAULT_BIND_ADDRESS;

  @Option(names = "--max-line-length", paramLabel = "BYTES", description = "Longest accepted line, terminator excluded (default: ${DEFAULT-VALUE}).")
  int maxLineLength = 4096;

  @Option(names = "--login-timeout", paramLabel = "SECONDS", description = "Time a connection has to log in (default: ${DEFAULT-VALUE}).")
  double loginTimeout = 30;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Idle timeout of modern connections, 0 for none; announced in the greeting (default: ${DEFAULT-VALUE}).")
  double idleTimeout = 300;

  @Option(names = "--classic-idle-timeout", paramLabel = "SECONDS", description = "Idle timeout of classic connections, 0 for none (default: ${DEFAULT-VALUE}: the original client has no keep-alive).")
  double classicIdleTimeout = 0;

  @Option(names = "--quiet-period", paramLabel = "MILLIS", description = "Quiet period that ends an unterminated classic line, at least 10 (default: ${DEFAULT-VALUE}).")
  long quietPeriod = 100;

  @Option(names = "--max-connections", description = "Most open connections; more get SERVER_FULL (default: ${DEFAULT-VALUE}).")
  int maxConnections = ChatServer.DEFAULT_MAX_CONNECTIONS;

  @Option(names = "--max-outbound-bytes", paramLabel = "BYTES", description = "Most bytes held for sending to one connection; more: SLOW_CONSUMER (default: ${DEFAULT-VALUE}).")
  int maxOutboundBytes = ChatServer.DEFAULT_MAX_OUTBOUND_BYTES;

  @Option(names = "--socket-send-buffer", paramLabel = "BYTES", description = "Kernel send buffer (SO_SNDBUF) per connection, 0 for the system default (default: ${DEFAULT-VALUE}).")
  int socketSendBuffer = 0;

  @Option(names = "--rate", paramLabel = "COMMANDS", description = "Commands per second per connection, 0 for no limit; more get RATE_LIMITED (default: ${DEFAULT-VALUE}).")
  int rate = ChatServer.DEFAULT_COMMANDS_PER_SECOND;

  @Option(names = "--burst", paramLabel = "COMMANDS", description = "Command burst per connection above the rate (default: ${DEFAULT-VALUE}).")
  int burst = ChatServer.DEFAULT_COMMAND_BURST;

  @Option(names = "--dialects", split = ",", paramLabel = "DIALECT", description = "Dialects served: CLASSIC, MODERN (default: both).")
  Set<Dialect> dialects = EnumSet.allOf(Dialect.class);

  @Option(names = "--io-threads", description = "Event-loop threads, 0 for twice the processors (default: ${DEFAULT-VALUE}).")
  int ioThreads = 0;

  @Option(names = "--no-epoll", description = "Use NIO even where epoll is available.")
  boolean noEpoll;

  @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", description = "Time for a graceful shutdown on Ctrl-C (default: ${DEFAULT-VALUE}).")
  double shutdownTimeout = 5;

  /** Builds the server these options describe. */
  ChatServer server() {
    return ChatServer.builder()
        .port(port)
        .bindAddress(bind)
        .maxLineLength(maxLineLength)
        .loginTimeout(seconds(loginTimeout))
        .idleTimeout(seconds(idleTimeout))
        .classicIdleTimeout(seconds(classicIdleTimeout))
        .classicQuietPeriod(Duration.ofMillis(quietPeriod))
        .maxConnections(maxConnections)
        .maxOutboundBytes(maxOutboundBytes)
        .socketSendBuffer(socketSendBuffer)
        .rateLimit(rate, burst)
        .dialects(dialects)
        .ioThreads(ioThreads)
        .nativeTransport(!noEpoll)
        .build();
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  @Override
  public Integer call() {
    ChatServer server;
    try {
      server = server();
    } catch (IllegalArgumentException e) {
      System.err.println("obrol-server: " + e.getMessage());
      return 2;
    }
    Duration grace = seconds(shutdownTimeout);
    Thread hook = new Thread(() -> server.shutdownGracefully(grace).exceptionally(t -> null).join(), "obrol-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    InetSocketAddress address;
    try {
      address = server.start().join();
    } catch (CompletionException e) {
      System.err.println("obrol-server: cannot listen on " + bind + ":" + port + ": " + e.getCause().getMessage());
      return 1;
    }
    System.out.println("Chat server started on port " + address.getPort());
    System.out.flush();
    server.onTerminated().join();
    return 0;
  }

  /** Entry point. */
  public static void main(String[] args) {
    // Console-style logging unless the user configured slf4j-simple otherwise.
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    int code = new CommandLine(new ServerMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** {@code --version}: the artifact version the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"obrol-server " + artifactVersion() + " (protocol obrol/1)"};
    }
  }

  /** This tool's artifact version, e.g. {@code 0.1.0-SNAPSHOT}; {@code "unknown"} if the resource is missing. */
  static String artifactVersion() {
    java.util.Properties properties = new java.util.Properties();
    try (java.io.InputStream in = ServerMain.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (java.io.IOException e) {
      // Only --version reads it; "unknown" says what happened.
    }
    return properties.getProperty("version", "unknown");
  }
}
