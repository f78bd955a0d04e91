package io.github.obrol.server.cli;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.ClusterOptions;
import io.github.obrol.server.TlsConfig;
import io.github.obrol.server.auth.ClientCertificateVerifier;
import io.github.obrol.server.auth.JwtVerifier;
import io.github.obrol.server.auth.PasswordFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.lang.management.ManagementFactory;
import io.github.obrol.server.ServerObserver;
import io.github.obrol.server.SessionInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of the reference server: {@code java -jar obrol-server.jar --port 9009}. Every limit of
 * {@link ChatServer.Builder} is an option; {@code --help} lists them with their defaults and the exit codes.
 * Ctrl-C shuts the server down gracefully. When standard input is a terminal it reads operator commands
 * ({@link AdminConsole}); {@code --metrics-port} serves Prometheus metrics and a health check.
 */
@Command(
    name = "obrol-server",
    mixinStandardHelpOptions = true,
    versionProvider = ServerMain.Version.class,
    sortOptions = false,
    description = "Runs the Obrol chat server: classic and modern dialect on one port, plain text and TLS.",
    subcommands = PasswdCommand.class,
    footerHeading = "%n",
    footer = {
        "Operator commands (typed on standard input when it is a terminal, or always with --admin):",
        "  /notice TEXT, /kick NAME [REASON], /who, /stats, /help",
        "",
        "A secure server (see README \"Run it securely\"):",
        "  obrol-server passwd passwords.txt alice",
        "  obrol-server --tls-cert cert.pem --tls-key key.pem --require-tls --passwords passwords.txt --require-auth",
        "SIGHUP reloads the TLS certificate files (they are also checked for changes every 10 s).",
        "",
        "Exit codes:",
        "  0  the server ran and was shut down (Ctrl-C), or --help / --version",
        "  1  the server failed while running",
        "  2  invalid option or value",
        "  3  the bind address cannot be resolved (for example --bind nosuch.invalid)",
        "  4  the port (or the metrics port) is in use or may not be bound",
        "  5  --cluster: the cluster's Redis cannot be reached",
        "  6  a TLS, password or JWT key file cannot be read or used"})
public final class ServerMain implements Callable<Integer> {
  @Option(names = "--port", description = "TCP port, 0 for any free port (default: ${DEFAULT-VALUE}).")
  int port = 9009;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to bind (default: ${DEFAULT-VALUE}, every interface; 127.0.0.1 for this machine only).")
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

  @Option(names = "--max-outbound-bytes", paramLabel = "BYTES", description = "High-water mark of unsent bytes per connection: above it the connection and the senders of messages to it are not read; 4x: SLOW_CONSUMER (default: ${DEFAULT-VALUE}).")
  int maxOutboundBytes = ChatServer.DEFAULT_MAX_OUTBOUND_BYTES;

  @Option(names = "--slow-consumer-timeout", paramLabel = "SECONDS", description = "Time a connection over the high-water mark may take no byte before SLOW_CONSUMER (default: ${DEFAULT-VALUE}).")
  double slowConsumerTimeout = ChatServer.DEFAULT_SLOW_CONSUMER_TIMEOUT.toMillis() / 1000.0;

  @Option(names = "--socket-send-buffer", paramLabel = "BYTES", description = "Kernel send buffer (SO_SNDBUF) per connection, 0 for the system default (default: ${DEFAULT-VALUE}).")
  int socketSendBuffer = 0;

  @Option(names = "--rate", paramLabel = "COMMANDS", description = "Commands per second per connection, 0 for no limit; more get RATE_LIMITED (default: ${DEFAULT-VALUE}).")
  int rate = ChatServer.DEFAULT_COMMANDS_PER_SECOND;

  @Option(names = "--burst", paramLabel = "COMMANDS", description = "Command burst per connection above the rate (default: ${DEFAULT-VALUE}).")
  int burst = ChatServer.DEFAULT_COMMAND_BURST;

  @Option(names = "--connection-rate", paramLabel = "CONNECTIONS", description = "New connections per second per source address, 0 for no limit; more are closed at once (default: ${DEFAULT-VALUE}).")
  int connectionRate = ChatServer.DEFAULT_CONNECTIONS_PER_SECOND;

  @Option(names = "--connection-burst", paramLabel = "CONNECTIONS", description = "New connections a source address may open in a burst (default: ${DEFAULT-VALUE}).")
  int connectionBurst = ChatServer.DEFAULT_CONNECTION_BURST;

  @Option(names = "--max-anonymous-per-address", paramLabel = "CONNECTIONS", description = "Connections not yet logged in one source address may hold open, 0 for no limit; more are closed at once (default: ${DEFAULT-VALUE}).")
  int maxAnonymousPerAddress = ChatServer.DEFAULT_MAX_ANONYMOUS_PER_ADDRESS;

  @Option(names = "--dialects", split = ",", paramLabel = "DIALECT", description = "Dialects served: CLASSIC, MODERN (default: both).")
  Set<Dialect> dialects = EnumSet.allOf(Dialect.class);

  @Option(names = "--io-threads", description = "Event-loop threads, 0 for twice the processors (default: ${DEFAULT-VALUE}).")
  int ioThreads = 0;

  @Option(names = "--no-epoll", description = "Use NIO even where epoll is available.")
  boolean noEpoll;

  @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", description = "Time for a graceful shutdown on Ctrl-C (default: ${DEFAULT-VALUE}).")
  double shutdownTimeout = 5;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics (GET /metrics) and a health check (GET /health) over HTTP on this port of the bind address, 0 for any free port (default: off).")
  Integer metricsPort;

  @Option(names = "--cluster", paramLabel = "URI", description = "Join a cluster of nodes over Redis: redis://[[user]:password@]HOST:PORT[/db], rediss:// for TLS (default: a single server).")
  String cluster;

  @Option(names = "--node-id", paramLabel = "ID", description = "With --cluster: this node's name, 1 to 64 of A-Z a-z 0-9 _ . - (default: random).")
  String nodeId;

  @Option(names = "--node-timeout", paramLabel = "SECONDS", description = "With --cluster: the users of a node that died are announced within this time; a node that cannot reach Redis this long gives its users up (default: ${DEFAULT-VALUE}).")
  double nodeTimeout = ClusterOptions.DEFAULT_NODE_TIMEOUT.toSeconds();
  @Option(names = "--tls-cert", paramLabel = "FILE", description = "TLS certificate chain (PEM); with --tls-key. TLS and plain text share the port.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "TLS private key (PEM, unencrypted PKCS#8).")
  Path tlsKey;

  @Option(names = "--tls-keystore", paramLabel = "FILE", description = "TLS key and certificate as a PKCS#12 key store (instead of --tls-cert/--tls-key).")
  Path tlsKeystore;

  @Option(names = "--tls-keystore-password-file", paramLabel = "FILE", description = "File whose first line is the key store's password (default: empty password).")
  Path tlsKeystorePasswordFile;

  @Option(names = "--tls-client-ca", paramLabel = "FILE", description = "Ask TLS clients for a certificate signed by these CAs (PEM); its CN may log in with AUTH EXTERNAL.")
  Path tlsClientCa;

  @Option(names = "--tls-provider", paramLabel = "PROVIDER", description = "TLS implementation: JDK or OPENSSL (netty-tcnative, in the runnable jar) (default: ${DEFAULT-VALUE}).")
  TlsConfig.Provider tlsProvider = TlsConfig.Provider.JDK;

  @Option(names = "--require-tls", description = "Refuse plain-text connections with TLS_REQUIRED.")
  boolean requireTls;

  @Option(names = "--allow-plain-loopback", description = "With --require-tls: still accept plain text from this machine (loopback).")
  boolean allowPlainLoopback;

  @Option(names = "--passwords", paramLabel = "FILE", description = "Password file for AUTH PLAIN and SCRAM-SHA-256 (create entries with: obrol-server passwd FILE NAME [--names GLOB]).")
  Path passwords;

  @Option(names = "--jwt-key", paramLabel = "FILE", description = "Key for AUTH TOKEN: a PEM public key (RS256, ES256) or an HS256 secret of at least 32 bytes.")
  Path jwtKey;

  @Option(names = "--require-auth", description = "LOGIN only after a successful AUTH.")
  boolean requireAuth;

  @Option(names = "--classic-open", description = "With --require-auth: classic clients (which cannot AUTH) still log in without it.")
  boolean classicOpen;

  @Option(names = "--allow-plain-auth", description = "Allow AUTH PLAIN and TOKEN on plain-text connections (sends secrets in clear; for tests).")
  boolean allowPlainAuth;

  @Option(names = "--admin", negatable = true, description = "Read operator commands on standard input; default: only when it is a terminal.")
  Boolean admin;

  /** The server's console logger; looked up late, after main() configured slf4j-simple. */
  static final String CONSOLE_LOGGER = "io.github.obrol.server.console";

  static final int EXIT_RUNTIME_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_UNKNOWN_HOST = 3;
  static final int EXIT_CANNOT_BIND = 4;
  static final int EXIT_NO_CLUSTER = 5;
  static final int EXIT_BAD_KEY_FILE = 6;

  /** Where errors go; a field so tests can read them. */
  PrintStream err = System.err;
  /** Where admin answers go. */
  PrintStream out = System.out;
  /** Where admin commands come from. */
  InputStream in = System.in;

  /** Builds the server these options describe. */
  ChatServer server() throws IOException {
    ClusterOptions clusterOptions = null;
    if (cluster != null) {
      clusterOptions = ClusterOptions.redis(cluster).withNodeTimeout(seconds(nodeTimeout));
      if (nodeId != null) {
        clusterOptions = clusterOptions.withNodeId(nodeId);
      }
    } else if (nodeId != null) {
      throw new IllegalArgumentException("--node-id needs --cluster");
    }
    ChatServer.Builder b = ChatServer.builder().cluster(clusterOptions);
    if (tlsCert != null || tlsKey != null || tlsKeystore != null) {
      TlsConfig tls;
      if (tlsKeystore != null) {
        if (tlsCert != null || tlsKey != null) {
          throw new IllegalArgumentException("--tls-keystore: given with --tls-cert/--tls-key (expected: one or the other)");
        }
        char[] password = tlsKeystorePasswordFile == null ? new char[0]
            : Files.readAllLines(tlsKeystorePasswordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").toCharArray();
        tls = TlsConfig.pkcs12(tlsKeystore, password);
        Arrays.fill(password, '\0');
      } else if (tlsCert == null || tlsKey == null) {
        throw new IllegalArgumentException("--tls-cert and --tls-key: only one given (expected: both)");
      } else {
        tls = TlsConfig.pem(tlsCert, tlsKey);
      }
      if (tlsClientCa != null) {
        tls = tls.withClientCa(tlsClientCa);
      }
      b.tls(tls.withProvider(tlsProvider));
    } else if (tlsClientCa != null || requireTls) {
      throw new IllegalArgumentException((requireTls ? "--require-tls" : "--tls-client-ca")
          + ": no certificate (expected: with --tls-cert and --tls-key, or --tls-keystore)");
    }
    if (passwords != null) {
      b.addCredentialVerifier(PasswordFile.load(passwords));
    }
    if (jwtKey != null) {
      b.addCredentialVerifier(JwtVerifier.fromKeyFile(jwtKey));
    }
    if (tlsClientCa != null) {
      b.addCredentialVerifier(new ClientCertificateVerifier());
    }
    if (requireAuth && passwords == null && jwtKey == null && tlsClientCa == null) {
      throw new IllegalArgumentException("--require-auth: nobody could log in (expected: with --passwords, --jwt-key or --tls-client-ca)");
    }
    return b
        .requireTls(requireTls)
        .allowPlainLoopback(allowPlainLoopback)
        .requireAuth(requireAuth)
        .classicOpen(classicOpen)
        .allowPlainAuth(allowPlainAuth)
        .port(port)
        .bindAddress(bind)
        .maxLineLength(maxLineLength)
        .loginTimeout(seconds(loginTimeout))
        .idleTimeout(seconds(idleTimeout))
        .classicIdleTimeout(seconds(classicIdleTimeout))
        .classicQuietPeriod(Duration.ofMillis(quietPeriod))
        .maxConnections(maxConnections)
        .maxOutboundBytes(maxOutboundBytes)
        .slowConsumerTimeout(seconds(slowConsumerTimeout))
        .connectionRateLimit(connectionRate, connectionBurst)
        .maxAnonymousPerAddress(maxAnonymousPerAddress)
        .socketSendBuffer(socketSendBuffer)
        .rateLimit(rate, burst)
        .dialects(dialects)
        .ioThreads(ioThreads)
        .nativeTransport(!noEpoll)
        .addObserver(new RefusedLoginLog())
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
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("obrol-server: " + e.getMessage());
      return EXIT_USAGE;
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("obrol-server: " + e.getMessage());
      return EXIT_BAD_KEY_FILE;
    }
    // Checked before Netty starts, so that a bad address or a busy port is one clear line and no server
    // "stops" that never ran.
    InetAddress bindAddress;
    try {
      bindAddress = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      err.println("obrol-server: cannot resolve the bind address " + bind + " (--bind takes a host name or IP address of this machine; default 0.0.0.0)");
      return EXIT_UNKNOWN_HOST;
    }
    String busy = cannotBind(bindAddress, port);
    if (busy != null) {
      err.println("obrol-server: cannot listen on " + bind + ":" + port + ": " + busy);
      return EXIT_CANNOT_BIND;
    }
    MetricsEndpoint metrics = null;
    if (metricsPort != null) {
      try {
        metrics = MetricsEndpoint.start(server, new InetSocketAddress(bindAddress, metricsPort));
      } catch (IOException | RuntimeException e) {
        err.println("obrol-server: cannot serve metrics on " + bind + ":" + metricsPort + ": " + describe(e));
        return EXIT_CANNOT_BIND;
      }
    }
    Duration grace = seconds(shutdownTimeout);
    Thread hook = new Thread(() -> server.shutdownGracefully(grace).exceptionally(t -> null).join(), "obrol-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    InetSocketAddress address;
    try {
      address = server.start().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).startsWith("cannot join the cluster")) {
        err.println("obrol-server: " + cause.getMessage());
        closeQuietly(metrics);
        return EXIT_NO_CLUSTER;
      }
      err.println("obrol-server: " + (cause instanceof BindException
          ? cause.getMessage() : "cannot listen on " + bind + ":" + port + ": " + describe(cause)));
      closeQuietly(metrics);
      return bindFailure(e.getCause()) ? EXIT_CANNOT_BIND : EXIT_RUNTIME_FAILURE;
    }
    System.out.println("Chat server started on port " + address.getPort()
        + (bind.equals(ChatServer.DEFAULT_BIND_ADDRESS) ? " (every interface)" : " of " + bind));
    if (metrics != null) {
      System.out.println("Metrics on http://" + bind + ":" + metrics.address().getPort() + "/metrics, health on /health");
    }
    String advice = heapAdvice(Runtime.getRuntime().maxMemory(), server.maxConnections(), heapConfigured(
        ManagementFactory.getRuntimeMXBean().getInputArguments()));
    if (advice != null) {
      System.out.println(advice);
    }
    if (server.tls().isPresent()) {
      System.out.println("TLS on the same port (" + server.tls().get().provider() + ")"
          + (server.requireTls() ? ", required" + (server.allowPlainLoopback() ? " except from loopback" : "") : "")
          + (server.requireAuth() ? "; AUTH required" : ""));
      reloadOnSighup(server);
    }
    System.out.flush();
    if (admin != null ? admin : System.console() != null) {
      startAdminConsole(server);
    }
    server.onTerminated().join();
    closeQuietly(metrics);
    return 0;
  }

  /**
   * TLS-4: SIGHUP reloads the certificate files. Through {@code sun.misc.Signal} (module jdk.unsupported), found
   * reflectively so that a JVM without it still runs the server (then only the file check reloads).
   */
  private static void reloadOnSighup(ChatServer server) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler = java.lang.reflect.Proxy.newProxyInstance(ServerMain.class.getClassLoader(),
          new Class<?>[] {handlerType}, (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
              server.reloadTls();
            }
            return null;
          });
      signal.getMethod("handle", signal, handlerType).invoke(null,
          signal.getConstructor(String.class).newInstance("HUP"), handler);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LoggerFactory.getLogger(CONSOLE_LOGGER).info("SIGHUP cannot reload the certificate here ({}); the files are"
          + " still checked for changes", e.toString());
    }
  }

  /** Heap the server needs for {@code maxConnections} connections, in MiB: 128 MiB plus 64 KiB per connection. */
  static long recommendedHeapMiB(int maxConnections) {
    return 128 + ((long) maxConnections * 64 + 1023) / 1024;
  }

  /** Whether the JVM was started with an explicit heap size ({@code -Xmx}, {@code MaxHeapSize}, {@code MaxRAM...}). */
  static boolean heapConfigured(List<String> jvmArguments) {
    for (String a : jvmArguments) {
      if (a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize") || a.startsWith("-XX:MaxRAM")) {
        return true;
      }
    }
    return false;
  }

  private void startAdminConsole(ChatServer server) {
    AdminConsole adminConsole = new AdminConsole(server, out);
    Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
    Thread reader = new Thread(() -> {
      try {
        adminConsole.run(new BufferedReader(new InputStreamReader(in, charset)));
      } catch (IOException e) {
        LoggerFactory.getLogger(CONSOLE_LOGGER).warn("operator commands stopped: {}", e.toString());
      }
    }, "obrol-admin");
    reader.setDaemon(true);
    reader.start();
    System.out.println("Operator commands: /notice TEXT, /tell NAME TEXT, /kick NAME [REASON], /who, /stats, /help");
  }

  /**
   * A socket bound to {@code port} of {@code address} that never listens. The check before the start must not
   * listen: a {@code ServerSocket} would, for a moment, and a client connecting then (a launcher waiting for the
   * port to open) is accepted by the kernel, reset when the check closes, and refused before the server binds.
   * Binding a plain socket with {@code SO_REUSEADDR} fails exactly where a listener holds the port.
   */
  static Socket bindWithoutListening(InetAddress address, int port) throws IOException {
    Socket probe = new Socket();
    try {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(address, port));
      return probe;
    } catch (IOException e) {
      probe.close();
      throw e;
    }
  }

  /** Why {@code port} of {@code address} cannot be bound now, or null if it can (or is 0). */
  static String cannotBind(InetAddress address, int port) {
    if (port == 0) {
      return null;
    }
    try (Socket probe = bindWithoutListening(address, port)) {
      return null;
    } catch (BindException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("in use")) {
        return "the port is in use by another program (choose another with --port, or 0 for any free port)";
      }
      if (message.contains("ssign")) {
        return "the address is not one of this machine's (--bind takes an address of this machine)";
      }
      return message + (port < 1024 ? " (ports below 1024 need privileges)" : "");
    } catch (IOException e) {
      return describe(e);
    }
  }

  private static boolean bindFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException || String.valueOf(c.getMessage()).contains("in use")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The startup check of the heap: a warning if the heap is smaller than {@link #recommendedHeapMiB} or, when
   * nobody chose it, far larger (the JVM's default is a quarter of the machine's memory, which lets a flood
   * grow the process to gigabytes); null if the heap fits.
   */
  static String heapAdvice(long maxHeapBytes, int maxConnections, boolean configured) {
    long heapMiB = maxHeapBytes / (1024 * 1024);
    long recommended = recommendedHeapMiB(maxConnections);
    if (heapMiB < recommended) {
      return "WARNING: heap " + heapMiB + " MiB is below the " + recommended + " MiB recommended for " + maxConnections
          + " connections; start with -Xmx" + recommended + "m or bin/obrol-server";
    }
    if (!configured && heapMiB > 4 * recommended) {
      return "WARNING: no heap size set: the JVM default of " + heapMiB + " MiB lets a flood grow this process; start with -Xmx"
          + recommended + "m (JAVA_TOOL_OPTIONS=-Xmx" + recommended + "m) or bin/obrol-server";
    }
    return null;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private static void closeQuietly(MetricsEndpoint metrics) {
    if (metrics != null) {
      metrics.close();
    }
  }

  /**
   * Logs each refused login with its reason, which the connect and disconnect lines alone do not say:
   * {@code Client (127.0.0.1, 52451) login refused: NAME_TAKEN (username sudah dipake)}.
   */
  static final class RefusedLoginLog implements ServerObserver {
    private final Logger console = LoggerFactory.getLogger(CONSOLE_LOGGER);
    private static final Set<ErrorCode> LOGIN_REFUSALS =
        EnumSet.of(ErrorCode.NAME_TAKEN, ErrorCode.INVALID_NAME, ErrorCode.LOGIN_REJECTED, ErrorCode.AUTH_REQUIRED,
            ErrorCode.NAME_NOT_ALLOWED);

    @Override
    public void onError(SessionInfo session, ErrorCode code, String detail) {
      if (LOGIN_REFUSALS.contains(code) && !session.isLoggedIn()) {
        console.info("Client {} login refused: {} ({})", session.describeAddress(), code, detail);
      }
    }
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
    // Netty's default leak detection records a stack trace for one buffer in 128 it allocates, on the event
    // loops: the largest allocation per delivery left in a profile of a broadcast (benchmarks/README.md).
    // -Dio.netty.leakDetection.level=simple turns it back on to debug.
    setIfAbsent("io.netty.leakDetection.level", "disabled");
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
    Properties properties = new Properties();
    try (InputStream in = ServerMain.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // Only --version reads it; "unknown" says what happened.
    }
    return properties.getProperty("version", "unknown");
  }
}
