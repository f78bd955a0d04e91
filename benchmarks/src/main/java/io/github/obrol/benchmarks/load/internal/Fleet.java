package io.github.obrol.benchmarks.load.internal;

import io.github.obrol.benchmarks.load.Wire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The client side of a run: receivers, senders, stalled receivers and idle members, all connected to one
 * server on one Netty event-loop group (epoll where available). Connections are opened in batches and
 * each batch waits until it is ready, so a server with a small accept backlog (the original's is 10) is not
 * flooded. Not thread-safe: one thread sets a fleet up and closes it.
 */
public final class Fleet implements AutoCloseable {
  private final Wire wire;
  private final InetSocketAddress address;
  private final DeliveryTracker tracker;
  private final ErrorLog errors;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final long barrierRetryMillis;
  /**
   * Starts every user name of this fleet, so that the runs against a server that keeps running (an
   * external target) never collide with the names of a previous run the server has not yet let go of.
   */
  private final String nameTag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36) + "-";
  private final List<BenchConnection> receivers = new ArrayList<>();
  private final List<BenchConnection> senders = new ArrayList<>();
  private final List<BenchConnection> others = new ArrayList<>();

  /**
   * @param ioThreads event-loop threads of the fleet's own group, 0 for one per processor
   * @param barrierRetryMillis see {@link BenchConnection}; 0 except for servers that frame by read boundaries
   */
  public Fleet(Wire wire, InetSocketAddress address, DeliveryTracker tracker, ErrorLog errors, int ioThreads, long barrierRetryMillis) {
    this.wire = Objects.requireNonNull(wire, "wire");
    this.address = Objects.requireNonNull(address, "address");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.barrierRetryMillis = barrierRetryMillis;
    boolean epoll = Epoll.isAvailable();
    int threads = ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends SocketChannel> channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.bootstrap =
        new Bootstrap()
            .group(this.group)
            .channel(channelClass)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  /**
   * Opens {@code count} connections of {@code role}, named {@code <tag>-prefix0, <tag>-prefix1, ...} (the
   * tag is random per fleet), at most {@code
   * batch} at a time, and waits until each is ready. Senders on Redis come with as many subscribed
   * companions, so that each broadcast reaches as many connections as on an Obrol server, where senders are
   * members of the room.
   *
   * @param progress called with the number ready so far after each batch
   */
  public void open(BenchConnection.Role role, String prefix, int count, int batch, Duration timeout, Consumer<Integer> progress)
      throws InterruptedException, TimeoutException, ExecutionException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (role == BenchConnection.Role.SENDER && !wire.sendersLogIn()) {
      // An Obrol sender is a member of the room and gets every other sender's broadcasts; a Redis publisher
      // is not a subscriber. One subscribed companion per publisher gives Redis the same fan-out per message,
      // so both servers do the same work for the deliveries counted at the receivers.
      openEach(BenchConnection.Role.IDLE, prefix + "-member", count, batch, deadline, timeout, n -> {});
    }
    openEach(role, prefix, count, batch, deadline, timeout, progress);
  }

  private void openEach(BenchConnection.Role role, String prefix, int count, int batch, long deadline, Duration timeout, Consumer<Integer> progress)
      throws InterruptedException, TimeoutException, ExecutionException {
    for (int from = 0; from < count; from += batch) {
      int to = Math.min(count, from + batch);
      List<CompletableFuture<Void>> ready = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        BenchConnection c = new BenchConnection(wire, role, nameTag + prefix + i, tracker, errors, barrierRetryMillis);
        ChannelFuture connect = bootstrap.clone().handler(BenchTls.wrap(c, address)).connect(address);
        connect.addListener(
            f -> {
              if (!f.isSuccess()) {
                c.ready().completeExceptionally(f.cause());
              }
            });
        list(role).add(c);
        ready.add(c.ready());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("opening " + role + " connections took longer than " + timeout);
      }
      CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0])).get(left, TimeUnit.NANOSECONDS);
      progress.accept(to);
    }
  }

  /**
   * Sends every receiver's barrier again and waits for the replies: afterwards every join of every
   * connection opened so far has reached every receiver (GEN-ORDER-3). Classic and modern only.
   */
  public void barrier(Duration timeout) throws InterruptedException, TimeoutException, ExecutionException {
    if (wire.barrier("x") == null) {
      return;
    }
    List<CompletableFuture<Void>> replies = new ArrayList<>();
    for (BenchConnection c : receivers) {
      replies.add(c.rearm());
      c.channel().writeAndFlush(Unpooled.wrappedBuffer(wire.barrier(c.name())));
    }
    CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Lets every stalled receiver read again and returns how many of them the server had closed: each is
   * watched until it closes or has read nothing for {@code quiet}, for at most {@code timeout} in all.
   */
  public int resumeStalled(Duration quiet, Duration timeout) throws InterruptedException {
    List<BenchConnection> stalled = new ArrayList<>();
    for (BenchConnection c : others) {
      if (c.role() == BenchConnection.Role.STALLED && c.channel() != null) {
        stalled.add(c);
        c.resumeReading();
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    // Polled: "still open" can only be told from "quiet for a while", which no event announces. Bounded.
    while (System.nanoTime() < deadline) {
      boolean settled = true;
      for (BenchConnection c : stalled) {
        if (!c.closed().isDone() && System.nanoTime() - c.lastReadNanos() < quiet.toNanos()) {
          settled = false;
        }
      }
      if (settled) {
        break;
      }
      Thread.sleep(20);
    }
    return (int) stalled.stream().filter(c -> c.closed().isDone()).count();
  }

  private List<BenchConnection> list(BenchConnection.Role role) {
    switch (role) {
      case RECEIVER:
        return receivers;
      case SENDER:
        return senders;
      default:
        return others;
    }
  }

  /** The senders, in order of their index. */
  public List<BenchConnection> senders() {
    return senders;
  }

  /** The receivers. */
  public List<BenchConnection> receivers() {
    return receivers;
  }

  /** The wire. */
  public Wire wire() {
    return wire;
  }

  /** Closes every connection and the event-loop group. */
  @Override
  public void close() {
    errors.closing();
    List<ChannelFuture> closes = new ArrayList<>();
    for (List<BenchConnection> l : List.of(receivers, senders, others)) {
      for (BenchConnection c : l) {
        Channel ch = c.channel();
        if (ch != null) {
          closes.add(ch.close());
        }
      }
    }
    for (ChannelFuture f : closes) {
      f.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
