package io.github.obrol.server.internal;

import io.github.obrol.protocol.Event;
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
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
  /** The {@code server} capability of the modern greeting. */
  public static final String SERVER_ID = "obrol/0.1.0";

  private final ChatServer config;
  private final Metrics metrics = new Metrics();
  private final Registry registry = new Registry(metrics);
  private final Hooks hooks;
  private final ConcurrentHashMap<Long, NettyConnection> connections = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger counted = new AtomicInteger();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean shuttingDown;
  private volatile EventLoopGroup group;
  private volatile Channel serverChannel;
  private volatile InetSocketAddress localAddress;

  /** For {@link ChatServer} only. */
  public NettyChatServer(ChatServer config) {
    this.config = config;
    this.hooks = new Hooks(config.hookExecutor(), config.observers(), config.hookTimeout());
  }

  ChatServer config() {
    return config;
  }

  Metrics counters() {
    return metrics;
  }

  Registry registry() {
    return registry;
  }

  Hooks hooks() {
    return hooks;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  /** Counts a new connection; false if the server is full (GEN-LIMIT-3): such a connection is not counted. */
  boolean register(NettyConnection c) {
    connections.put(c.id(), c);
    if (counted.incrementAndGet() > config.maxConnections()) {
      counted.decrementAndGet();
      return false;
    }
    c.counted = true;
    return true;
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
    group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new io.netty.util.concurrent.DefaultThreadFactory("obrol-io"), factory);
    int high = config.maxOutboundBytes();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(Math.max(1, high / 2), high))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (shuttingDown) {
              ch.close();
              return;
            }
            ch.pipeline().addLast("obrol", new NettyConnection(NettyChatServer.this, ids.incrementAndGet()));
          }
        });
    if (config.socketSendBuffer() > 0) {
      b.childOption(ChannelOption.SO_SNDBUF, config.socketSendBuffer());
    }
    b.bind(config.bindAddress(), config.port()).addListener(f -> {
      if (f.isSuccess()) {
        serverChannel = ((io.netty.channel.ChannelFuture) f).channel();
        localAddress = (InetSocketAddress) serverChannel.localAddress();
        log.info("Obrol chat server listening on {} ({})", localAddress, epoll ? "epoll" : "nio");
        bound.complete(localAddress);
      } else {
        bound.completeExceptionally(f.cause());
        shutdownGracefully(Duration.ZERO);
      }
    });
    return bound;
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
    EventLoopGroup g = group;
    if (g == null) {
      hooks.terminate(() -> terminated.complete(null));
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
        .whenComplete((v, t) -> {
          long left = Math.max(0, deadline - System.nanoTime());
          g.shutdownGracefully(0, Math.max(TimeUnit.NANOSECONDS.toMillis(left), 100), TimeUnit.MILLISECONDS)
              .addListener(f -> {
                log.info("Obrol chat server stopped");
                hooks.terminate(() -> terminated.complete(null));
              });
        });
    return terminated;
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
      out.add(c.info());
    }
    out.sort(Comparator.comparingLong(SessionInfo::id));
    return out;
  }

  /** See {@link ChatServer#disconnect(String, String)}. */
  public CompletableFuture<Boolean> disconnect(String user, String reason) {
    java.util.Objects.requireNonNull(user, "user");
    String text = reason == null || reason.isBlank() ? "disconnected by an administrator" : reason.replace('\r', ' ').replace('\n', ' ');
    NettyConnection c = registry.find(user);
    if (c == null) {
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    try {
      c.eventLoop().execute(() -> {
        c.kick(text);
        result.complete(true);
      });
    } catch (RuntimeException e) {
      result.complete(false);
    }
    return result;
  }

  /** See {@link ChatServer#broadcast(String)}. */
  public CompletableFuture<Boolean> broadcast(String systemText) {
    if (!Interceptors.isSendable(systemText)) {
      throw new IllegalArgumentException("systemText: \"" + systemText + "\" (expected: not blank, no control characters)");
    }
    EventLoopGroup g = group;
    if (g == null || shuttingDown) {
      return CompletableFuture.completedFuture(false);
    }
    EventLoop loop = g.next();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    InboundMessage notice = new InboundMessage(InboundMessage.Kind.NOTICE, "", "", systemText);
    Hooks.AsyncCall<Interception> chain = () -> CompletableFuture.completedFuture(
        config.interceptors().isEmpty() ? Interception.pass() : Interceptors.run(config.interceptors(), notice));
    hooks.callAsync(chain, loop, (decision, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
        return;
      }
      if (decision instanceof Interception.Veto) {
        result.complete(false);
        return;
      }
      String text = decision instanceof Interception.Rewrite ? ((Interception.Rewrite) decision).text() : systemText;
      if (!Interceptors.isSendable(text)) {
        result.completeExceptionally(new IllegalStateException("an interceptor rewrote the notice to an invalid text"));
        return;
      }
      int n = registry.deliver(new Event.Notice(text), registry.users(), null);
      Dispatch.flush();
      InboundMessage delivered = notice.withText(text);
      hooks.notify(o -> o.onMessage(delivered, n));
      result.complete(true);
    });
    return result;
  }

  /** See {@link ChatServer#metrics()}. */
  public ServerMetrics metricsSnapshot() {
    return metrics.snapshot(connections.size(), registry.size());
  }
}
