package io.github.obrol.server.internal;

import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.ChatServer;
import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.Interception;
import io.github.obrol.server.ServerMetrics;
import io.github.obrol.server.SessionInfo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty implementation behind {@link ChatServer}: one event-loop group (epoll where available, NIO
 * otherwise) accepts and serves the connections; see {@link NettyConnection} and {@link Dispatch}.
 */
public final class NettyChatServer {
  private static final Logger log = LoggerFactory.getLogger(NettyChatServer.class);
  /**
   * The {@code server} capability of the modern greeting: {@code obrol/} and the artifact version the build
   * wrote into {@code server.properties} (for example {@code obrol/0.1.0-SNAPSHOT}), or plain {@code obrol}
   * where that resource is missing or unfiltered.
   */
  public static final String SERVER_ID = serverId();
  /** Sockets beyond maxConnections that may be open at once; they get SERVER_FULL (GEN-LIMIT-7). */
  static final int SOCKET_MARGIN = 64;
  /** File descriptors kept free for everything but client sockets (GEN-LIMIT-7). */
  static final int DESCRIPTOR_RESERVE = 64;
  /** TCP keepalive: idle seconds before the first probe, seconds between probes, probes (GEN-LIMIT-12). */
  static final int KEEPALIVE_IDLE = 60;
  static final int KEEPALIVE_INTERVAL = 10;
  static final int KEEPALIVE_PROBES = 3;

  private final ChatServer config;
  private final Metrics metrics = new Metrics();
  /** {@link LocalRouter}, or a cluster's router; the Redis one is loaded only when a cluster is configured. */
  private final Router router;
  private final Hooks hooks;
  private final AddressLimits addressLimits;
  private final Backpressure backpressure = new Backpressure();
  private final Session.Context sessionContext;
  private final Set<CompletableFuture<Boolean>> pendingBroadcasts = ConcurrentHashMap.newKeySet();
  private final AtomicInteger openSockets = new AtomicInteger();
  /** Open connections not yet logged in, per source address (GEN-LIMIT-10). */
  private final ConcurrentHashMap<InetAddress, Integer> anonymous = new ConcurrentHashMap<>();
  private volatile int socketBudget = Integer.MAX_VALUE;
  private volatile boolean acceptPaused;
  private final ConcurrentHashMap<Long, NettyConnection> connections = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger counted = new AtomicInteger();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean shuttingDown;
  private volatile EventLoopGroup group;
  /** One {@link Dispatch.Inbox} per event loop; set before the first connection is accepted, then read only. */
  private volatile java.util.Map<io.netty.util.concurrent.EventExecutor, Dispatch.Inbox> inboxes = java.util.Map.of();
  private volatile Channel serverChannel;
  private volatile InetSocketAddress localAddress;
  /** The TLS context, null for a plain-text server (PROTOCOL.md section 8.1). */
  private final TlsContexts tls;

  private static String serverId() {
    java.util.Properties properties = new java.util.Properties();
    try (java.io.InputStream in = NettyChatServer.class.getResourceAsStream("server.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (java.io.IOException e) {
      // falls back below
    }
    String version = properties.getProperty("version", "").strip();
    // A capability value is one token (MD-HELLO-1): no spaces, and no unfiltered "${project.version}".
    return version.isEmpty() || version.contains("${") || version.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)
        ? "obrol" : "obrol/" + version;
  }

    /** For {@link ChatServer} only. */
  public NettyChatServer(ChatServer config) {
    this.config = config;
    this.router = config.cluster().isPresent() ? RedisRouter.create(config.cluster().get(), metrics) : new LocalRouter(metrics);
    this.hooks = new Hooks(config.hookExecutor(), config.observers(), config.hookTimeout(), metrics);
    this.addressLimits = new AddressLimits(config.connectionsPerSecond(), config.connectionBurst(),
        config.commandsPerSecond(), config.commandBurst());
    this.sessionContext = new Session.Context(config, router, hooks, metrics, System::nanoTime, () -> shuttingDown,
        new AuthThrottle(System::nanoTime));
    this.tls = config.tls().map(TlsContexts::new).orElse(null);
  }

  /** TLS-4: loads the certificate files again for new handshakes, off the event loops. */
  public CompletableFuture<Boolean> reloadTls() {
    if (tls == null) {
      return CompletableFuture.completedFuture(false);
    }
    return CompletableFuture.supplyAsync(tls::reload);
  }

  /** TLS-4: checks the certificate files for changes every {@code reloadCheckInterval}, off the event loops. */
  private void scheduleTlsReloadChecks() {
    long every = tls == null ? 0 : tls.config().reloadCheckInterval().toMillis();
    if (every <= 0) {
      return;
    }
    group.next().scheduleWithFixedDelay(() -> CompletableFuture.runAsync(tls::reloadIfChanged),
        every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Whether the calling thread is one of this server's event loops: those end every piece of work with
   * {@link Dispatch#flush()}, so a delivery queued there is handed over. Cached per thread.
   */
  private final io.netty.util.concurrent.FastThreadLocal<Boolean> onOwnLoop = new io.netty.util.concurrent.FastThreadLocal<>() {
    @Override
    protected Boolean initialValue() {
      EventLoopGroup g = group;
      if (g != null) {
        for (io.netty.util.concurrent.EventExecutor e : g) {
          if (e.inEventLoop()) {
            return true;
          }
        }
      }
      return false;
    }
  };

  boolean onOwnLoop() {
    return group != null && onOwnLoop.get();
  }

  /** For tests: the session logged in as {@code name}, or null. */
  Session sessionOf(String name) {
    for (NettyConnection c : connections.values()) {
      Session s = c.session();
      if (s != null && name.equals(s.name())) {
        return s;
      }
    }
    return null;
  }

  /** The inbox of {@code loop}, one of this server's event loops. */
  Dispatch.Inbox inbox(EventLoop loop) {
    Dispatch.Inbox inbox = inboxes.get(loop);
    return inbox != null ? inbox : new Dispatch.Inbox(loop);
  }

  Session.Context sessionContext() {
    return sessionContext;
  }

  AddressLimits addressLimits() {
    return addressLimits;
  }

  Backpressure backpressure() {
    return backpressure;
  }

  /** Unsent bytes beyond which a connection is cut whatever its progress (GEN-LIMIT-8). */
  long hardOutboundBytes() {
    return 4L * config.maxOutboundBytes();
  }

  long slowConsumerTimeoutNanos() {
    return config.slowConsumerTimeout().toNanos();
  }

  ChatServer config() {
    return config;
  }

  Metrics counters() {
    return metrics;
  }

  Hooks hooks() {
    return hooks;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  /** Counts a new connection; SERVER_FULL if the server is full (GEN-LIMIT-3): such a connection is not counted. */
  ErrorCode register(NettyConnection c) {
    connections.put(c.id(), c);
    if (counted.incrementAndGet() > config.maxConnections()) {
      counted.decrementAndGet();
      return ErrorCode.SERVER_FULL;
    }
    c.counted = true;
    return null;
  }

  /**
   * Sockets this server may hold open before it stops accepting: the file descriptors left at start minus
   * {@link #DESCRIPTOR_RESERVE} (GEN-LIMIT-7). Unbounded where the platform does not tell.
   */
  private static int descriptorBudget() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long left = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - DESCRIPTOR_RESERVE;
      return (int) Math.max(16, Math.min(Integer.MAX_VALUE, left));
    }
    return Integer.MAX_VALUE;
  }

  private void pauseAccepting() {
    Channel sc = serverChannel;
    if (sc != null && !acceptPaused) {
      acceptPaused = true;
      sc.config().setAutoRead(false);
      log.warn("{} sockets open, close to the file-descriptor limit: not accepting until some close", openSockets.get());
    }
  }

  private void socketClosed() {
    int open = openSockets.decrementAndGet();
    if (acceptPaused && open < socketBudget - SOCKET_MARGIN / 2) {
      Channel sc = serverChannel;
      acceptPaused = false;
      if (sc != null && !shuttingDown) {
        sc.config().setAutoRead(true);
        log.info("accepting connections again ({} sockets open)", open);
      }
    }
  }

  /**
   * Takes one of {@code address}'s anonymous slots, or says there is none left (GEN-LIMIT-10): silent
   * connections from one address must not hold every maxConnections slot until the login timeout.
   */
  private boolean admitAnonymous(InetAddress address) {
    int cap = config.maxAnonymousPerAddress();
    if (cap == 0 || address == null) {
      return true;
    }
    boolean[] admitted = new boolean[1];
    anonymous.compute(address, (a, n) -> {
      int held = n == null ? 0 : n;
      admitted[0] = held < cap;
      return admitted[0] ? Integer.valueOf(held + 1) : n;
    });
    return admitted[0];
  }

  private void releaseAnonymous(InetAddress address) {
    if (config.maxAnonymousPerAddress() == 0 || address == null) {
      return;
    }
    anonymous.computeIfPresent(address, (a, n) -> n <= 1 ? null : Integer.valueOf(n - 1));
  }

  void unregister(NettyConnection c) {
    if (connections.remove(c.id()) != null && c.counted) {
      c.counted = false;
      counted.decrementAndGet();
    }
  }

  /** See {@link ChatServer#start()}. */
  public CompletableFuture<InetSocketAddress> start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("start: called twice (expected: once)");
    }
    CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    if (shutdownStarted.get()) {
      bound.completeExceptionally(new IllegalStateException("the server was shut down before it started"));
      return bound;
    }
    boolean epoll = config.nativeTransport() && Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    group = new MultiThreadIoEventLoopGroup(ioThreads(config), new io.netty.util.concurrent.DefaultThreadFactory("obrol-io"), factory);
    java.util.IdentityHashMap<io.netty.util.concurrent.EventExecutor, Dispatch.Inbox> loopInboxes = new java.util.IdentityHashMap<>();
    for (io.netty.util.concurrent.EventExecutor e : group) {
      loopInboxes.put(e, new Dispatch.Inbox((EventLoop) e));
    }
    inboxes = loopInboxes;
    int high = config.maxOutboundBytes();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(Math.max(1, high / 2), high))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            int open = openSockets.incrementAndGet();
            ch.closeFuture().addListener(f -> socketClosed());
            if (shuttingDown) {
              ch.close();
              return;
            }
            // GEN-LIMIT-7: a hard cap on open sockets, enforced here; GEN-LIMIT-10: new connections per address.
            InetAddress address = ch.remoteAddress() != null ? ch.remoteAddress().getAddress() : null;
            if (open > config.maxConnections() + SOCKET_MARGIN || !addressLimits.admit(address, System.nanoTime())
                || !admitAnonymous(address)) {
              metrics.refusedConnections.increment();
              ch.close();
              return;
            }
            // The connection counts as anonymous for its address until it logs in or closes, whichever first.
            AtomicBoolean anonymousHeld = new AtomicBoolean(true);
            Runnable leftAnonymity = () -> {
              if (anonymousHeld.compareAndSet(true, false)) {
                releaseAnonymous(address);
              }
            };
            ch.closeFuture().addListener(f -> leftAnonymity.run());
            if (open >= socketBudget) {
              pauseAccepting();
            }
            if (tls != null) {
              ch.pipeline().addLast("detect-tls", new TlsDetector(tls)); // TLS-1
            }
            ch.pipeline().addLast("obrol", new NettyConnection(NettyChatServer.this, ids.incrementAndGet(), leftAnonymity));
          }
        });
    if (epoll) {
      // GEN-LIMIT-12: a peer that vanished without FIN or RST is found within about 90 s.
      b.childOption(EpollChannelOption.TCP_KEEPIDLE, KEEPALIVE_IDLE)
          .childOption(EpollChannelOption.TCP_KEEPINTVL, KEEPALIVE_INTERVAL)
          .childOption(EpollChannelOption.TCP_KEEPCNT, KEEPALIVE_PROBES);
    } else {
      KeepAliveOptions.apply(b);
    }
    socketBudget = descriptorBudget();
    if (router instanceof ClusterRouter cluster) {
      try {
        cluster.start(group.next()); // CLUSTER-1: join before taking users
      } catch (RuntimeException e) {
        bound.completeExceptionally(e);
        shutdownGracefully(Duration.ZERO);
        return bound;
      }
    }
    if (config.socketSendBuffer() > 0) {
      b.childOption(ChannelOption.SO_SNDBUF, config.socketSendBuffer());
    }
    scheduleTlsReloadChecks();
    b.bind(config.bindAddress(), config.port()).addListener(f -> {
      if (f.isSuccess()) {
        serverChannel = ((io.netty.channel.ChannelFuture) f).channel();
        localAddress = (InetSocketAddress) serverChannel.localAddress();
        log.info("Obrol chat server listening on {} ({})", localAddress, epoll ? "epoll" : "nio");
        bound.complete(localAddress);
      } else {
        // A server that never listened is not "stopped": the shutdown below logs nothing (serverChannel is null).
        bound.completeExceptionally(bindFailure(config.bindAddress(), config.port(), f.cause()));
        shutdownGracefully(Duration.ZERO);
      }
    });
    return bound;
  }

  /**
   * The event loops: as configured, else two per processor (Netty's default). One per processor would wake
   * fewer threads per broadcast, but on a machine shared with other work, fewer loops got less of the CPU:
   * the abuse suite's login within 1 s during a flood of 1,500 connections (SilentConnectionsAbuseTest)
   * failed with one loop per processor on 2 busy cores (benchmarks/README.md).
   */
  static int ioThreads(ChatServer config) {
    return config.ioThreads() > 0 ? config.ioThreads() : 2 * io.netty.util.NettyRuntime.availableProcessors();
  }

  /**
   * A {@link BindException} that names the address and port, with the transport's reason (Netty's native
   * transport says {@code bind(..) failed with error(-98): Address already in use}) as its cause.
   */
  static BindException bindFailure(String host, int port, Throwable cause) {
    String reason = cause == null ? "unknown reason" : String.valueOf(cause.getMessage());
    int colon = reason.lastIndexOf("): ");
    if (reason.startsWith("bind(") && colon >= 0) {
      reason = reason.substring(colon + 3);
    }
    BindException e = new BindException("cannot listen on " + host + ":" + port + ": " + reason);
    e.initCause(cause);
    return e;
  }

  /** See {@link ChatServer#localAddress()}. */
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** See {@link ChatServer#shutdownGracefully(Duration)}. */
  public CompletableFuture<Void> shutdownGracefully(Duration timeout) {
    if (!shutdownStarted.compareAndSet(false, true)) {
      return terminated;
    }
    shuttingDown = true;
    // Whatever observers, hooks or event loops do, the shutdown completes (GEN-LIMIT-11 for the server).
    CompletableFuture.delayedExecutor(timeout.toNanos() + 1_000_000_000L, TimeUnit.NANOSECONDS).execute(() -> {
      failPendingBroadcasts();
      if (terminated.complete(null)) {
        log.warn("Obrol chat server: shutdown did not finish in time (a blocked observer or hook?); terminated anyway");
      }
    });
    EventLoopGroup g = group;
    if (g == null) {
      hooks.terminate(this::terminatedNow);
      return terminated;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Channel sc = serverChannel;
    if (sc != null) {
      sc.close();
    }
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    for (NettyConnection c : connections.values()) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      closed.add(done);
      c.closeFuture().addListener(f -> done.complete(null));
      try {
        c.eventLoop().execute(c::shutdown);
      } catch (RuntimeException e) {
        done.complete(null);
      }
    }
    CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0]))
        .completeOnTimeout(null, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        .thenCompose(v -> leaveCluster(deadline))
        .whenComplete((v, t) -> {
          long left = Math.max(0, deadline - System.nanoTime());
          g.shutdownGracefully(0, Math.max(TimeUnit.NANOSECONDS.toMillis(left), 100), TimeUnit.MILLISECONDS)
              .addListener(f -> {
                if (sc != null) {
                  log.info("Obrol chat server stopped");
                }
                failPendingBroadcasts();
                hooks.terminate(this::terminatedNow);
              });
        });
    return terminated;
  }

  /** A cluster node leaves the cluster once its users departed (CLUSTER-4); nothing to do for one server. */
  private CompletableFuture<Void> leaveCluster(long deadline) {
    if (router instanceof ClusterRouter cluster) {
      return cluster.close(Duration.ofNanos(Math.max(500_000_000L, deadline - System.nanoTime())));
    }
    return CompletableFuture.completedFuture(null);
  }

  private void terminatedNow() {
    failPendingBroadcasts();
    terminated.complete(null);
  }

  private void failPendingBroadcasts() {
    for (CompletableFuture<Boolean> f : pendingBroadcasts) {
      f.complete(false);
    }
  }

  /** Whether the calling thread is one of this server's event loops or its observer thread. */
  public boolean isServerThread() {
    if (hooks.isObserverThread()) {
      return true;
    }
    EventLoopGroup g = group;
    if (g != null) {
      for (io.netty.util.concurrent.EventExecutor e : g) {
        if (e.inEventLoop()) {
          return true;
        }
      }
    }
    return false;
  }

  /** See {@link ChatServer#onTerminated()}. */
  public CompletableFuture<Void> terminationFuture() {
    return terminated;
  }

  /** See {@link ChatServer#sessions()}. */
  public List<SessionInfo> sessions() {
    List<SessionInfo> out = new ArrayList<>();
    for (NettyConnection c : connections.values()) {
      Session s = c.session();
      if (s != null) {
        out.add(s.info());
      }
    }
    out.sort(Comparator.comparingLong(SessionInfo::id));
    return out;
  }

  /** See {@link ChatServer#disconnect(String, String)}. */
  public CompletableFuture<Boolean> disconnect(String user, String reason) {
    java.util.Objects.requireNonNull(user, "user");
    String text = reason == null || reason.isBlank() ? "disconnected by an administrator" : reason.replace('\r', ' ').replace('\n', ' ');
    return router.kick(user, text).toCompletableFuture();
  }

  /** See {@link ChatServer#broadcast(String)}. */
  public CompletableFuture<Boolean> broadcast(String systemText) {
    return notice(null, systemText);
  }

  /** See {@link ChatServer#notice(String, String)}; to every logged-in user if {@code user} is null. */
  public CompletableFuture<Boolean> notice(String user, String systemText) {
    if (!Interceptors.isSendable(systemText)) {
      throw new IllegalArgumentException("systemText: \"" + systemText + "\" (expected: not blank, no control characters)");
    }
    EventLoopGroup g = group;
    if (g == null || shuttingDown) {
      return CompletableFuture.completedFuture(false);
    }
    EventLoop loop;
    try {
      loop = g.next();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    pendingBroadcasts.add(result);
    result.whenComplete((v, t) -> pendingBroadcasts.remove(result));
    InboundMessage notice = new InboundMessage(InboundMessage.Kind.NOTICE, "", user == null ? "" : user, systemText);
    Hooks.AsyncCall<Interception> chain = () -> CompletableFuture.completedFuture(
        config.interceptors().isEmpty() ? Interception.pass() : Interceptors.run(config.interceptors(), notice));
    hooks.callAsync(chain, loop, (decision, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
        return;
      }
      if (decision instanceof Interception.Veto || shuttingDown) {
        result.complete(false);
        return;
      }
      String text = decision instanceof Interception.Rewrite ? ((Interception.Rewrite) decision).text() : systemText;
      if (!Interceptors.isSendable(text)) {
        result.completeExceptionally(new IllegalStateException("an interceptor rewrote the notice to an invalid text"));
        return;
      }
      CompletionStage<Integer> routed = user == null
          ? router.notice(text) : router.notice(user, text).thenApply(queued -> queued ? 1 : 0);
      routed.whenComplete((n, t) -> {
        Dispatch.flush();
        if (t != null) {
          result.completeExceptionally(t);
          return;
        }
        if (user != null && n == 0) {
          result.complete(false); // no such user (any more)
          return;
        }
        InboundMessage delivered = notice.withText(text);
        hooks.notify(o -> o.onMessage(delivered, n));
        result.complete(true);
      });
    }, () -> result.complete(false));
    if (shuttingDown) {
      result.complete(false); // a shutdown that started meanwhile may not see this future
    }
    return result;
  }

  /** See {@link ChatServer#metrics()}. */
  public ServerMetrics metricsSnapshot() {
    return metrics.snapshot(connections.size(), router.size());
  }
}
