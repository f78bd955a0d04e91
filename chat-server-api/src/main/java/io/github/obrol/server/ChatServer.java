package io.github.obrol.server;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ProtocolDefaults;
import io.github.obrol.server.internal.NettyChatServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An Obrol chat server: serves the classic and the modern dialect of PROTOCOL.md on one port, with the
 * dialect detected per connection (GEN-DIALECT-1).
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder().port(9009).build()) {
 *   InetSocketAddress address = server.start().join();
 *   server.onTerminated().join();
 * }
 * }</pre>
 *
 * <p>A server is configured once, by its {@link Builder}; its configuration is immutable and readable
 * through the accessors below ({@link #toBuilder()} copies it). A server starts once and stops once:
 * {@link #start()} binds, {@link #shutdownGracefully(Duration)} (or {@link #close()}) tells every
 * connection {@code SHUTTING_DOWN}, closes them and releases the threads.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ChatServer implements AutoCloseable {
  /** Default bind address: every interface, as the original server. */
  public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
  /** Default modern idle timeout, announced in the greeting as {@code idle=300}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  /** Default maximum number of open connections. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** Default bound of bytes held for sending to one connection (GEN-LIMIT-5): 1 MiB. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1 << 20;
  /** Default sustained command rate per connection, commands per second. */
  public static final int DEFAULT_COMMANDS_PER_SECOND = 10_000;
  /** Default command burst per connection. */
  public static final int DEFAULT_COMMAND_BURST = 20_000;
  /** Default time a connection over its outbound high-water mark may take no byte before it is cut (GEN-LIMIT-8). */
  public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(5);
  /** Default sustained rate of new connections per source address, per second (GEN-LIMIT-10). */
  public static final int DEFAULT_CONNECTIONS_PER_SECOND = 200;
  /** Default burst of new connections per source address (GEN-LIMIT-10). */
  public static final int DEFAULT_CONNECTION_BURST = 2_000;
  /** Default {@link #maxAnonymousPerAddress()}: connections not yet logged in per source address. */
  public static final int DEFAULT_MAX_ANONYMOUS_PER_ADDRESS = 64;
  /** Largest {@link #maxLineLength()}: 1 MiB minus 1 KiB, so that no relayed frame passes 1 MiB (GEN-LINE-4). */
  public static final int MAX_LINE_LENGTH_LIMIT = (1 << 20) - 1024;
  /** Default time an authenticator or an interceptor chain has to decide. */
  public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofSeconds(5);

  private final String bindAddress;
  private final int port;
  private final int maxLineLength;
  private final Duration loginTimeout;
  private final Duration idleTimeout;
  private final Duration classicIdleTimeout;
  private final Duration classicQuietPeriod;
  private final int maxConnections;
  private final int maxOutboundBytes;
  private final int commandsPerSecond;
  private final int commandBurst;
  private final Duration slowConsumerTimeout;
  private final int connectionsPerSecond;
  private final int connectionBurst;
  private final int maxAnonymousPerAddress;
  private final Set<Dialect> dialects;
  private final int ioThreads;
  private final int socketSendBuffer;
  private final boolean nativeTransport;
  private final Authenticator authenticator;
  private final Duration hookTimeout;
  private final List<MessageInterceptor> interceptors;
  private final List<ServerObserver> observers;
  private final Executor hookExecutor;
  private final TlsConfig tls;
  private final boolean requireTls;
  private final boolean allowPlainLoopback;
  private final boolean allowPlainAuth;
  private final boolean requireAuth;
  private final boolean classicOpen;
  private final List<CredentialVerifier> credentialVerifiers;
  private final NettyChatServer runtime;

  private ChatServer(Builder b) {
    this.bindAddress = b.bindAddress;
    this.port = b.port;
    this.maxLineLength = b.maxLineLength;
    this.loginTimeout = b.loginTimeout;
    this.idleTimeout = b.idleTimeout;
    this.classicIdleTimeout = b.classicIdleTimeout;
    this.classicQuietPeriod = b.classicQuietPeriod;
    this.maxConnections = b.maxConnections;
    this.maxOutboundBytes = b.maxOutboundBytes;
    this.commandsPerSecond = b.commandsPerSecond;
    this.commandBurst = b.commandBurst;
    this.slowConsumerTimeout = b.slowConsumerTimeout;
    this.connectionsPerSecond = b.connectionsPerSecond;
    this.connectionBurst = b.connectionBurst;
    this.maxAnonymousPerAddress = b.maxAnonymousPerAddress;
    this.dialects = Set.copyOf(b.dialects);
    this.ioThreads = b.ioThreads;
    this.socketSendBuffer = b.socketSendBuffer;
    this.nativeTransport = b.nativeTransport;
    this.authenticator = b.authenticator;
    this.hookTimeout = b.hookTimeout;
    this.interceptors = List.copyOf(b.interceptors);
    this.observers = List.copyOf(b.observers);
    this.hookExecutor = b.hookExecutor;
    this.tls = b.tls;
    this.requireTls = b.requireTls;
    this.allowPlainLoopback = b.allowPlainLoopback;
    this.allowPlainAuth = b.allowPlainAuth;
    this.requireAuth = b.requireAuth;
    this.classicOpen = b.classicOpen;
    this.credentialVerifiers = List.copyOf(b.credentialVerifiers);
    this.runtime = new NettyChatServer(this);
  }

  /** A builder with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this server's configuration, to build another server like it. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Binds the port and starts serving. Completes with the bound address (useful with port 0), or
   * exceptionally with a {@link java.net.BindException} naming the address and port (for example {@code
   * cannot listen on 127.0.0.1:9009: Address already in use}, the transport's exception as its cause) if
   * binding failed; the server is then terminated, and logs no "stopped" line since it never started.
   *
   * @throws IllegalStateException if called more than once
   */
  public CompletableFuture<InetSocketAddress> start() {
    return runtime.start();
  }

  /**
   * Stops accepting connections, tells every connection {@code SHUTTING_DOWN} (modern: {@code BYE
   * SHUTTING_DOWN}, classic: {@code "\rserver shutting down\n"}) without leave notices (GEN-LEAVE-2),
   * waits up to {@code timeout} for those frames to be written, closes what is left and releases every
   * thread. Completes when the server has terminated, always within {@code timeout} plus one second
   * whatever observers and hooks do (an observer still blocked then misses {@code onTerminated()}); calling
   * it again returns the same future. Safe to call before {@link #start()}.
   */
  public CompletableFuture<Void> shutdownGracefully(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return runtime.shutdownGracefully(timeout);
  }

  /** Completes when the server has terminated, after its observers' {@link ServerObserver#onTerminated()}. */
  public CompletableFuture<Void> onTerminated() {
    return runtime.terminationFuture();
  }

  /**
   * {@link #shutdownGracefully(Duration)} with 5 seconds, waiting for it; called on one of the server's
   * own threads (an observer, an event loop) it starts the shutdown without waiting, which would deadlock.
   */
  @Override
  public void close() {
    CompletableFuture<Void> done = shutdownGracefully(Duration.ofSeconds(5));
    if (!runtime.isServerThread()) {
      done.exceptionally(t -> null).join();
    }
  }

  /**
   * {@link #shutdownGracefully(Duration)} with 5 seconds, without waiting: the non-blocking form of
   * {@link #close()}, as {@code ChatClient.closeAsync()} is the client's.
   */
  public CompletableFuture<Void> closeAsync() {
    return shutdownGracefully(Duration.ofSeconds(5));
  }

  /** The address the server is bound to, or null before {@link #start()} completed. */
  public InetSocketAddress localAddress() {
    return runtime.localAddress();
  }

  /** Every open connection, logged in or not, in order of connection. */
  public List<SessionInfo> sessions() {
    return runtime.sessions();
  }

  /**
   * Disconnects the logged-in user {@code user} (compared ignoring case): it is told {@code KICKED} with
   * {@code reason} and departs with leave reason {@code KICKED}. Completes with whether such a user was
   * found.
   */
  public CompletableFuture<Boolean> disconnect(String user, String reason) {
    return runtime.disconnect(user, reason);
  }

  /**
   * Sends a notice from the server to every logged-in user (modern {@code NOTICE}, classic {@code "\r***
   * text\n"}), after passing it through the interceptors. Completes with {@code true} if delivered, {@code
   * false} if an interceptor vetoed it or the server is shutting down; it always completes.
   *
   * @throws IllegalArgumentException if the text is blank or holds a control character
   */
  public CompletableFuture<Boolean> broadcast(String systemText) {
    return runtime.broadcast(systemText);
  }

  /**
   * Sends a notice from the server to the logged-in user {@code user} (compared ignoring case) only: modern
   * {@code NOTICE text}, classic {@code "\r*** text\n"}, after passing it through the interceptors (as a
   * {@link InboundMessage.Kind#NOTICE} whose {@link InboundMessage#recipient()} is {@code user}). Completes
   * with {@code true} if it was queued to that user, {@code false} if no such user is logged in, an
   * interceptor vetoed it or the server is shutting down; it always completes.
   *
   * @throws IllegalArgumentException if the text is blank or holds a control character
   */
  public CompletableFuture<Boolean> notice(String user, String systemText) {
    java.util.Objects.requireNonNull(user, "user");
    return runtime.notice(user, systemText);
  }

  /** A snapshot of the server's counters. */
  public ServerMetrics metrics() {
    return runtime.metricsSnapshot();
  }

  /** The address to bind. Default {@value #DEFAULT_BIND_ADDRESS}. */
  public String bindAddress() {
    return bindAddress;
  }

  /** The port to bind; 0 for any free port. Default 9009. */
  public int port() {
    return port;
  }

  /** Longest accepted frame in bytes, terminator excluded (GEN-LINE-1, GEN-LINE-4). Default 4096. */
  public int maxLineLength() {
    return maxLineLength;
  }

  /** Time a connection has to log in (GEN-LIMIT-1). Default 30 seconds. */
  public Duration loginTimeout() {
    return loginTimeout;
  }

  /** Idle timeout of modern connections, {@link Duration#ZERO} for none (GEN-LIMIT-2). Default 5 minutes. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Idle timeout of classic connections, {@link Duration#ZERO} for none. Default none: the original client
   * has no keep-alive, so a quiet classic user is not kicked.
   */
  public Duration classicIdleTimeout() {
    return classicIdleTimeout;
  }

  /** Quiet period that ends an unterminated classic frame (CL-FRAME-2). Default 100 ms. */
  public Duration classicQuietPeriod() {
    return classicQuietPeriod;
  }

  /** Most open connections; more are answered {@code SERVER_FULL} (GEN-LIMIT-3). Default 10,000. */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * High-water mark of unsent bytes per connection, counted in bytes of frames (GEN-LIMIT-5, GEN-LIMIT-8).
   * Above it the connection is not read from, and producers of messages stop being read from while it
   * still takes bytes; if it takes no byte for {@link #slowConsumerTimeout()}, or holds more than four
   * times this, it is closed with {@code SLOW_CONSUMER}. Default 1 MiB.
   */
  public int maxOutboundBytes() {
    return maxOutboundBytes;
  }

  /** Time a connection over {@link #maxOutboundBytes()} may take no byte before it is cut (GEN-LIMIT-8). Default 5 s. */
  public Duration slowConsumerTimeout() {
    return slowConsumerTimeout;
  }

  /** Sustained new connections per second per source address, 0 for no limit (GEN-LIMIT-10). Default 200. */
  public int connectionsPerSecond() {
    return connectionsPerSecond;
  }

  /** New connections a source address may open in a burst (GEN-LIMIT-10). Default 2,000. */
  public int connectionBurst() {
    return connectionBurst;
  }

  /**
   * Connections not yet logged in that one source address may hold open at once, 0 for no limit
   * (GEN-LIMIT-10): one more is closed at accept, without a frame. Default 64.
   */
  public int maxAnonymousPerAddress() {
    return maxAnonymousPerAddress;
  }

  /**
   * Sustained commands per second per connection, 0 for no limit (GEN-LIMIT-4, GEN-LIMIT-9): a connection
   * over it is not read from until its next command is due. Default 10,000.
   */
  public int commandsPerSecond() {
    return commandsPerSecond;
  }

  /**
   * Commands a connection may send in a burst above the sustained rate; a new connection starts with what the
   * last connection from its address left (GEN-LIMIT-10). Default 20,000.
   */
  public int commandBurst() {
    return commandBurst;
  }

  /** The dialects served; others are answered {@code UNSUPPORTED_DIALECT} (GEN-DIALECT-3). Default both. */
  public Set<Dialect> dialects() {
    return dialects;
  }

  /** Event-loop threads, 0 for Netty's default (twice the processors). Default 0. */
  public int ioThreads() {
    return ioThreads;
  }

  /** The kernel send buffer (SO_SNDBUF) of each connection in bytes, 0 for the system's default. Default 0. */
  public int socketSendBuffer() {
    return socketSendBuffer;
  }

  /** Whether to use the native epoll transport where available (NIO otherwise). Default true. */
  public boolean nativeTransport() {
    return nativeTransport;
  }

  /** The authenticator. Default {@link Authenticator#ACCEPT_ALL}. */
  public Authenticator authenticator() {
    return authenticator;
  }

  /** Time the authenticator or the interceptor chain has to decide. Default 5 seconds. */
  public Duration hookTimeout() {
    return hookTimeout;
  }

  /** The interceptors, in calling order. Default none. */
  public List<MessageInterceptor> interceptors() {
    return interceptors;
  }

  /** The observers. Default none. */
  public List<ServerObserver> observers() {
    return observers;
  }

  /** The executor that runs the authenticator and interceptors, or null for the server's own pool. */
  public Executor hookExecutor() {
    return hookExecutor;
  }

  /** The TLS settings, empty for a plain-text server (PROTOCOL.md section 8.1). Default none. */
  public java.util.Optional<TlsConfig> tls() {
    return java.util.Optional.ofNullable(tls);
  }

  /**
   * Whether plain-text connections are refused with {@code TLS_REQUIRED} (TLS-3), except from loopback if
   * {@link #allowPlainLoopback()}. Default false.
   */
  public boolean requireTls() {
    return requireTls;
  }

  /** Whether {@link #requireTls()} exempts connections from a loopback address (TLS-3). Default false. */
  public boolean allowPlainLoopback() {
    return allowPlainLoopback;
  }

  /**
   * Whether {@code PLAIN} and {@code TOKEN} are allowed on plain-text connections, where they would send the
   * password or token in clear text (AUTH-9). For tests and loopback. Default false.
   */
  public boolean allowPlainAuth() {
    return allowPlainAuth;
  }

  /** Whether {@code LOGIN} requires a successful {@code AUTH} first (AUTH-10, AUTH-12). Default false. */
  public boolean requireAuth() {
    return requireAuth;
  }

  /**
   * Whether classic connections may still log in without authentication when {@link #requireAuth()} is set
   * (AUTH-12). Default false: they are told {@code "\rauthentication required\n"} and closed.
   */
  public boolean classicOpen() {
    return classicOpen;
  }

  /** The credential verifiers, in the order they are asked (section 8). Default none: no {@code AUTH}. */
  public List<CredentialVerifier> credentialVerifiers() {
    return credentialVerifiers;
  }

  /**
   * Loads the TLS certificate, key and client CA files again, for new handshakes; established connections keep
   * theirs (TLS-4). Completes with {@code true} if they loaded, {@code false} if they could not be read (the
   * previous ones stay in use; the reason is logged) or the server has no TLS.
   */
  public CompletableFuture<Boolean> reloadTls() {
    return runtime.reloadTls();
  }

  @Override
  public String toString() {
    return "ChatServer[" + bindAddress + ":" + port + ", maxLineLength=" + maxLineLength + ", loginTimeout="
        + loginTimeout + ", idleTimeout=" + idleTimeout + ", classicIdleTimeout=" + classicIdleTimeout
        + ", maxConnections=" + maxConnections + ", maxOutboundBytes=" + maxOutboundBytes
        + ", commandsPerSecond=" + commandsPerSecond + ", slowConsumerTimeout=" + slowConsumerTimeout
        + ", connectionsPerSecond=" + connectionsPerSecond + ", maxAnonymousPerAddress=" + maxAnonymousPerAddress + ", dialects=" + dialects
        + (tls != null ? ", tls=" + tls + (requireTls ? " (required)" : "") : "")
        + (requireAuth ? ", requireAuth" : "") + "]";
  }

  /** Configures a {@link ChatServer}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private String bindAddress = DEFAULT_BIND_ADDRESS;
    private int port = ProtocolDefaults.PORT;
    private int maxLineLength = ProtocolDefaults.MAX_LINE_LENGTH;
    private Duration loginTimeout = ProtocolDefaults.LOGIN_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration classicIdleTimeout = Duration.ZERO;
    private Duration classicQuietPeriod = ProtocolDefaults.CLASSIC_QUIET_PERIOD;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
    private int commandsPerSecond = DEFAULT_COMMANDS_PER_SECOND;
    private int commandBurst = DEFAULT_COMMAND_BURST;
    private Duration slowConsumerTimeout = DEFAULT_SLOW_CONSUMER_TIMEOUT;
    private int connectionsPerSecond = DEFAULT_CONNECTIONS_PER_SECOND;
    private int connectionBurst = DEFAULT_CONNECTION_BURST;
    private int maxAnonymousPerAddress = DEFAULT_MAX_ANONYMOUS_PER_ADDRESS;
    private Set<Dialect> dialects = EnumSet.allOf(Dialect.class);
    private int ioThreads;
    private int socketSendBuffer;
    private boolean nativeTransport = true;
    private Authenticator authenticator = Authenticator.ACCEPT_ALL;
    private Duration hookTimeout = DEFAULT_HOOK_TIMEOUT;
    private final List<MessageInterceptor> interceptors = new ArrayList<>();
    private final List<ServerObserver> observers = new ArrayList<>();
    private Executor hookExecutor;
    private TlsConfig tls;
    private boolean requireTls;
    private boolean allowPlainLoopback;
    private boolean allowPlainAuth;
    private boolean requireAuth;
    private boolean classicOpen;
    private final List<CredentialVerifier> credentialVerifiers = new ArrayList<>();

    private Builder() {}

    private Builder(ChatServer s) {
      bindAddress = s.bindAddress;
      port = s.port;
      maxLineLength = s.maxLineLength;
      loginTimeout = s.loginTimeout;
      idleTimeout = s.idleTimeout;
      classicIdleTimeout = s.classicIdleTimeout;
      classicQuietPeriod = s.classicQuietPeriod;
      maxConnections = s.maxConnections;
      maxOutboundBytes = s.maxOutboundBytes;
      commandsPerSecond = s.commandsPerSecond;
      commandBurst = s.commandBurst;
      slowConsumerTimeout = s.slowConsumerTimeout;
      connectionsPerSecond = s.connectionsPerSecond;
      connectionBurst = s.connectionBurst;
      maxAnonymousPerAddress = s.maxAnonymousPerAddress;
      dialects = EnumSet.copyOf(s.dialects);
      ioThreads = s.ioThreads;
      socketSendBuffer = s.socketSendBuffer;
      nativeTransport = s.nativeTransport;
      authenticator = s.authenticator;
      hookTimeout = s.hookTimeout;
      interceptors.addAll(s.interceptors);
      observers.addAll(s.observers);
      hookExecutor = s.hookExecutor;
      tls = s.tls;
      requireTls = s.requireTls;
      allowPlainLoopback = s.allowPlainLoopback;
      allowPlainAuth = s.allowPlainAuth;
      requireAuth = s.requireAuth;
      classicOpen = s.classicOpen;
      credentialVerifiers.addAll(s.credentialVerifiers);
    }

    /** The address to bind, a host name or literal. Default {@value ChatServer#DEFAULT_BIND_ADDRESS}. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** The port, 0 to 65535; 0 binds any free port. Default 9009. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.port = port;
      return this;
    }

    /**
     * Longest accepted frame in bytes, terminator excluded (GEN-LINE-1); at most {@value
     * ChatServer#MAX_LINE_LENGTH_LIMIT} (GEN-LINE-4). Default 4096.
     */
    public Builder maxLineLength(int maxLineLength) {
      positive("maxLineLength", maxLineLength);
      if (maxLineLength > MAX_LINE_LENGTH_LIMIT) {
        throw new IllegalArgumentException(
            "maxLineLength: " + maxLineLength + " (expected: at most " + MAX_LINE_LENGTH_LIMIT + ")");
      }
      this.maxLineLength = maxLineLength;
      return this;
    }

    /** Time a connection has to log in, greater than zero (GEN-LIMIT-1). Default 30 seconds. */
    public Builder loginTimeout(Duration loginTimeout) {
      this.loginTimeout = positive("loginTimeout", loginTimeout);
      return this;
    }

    /**
     * Idle timeout of modern connections, {@link Duration#ZERO} for none; announced in the greeting in whole
     * seconds (rounded up). Default 5 minutes.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = notNegative("idleTimeout", idleTimeout);
      return this;
    }

    /** Idle timeout of classic connections, {@link Duration#ZERO} for none. Default none. */
    public Builder classicIdleTimeout(Duration classicIdleTimeout) {
      this.classicIdleTimeout = notNegative("classicIdleTimeout", classicIdleTimeout);
      return this;
    }

    /** Quiet period that ends an unterminated classic frame, at least 10 ms (CL-FRAME-2). Default 100 ms. */
    public Builder classicQuietPeriod(Duration classicQuietPeriod) {
      Objects.requireNonNull(classicQuietPeriod, "classicQuietPeriod");
      if (classicQuietPeriod.compareTo(ProtocolDefaults.MIN_CLASSIC_QUIET_PERIOD) < 0) {
        throw new IllegalArgumentException(
            "classicQuietPeriod: " + classicQuietPeriod + " (expected: >= " + ProtocolDefaults.MIN_CLASSIC_QUIET_PERIOD + ")");
      }
      this.classicQuietPeriod = classicQuietPeriod;
      return this;
    }

    /** Most open connections (GEN-LIMIT-3). Default 10,000. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = positive("maxConnections", maxConnections);
      return this;
    }

    /** Most bytes held for sending to one connection before it is a slow consumer (GEN-LIMIT-5). Default 1 MiB. */
    public Builder maxOutboundBytes(int maxOutboundBytes) {
      this.maxOutboundBytes = positive("maxOutboundBytes", maxOutboundBytes);
      return this;
    }

    /** Time a connection over the outbound high-water mark may take no byte before it is cut (GEN-LIMIT-8). Default 5 s. */
    public Builder slowConsumerTimeout(Duration slowConsumerTimeout) {
      this.slowConsumerTimeout = positive("slowConsumerTimeout", slowConsumerTimeout);
      return this;
    }

    /**
     * Rate of new connections per source address (GEN-LIMIT-10): {@code perSecond} sustained (0 for no limit)
     * and bursts of up to {@code burst}; connections over it are closed at once. Default 200 per second,
     * bursts of 2,000.
     */
    public Builder connectionRateLimit(int perSecond, int burst) {
      if (perSecond < 0) {
        throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: >= 0)");
      }
      this.connectionsPerSecond = perSecond;
      this.connectionBurst = positive("burst", burst);
      return this;
    }

    /**
     * Connections not yet logged in that one source address may hold open at once (GEN-LIMIT-10); 0 for no
     * limit. One more is closed at accept without a frame and counted in {@link
     * ServerMetrics#refusedConnections()}, so that silent connections from one address cannot hold every
     * {@code maxConnections} slot until the login timeout. Default 64.
     */
    public Builder maxAnonymousPerAddress(int maxAnonymousPerAddress) {
      if (maxAnonymousPerAddress < 0) {
        throw new IllegalArgumentException("maxAnonymousPerAddress: " + maxAnonymousPerAddress + " (expected: >= 0)");
      }
      this.maxAnonymousPerAddress = maxAnonymousPerAddress;
      return this;
    }

    /**
     * Rate limit of commands per connection (GEN-LIMIT-4, GEN-LIMIT-9): {@code commandsPerSecond} sustained
     * (0 for no limit) and bursts of up to {@code burst}; commands over it wait (the connection is not read
     * from). Default 10,000 per second, bursts of 20,000.
     */
    public Builder rateLimit(int commandsPerSecond, int burst) {
      if (commandsPerSecond < 0) {
        throw new IllegalArgumentException("commandsPerSecond: " + commandsPerSecond + " (expected: >= 0)");
      }
      this.commandsPerSecond = commandsPerSecond;
      this.commandBurst = positive("burst", burst);
      return this;
    }

    /** The dialects served, at least one (GEN-DIALECT-3). Default both. */
    public Builder dialects(Set<Dialect> dialects) {
      Objects.requireNonNull(dialects, "dialects");
      if (dialects.isEmpty()) {
        throw new IllegalArgumentException("dialects: [] (expected: at least one)");
      }
      this.dialects = EnumSet.copyOf(dialects);
      return this;
    }

    /** Event-loop threads, 0 for Netty's default (twice the processors). Default 0. */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 0) {
        throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /**
     * The kernel send buffer (SO_SNDBUF) of each connection in bytes, 0 for the system's default (which
     * Linux grows up to {@code net.ipv4.tcp_wmem}). With {@link #maxOutboundBytes} it bounds what a client
     * that stops reading costs before it is a slow consumer. Default 0.
     */
    public Builder socketSendBuffer(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("socketSendBuffer: " + bytes + " (expected: >= 0)");
      }
      this.socketSendBuffer = bytes;
      return this;
    }

    /** Whether to use the native epoll transport where available. Default true. */
    public Builder nativeTransport(boolean nativeTransport) {
      this.nativeTransport = nativeTransport;
      return this;
    }

    /** The authenticator. Default {@link Authenticator#ACCEPT_ALL}. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** Time the authenticator or the interceptor chain has to decide, greater than zero. Default 5 seconds. */
    public Builder hookTimeout(Duration hookTimeout) {
      this.hookTimeout = positive("hookTimeout", hookTimeout);
      return this;
    }

    /** Adds an interceptor after those added before. */
    public Builder addInterceptor(MessageInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Adds an observer. */
    public Builder addObserver(ServerObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /**
     * The executor for the authenticator and the interceptors. Default: the server's own bounded pool of
     * daemon threads (twice the processors, at least 4; 65,536 waiting tasks), shut down with the server.
     */
    public Builder hookExecutor(Executor hookExecutor) {
      this.hookExecutor = Objects.requireNonNull(hookExecutor, "hookExecutor");
      return this;
    }

    /**
     * Serves TLS on the same port as plain text: a connection whose first byte is {@code 0x16} is TLS (TLS-1).
     * The certificate files are read at {@link #build()}. Default none.
     */
    public Builder tls(TlsConfig tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** Refuses plain-text connections with {@code TLS_REQUIRED} (TLS-3); needs {@link #tls}. Default false. */
    public Builder requireTls(boolean requireTls) {
      this.requireTls = requireTls;
      return this;
    }

    /** Exempts loopback connections from {@link #requireTls} (TLS-3). Default false. */
    public Builder allowPlainLoopback(boolean allowPlainLoopback) {
      this.allowPlainLoopback = allowPlainLoopback;
      return this;
    }

    /**
     * Allows {@code PLAIN} and {@code TOKEN} on plain-text connections, which sends passwords and tokens in clear
     * text (AUTH-9): for tests and loopback only. Default false.
     */
    public Builder allowPlainAuth(boolean allowPlainAuth) {
      this.allowPlainAuth = allowPlainAuth;
      return this;
    }

    /** Requires a successful {@code AUTH} before {@code LOGIN} (AUTH-10, AUTH-12); needs a verifier. Default false. */
    public Builder requireAuth(boolean requireAuth) {
      this.requireAuth = requireAuth;
      return this;
    }

    /** Lets classic connections log in without authentication despite {@link #requireAuth} (AUTH-12). Default false. */
    public Builder classicOpen(boolean classicOpen) {
      this.classicOpen = classicOpen;
      return this;
    }

    /**
     * Adds a credential verifier after those added before; the server offers the union of their mechanisms
     * (AUTH-2). Default none.
     */
    public Builder addCredentialVerifier(CredentialVerifier verifier) {
      credentialVerifiers.add(Objects.requireNonNull(verifier, "verifier"));
      return this;
    }

    /**
     * A server with this configuration; it is not started.
     *
     * @throws IllegalStateException if {@link #requireTls} is set without {@link #tls}, or {@link #requireAuth}
     *     without a credential verifier
     * @throws java.io.UncheckedIOException if the TLS files cannot be read
     */
    public ChatServer build() {
      if (requireTls && tls == null) {
        throw new IllegalStateException("requireTls: true (expected: with tls(...), a certificate to serve)");
      }
      if (requireAuth && credentialVerifiers.isEmpty()) {
        throw new IllegalStateException("requireAuth: true (expected: with at least one credential verifier)");
      }
      return new ChatServer(this);
    }

    private static int positive(String field, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
      }
      return value;
    }

    private static Duration positive(String field, Duration value) {
      Objects.requireNonNull(value, field);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
      }
      return value;
    }

    private static Duration notNegative(String field, Duration value) {
      Objects.requireNonNull(value, field);
      if (value.isNegative()) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
      }
      return value;
    }
  }
}
