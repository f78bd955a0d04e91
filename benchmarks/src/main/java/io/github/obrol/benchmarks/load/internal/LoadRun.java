package io.github.obrol.benchmarks.load.internal;

import io.github.obrol.benchmarks.load.Wire;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * One measurement of one target: starts the server if the generator manages it, opens the fleet, drives it,
 * and returns the figures as an ordered map (the JSON and the table are made from it). A fresh server and
 * fresh connections for every run, so runs are independent samples.
 */
public final class LoadRun {
  /**
   * Settings shared by every mode; {@code clusterRedis} is the Redis of a running cluster ({@code
   * obrol://H:P1+H:P2}) to read its statistics from, or null.
   */
  public record Setup(
      Wire dialect,
      int ioThreads,
      int connectBatch,
      Duration setupTimeout,
      List<String> serverJvmOptions,
      List<String> python,
      Path pythonServer,
      String redisServer,
      String serverCpus,
      PrintStream progress,
      Path histogramDir,
      InetSocketAddress clusterRedis) {
    /** What goes before a child server's command: {@code taskset -c CPUS} if CPUs were given. */
    List<String> serverPrefix() {
      return serverCpus == null || serverCpus.isBlank() ? List.of() : List.of("taskset", "-c", serverCpus);
    }
  }

  /** What a throughput or latency run does. */
  public record Load(int receivers, int senders, int payloadBytes, int inFlight, int stalled, double deliveriesPerSecond, Duration warmup, Duration duration) {}

  private LoadRun() {}

  /** Starts the server of a managed target on 127.0.0.1, or null for an external one. */
  public static ServerProcess start(TargetSpec target, Setup setup, int connections) throws IOException {
    int max = connections + 100;
    switch (target.kind()) {
      case REFERENCE:
        return ServerProcess.reference(max, target.referenceClassPath(), setup.serverJvmOptions(), setup.serverPrefix(), setup.setupTimeout());
      case EMBEDDED:
        return ServerProcess.embedded(max);
      case NULLSINK:
        return ServerProcess.nullSink(setup.serverJvmOptions(), setup.serverPrefix(), setup.setupTimeout());
      case PYTHON:
        return ServerProcess.python(setup.python(), setup.pythonServer(), setup.serverPrefix(), setup.setupTimeout());
      case REDIS:
        return ServerProcess.redis(setup.redisServer(), Math.max(max, 10_000), setup.serverPrefix(), setup.setupTimeout());
      case CLUSTER_REFERENCE:
      case CLUSTER_EMBEDDED:
        return ServerProcess.cluster(target.nodes(), target.kind() == TargetSpec.Kind.CLUSTER_EMBEDDED, max,
            setup.serverJvmOptions(), setup.serverPrefix(), setup.redisServer(), setup.setupTimeout());
      default:
        return null;
    }
  }

  /**
   * Closed loop ({@code load.deliveriesPerSecond() == 0}: each sender keeps {@code inFlight} messages in
   * flight) or open loop (a fixed rate, {@code inFlight} ignored). Returns the figures of the measurement
   * interval, which follows the warm-up.
   */
  public static Map<String, Object> broadcast(TargetSpec target, Setup setup, Load load, String label) throws Exception {
    boolean open = load.deliveriesPerSecond() > 0;
    Wire wire = target.wire(setup.dialect());
    int inFlight = target.framesByReads() ? 1 : load.inFlight();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mode", open ? "latency" : "throughput");
    r.put("target", target.text());
    r.put("wire", wire.name().toLowerCase());
    r.put("tls", target.kind() == TargetSpec.Kind.REFERENCE ? BenchTls.describe() : "off");
    r.put("receivers", load.receivers());
    r.put("senders", load.senders());
    r.put("payloadBytes", Math.max(load.payloadBytes(), Payload.minimumBytes()));
    if (open) {
      r.put("targetDeliveriesPerSecond", load.deliveriesPerSecond());
    } else {
      r.put("inFlightPerSender", inFlight);
    }
    r.put("stalledReceivers", load.stalled());
    if (target.nodes() > 1 || target.managedCluster()) {
      r.put("nodes", target.nodes());
    }
    // Obrol: every member but the sender gets each broadcast (MD-SEND-1, CL-SENDALL-1); Redis: every
    // subscriber, which includes one companion per publisher (see Fleet.open).
    r.put("connectionsReachedPerMessage", load.receivers() + load.stalled() + load.senders() - (wire == Wire.REDIS ? 0 : 1));
    int connections = load.receivers() + load.senders() * (wire == Wire.REDIS ? 2 : 1) + load.stalled();
    if (skippedAsTooMany(r, target, connections)) {
      return r;
    }
    PrintStream out = setup.progress();
    ErrorLog errors = new ErrorLog();
    int capacity = open ? (int) Math.min(1 << 22, Math.max(1024, load.deliveriesPerSecond() / load.receivers() * 60)) : Math.max(1024, 2 * inFlight * load.senders());
    DeliveryTracker tracker = new DeliveryTracker(load.receivers(), capacity);
    tracker.recordEachDelivery(open);
    int batch = connectBatch(target, setup);
    try (ServerProcess server = start(target, setup, connections);
        Fleet fleet = fleet(target, setup, server, wire, tracker, errors)) {
      Duration t = setup.setupTimeout();
      fleet.open(BenchConnection.Role.RECEIVER, "r", load.receivers(), batch, t, n -> out.printf("[%s] receivers ready: %d/%d%n", label, n, load.receivers()));
      fleet.open(BenchConnection.Role.STALLED, "z", load.stalled(), batch, t, n -> {});
      fleet.open(BenchConnection.Role.SENDER, "s", load.senders(), batch, t, n -> {});
      fleet.barrier(t);
      Senders senders = new Senders(fleet, tracker, (int) r.get("payloadBytes"));
      if (open) {
        senders.startOpenLoop(load.deliveriesPerSecond() / load.receivers());
      } else {
        senders.startClosedLoop(inFlight);
      }
      tick(out, label, "warm-up", load.warmup(), tracker);
      InetSocketAddress redis = server != null ? server.clusterRedis().orElse(null) : setup.clusterRedis();
      tracker.measureFrom(tracker.now());
      RedisStats redis0 = redis == null ? null : RedisStats.read(redis);
      java.util.OptionalDouble cpu0 = server == null ? java.util.OptionalDouble.empty() : server.cpuSeconds();
      Usage server0 = serverUsage(server);
      Usage generator0 = Usage.ofOwnThreads(Fleet.THREAD_PREFIX);
      long d0 = tracker.deliveries();
      long c0 = tracker.completed();
      long t0 = System.nanoTime();
      tick(out, label, "measure", load.duration(), tracker);
      long d1 = tracker.deliveries();
      long c1 = tracker.completed();
      long t1 = System.nanoTime();
      java.util.OptionalDouble cpu1 = server == null ? java.util.OptionalDouble.empty() : server.cpuSeconds();
      RedisStats redis1 = redis == null ? null : RedisStats.read(redis);
      Usage server1 = serverUsage(server);
      Usage generator1 = Usage.ofOwnThreads(Fleet.THREAD_PREFIX);
      senders.stop();
      // Let what is in flight arrive (bounded), so the latency of the last messages is recorded too.
      long drainUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (tracker.completed() + tracker.overruns() < tracker.sent() && System.nanoTime() < drainUntil && errors.closedReceivers() == 0) {
        Thread.sleep(10);
      }
      double seconds = (t1 - t0) / 1e9;
      r.put("seconds", round(seconds, 3));
      r.put("deliveriesPerSecond", Math.round((d1 - d0) / seconds));
      r.put("messagesPerSecond", Math.round((c1 - c0) / seconds));
      if (cpu0.isPresent() && cpu1.isPresent()) {
        // The server's (every node's) CPU over the interval: with the deliveries, the CPU a delivery costs a node.
        double cpu = cpu1.getAsDouble() - cpu0.getAsDouble();
        r.put("serverCpuSeconds", round(cpu, 2));
        if (d1 > d0) {
          r.put("serverCpuMicrosPerDelivery", round(cpu * 1e6 / (d1 - d0), 4));
        }
      }
      if (redis0 != null) {
        // Broadcasts of the interval: the messages sent in it (closed loop: completed ones; the few in flight at
        // either end cancel out).
        r.put("redis", redis1.minus(redis0).perBroadcast(c1 - c0, seconds));
      }
      Usage.put(r, "server", server0, server1, c1 - c0, d1 - d0);
      Usage.put(r, "generator", generator0, generator1, c1 - c0, d1 - d0);
      Histogram each = tracker.takePerRecipient();
      Histogram last = tracker.takeToLastRecipient();
      if (setup.histogramDir() != null) {
        r.put("histograms", writeHistograms(setup.histogramDir(), label, open ? each : null, last));
      }
      if (open) {
        r.put("latencyPerRecipientMs", percentiles(each));
      }
      r.put("latencyToLastRecipientMs", percentiles(last));
      r.put("messagesMeasured", last.getTotalCount());
      r.put("messagesNotFullyDelivered", tracker.sent() - tracker.completed());
      r.put("errors", errors.errors());
      r.put("receiversClosedByServer", errors.closedReceivers());
      if (load.stalled() > 0) {
        r.put("stalledClosedByServer", fleet.resumeStalled(Duration.ofSeconds(1), Duration.ofSeconds(30)));
      }
      if (!errors.firstErrors().isEmpty()) {
        r.put("firstErrors", errors.firstErrors());
      }
    }
    return r;
  }

  /** What the server used so far: its process's threads, or an embedded server's event loops; unknown for an external one. */
  private static Usage serverUsage(ServerProcess server) {
    if (server == null) {
      return Usage.UNKNOWN;
    }
    if (server.pid().isPresent()) {
      return Usage.ofProcess(server.pid().getAsLong());
    }
    return Usage.ofOwnThreads("obrol-io");
  }

  /** Holds {@code connections} idle logged-in connections and reports the server's memory growth. */
  public static Map<String, Object> idle(TargetSpec target, Setup setup, int connections, Duration settle, String label) throws Exception {
    Wire wire = target.wire(setup.dialect());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mode", "idle");
    r.put("target", target.text());
    r.put("wire", wire.name().toLowerCase());
    r.put("connections", connections);
    if (skippedAsTooMany(r, target, connections)) {
      return r;
    }
    PrintStream out = setup.progress();
    ErrorLog errors = new ErrorLog();
    DeliveryTracker tracker = new DeliveryTracker(1, 1);
    int batch = connectBatch(target, setup);
    try (ServerProcess server = start(target, setup, connections)) {
      Memory before = Memory.of(server);
      try (Fleet fleet = fleet(target, setup, server, wire, tracker, errors)) {
        long t0 = System.nanoTime();
        fleet.open(BenchConnection.Role.IDLE, "i", connections, batch, setup.setupTimeout(),
            n -> { if (n % 1000 == 0 || n == connections) out.printf("[%s] idle connections logged in: %d/%d%n", label, n, connections); });
        r.put("setupSeconds", round((System.nanoTime() - t0) / 1e9, 2));
        tick(out, label, "settle", settle, tracker);
        Memory after = Memory.of(server);
        putGrowth(r, "heapAfterGc", before.heapAfterGc(), after.heapAfterGc(), connections);
        putGrowth(r, "redisUsedMemory", before.redisUsed(), after.redisUsed(), connections);
        putGrowth(r, "rss", before.resident(), after.resident(), connections);
        r.put("errors", errors.errors());
        r.put("closedByServer", errors.closedOthers());
        if (!errors.firstErrors().isEmpty()) {
          r.put("firstErrors", errors.firstErrors());
        }
      }
    }
    return r;
  }

  /** A server's memory figures; all empty for a server the generator did not start. */
  private record Memory(OptionalLong heapAfterGc, OptionalLong redisUsed, OptionalLong resident) {
    static Memory of(ServerProcess server) {
      return server == null
          ? new Memory(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty())
          : new Memory(server.heapAfterGcBytes(), server.redisUsedMemory(), server.residentBytes());
    }
  }

  /** Records why the run is skipped if {@code target} cannot hold {@code connections}. */
  private static boolean skippedAsTooMany(Map<String, Object> r, TargetSpec target, int connections) {
    if (target.kind() == TargetSpec.Kind.NULLSINK && !"modern".equals(r.get("wire"))) {
      r.put("skipped", "nullsink speaks the modern dialect only");
      return true;
    }
    if (connections <= target.connectionLimit()) {
      return false;
    }
    r.put("skipped", target + " cannot hold " + connections + " connections (at most " + target.connectionLimit() + ")");
    return true;
  }

  /** Connections opened at once: few for a server that frames by read boundaries (its backlog is 10). */
  private static int connectBatch(TargetSpec target, Setup setup) {
    return target.framesByReads() ? Math.min(setup.connectBatch(), 5) : setup.connectBatch();
  }

  /** The fleet for {@code server}, or for the target's address if the generator did not start it. */
  private static Fleet fleet(TargetSpec target, Setup setup, ServerProcess server, Wire wire, DeliveryTracker tracker, ErrorLog errors) {
    List<InetSocketAddress> addresses = server != null ? server.addresses() : target.externalAddresses();
    // A server that frames by read boundaries may merge a barrier with the login into one frame: resend it.
    return new Fleet(wire, addresses, tracker, errors, setup.ioThreads(), target.framesByReads() ? 200 : 0);
  }

  private static void putGrowth(Map<String, Object> r, String key, OptionalLong before, OptionalLong after, int connections) {
    if (before.isPresent() && after.isPresent()) {
      r.put(key + "BeforeBytes", before.getAsLong());
      r.put(key + "AfterBytes", after.getAsLong());
      r.put(key + "PerConnectionBytes", Math.round((after.getAsLong() - before.getAsLong()) / (double) connections));
    }
  }

  /** Waits {@code d}, printing the delivery rate of each second. */
  private static void tick(PrintStream out, String label, String phase, Duration d, DeliveryTracker tracker) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + d.toNanos();
    long last = tracker.deliveries();
    long lastAt = start;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        return;
      }
      Thread.sleep(Math.max(1, Math.min(1000, (end - now) / 1_000_000)));
      long at = System.nanoTime();
      long count = tracker.deliveries();
      double rate = (count - last) / ((at - lastAt) / 1e9);
      out.printf("[%s] %s %4.1f/%.1f s: %,.0f deliveries/s%n", label, phase, (at - start) / 1e9, d.toNanos() / 1e9, rate);
      last = count;
      lastAt = at;
    }
  }

  /**
   * Writes HdrHistogram's percentile distribution ({@code .hgrm}, milliseconds; plot it with HdrHistogram's
   * plotter) of each histogram into {@code dir}; returns the file names.
   */
  static List<String> writeHistograms(Path dir, String label, Histogram perRecipient, Histogram toLast) throws IOException {
    Files.createDirectories(dir);
    String base = label.replaceAll("[^A-Za-z0-9=.-]+", "_");
    List<String> names = new ArrayList<>();
    if (perRecipient != null) {
      names.add(writeHistogram(dir, base + "-per-recipient.hgrm", perRecipient));
    }
    names.add(writeHistogram(dir, base + "-to-last.hgrm", toLast));
    return names;
  }

  private static String writeHistogram(Path dir, String name, Histogram h) throws IOException {
    try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(name)), false, StandardCharsets.UTF_8)) {
      h.outputPercentileDistribution(out, 1e6);
    }
    return name;
  }

  /** p50 to max in milliseconds. */
  static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("count", h.getTotalCount());
    if (h.getTotalCount() == 0) {
      return p;
    }
    p.put("p50", ms(h.getValueAtPercentile(50)));
    p.put("p90", ms(h.getValueAtPercentile(90)));
    p.put("p99", ms(h.getValueAtPercentile(99)));
    p.put("p99.9", ms(h.getValueAtPercentile(99.9)));
    p.put("max", ms(h.getMaxValue()));
    return p;
  }

  private static double ms(long nanos) {
    return round(nanos / 1e6, 3);
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
