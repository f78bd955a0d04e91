package io.github.obrol.benchmarks;

import io.github.obrol.benchmarks.load.Wire;
import io.github.obrol.benchmarks.load.internal.BenchConnection;
import io.github.obrol.benchmarks.load.internal.DeliveryTracker;
import io.github.obrol.benchmarks.load.internal.ErrorLog;
import io.github.obrol.benchmarks.load.internal.Fleet;
import io.github.obrol.benchmarks.load.internal.Senders;
import io.github.obrol.benchmarks.load.internal.ServerProcess;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end broadcast throughput of the reference server over loopback, counted at the receivers.
 *
 * <p>Each trial starts a reference server in the benchmark's JVM (rate limit off) and logs in {@code
 * receivers} receivers and {@code senders} senders in {@code dialect}. One operation: every sender broadcasts
 * {@code inFlight} messages at once, and the operation ends when every one of them has reached every
 * receiver, so {@code deliveries} per second (an auxiliary counter) is the figure to read; the primary score
 * is operations per second. Client and server share the machine's cores, as in every loopback benchmark.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BroadcastBenchmarks -p receivers=100}. The
 * load generator ({@code obrol-bench}) measures the same against Redis and other servers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "-Dio.netty.leakDetection.level=disabled"})
public class BroadcastBenchmarks {
  /** Receivers, each gets every broadcast. */
  @Param({"10", "100", "1000"})
  public int receivers;

  /** Bytes of message text. */
  @Param({"32", "512"})
  public int payloadBytes;

  /** Senders, each sends {@link #inFlight} broadcasts per operation. */
  @Param({"1", "4"})
  public int senders;

  /** The dialect of every connection. */
  @Param({"MODERN", "CLASSIC"})
  public Wire dialect;

  /** Broadcasts each sender has in flight at once. */
  @Param({"1", "16"})
  public int inFlight;

  private ServerProcess server;
  private DeliveryTracker tracker;
  private Fleet fleet;
  private Senders driver;

  /** Deliveries and messages per second, reported next to the operation rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    /** Deliveries counted at the receivers. */
    public long deliveries;
    /** Broadcasts that reached every receiver. */
    public long messages;

    @Setup(Level.Iteration)
    public void clean() {
      deliveries = 0;
      messages = 0;
    }
  }

  @Setup(Level.Trial)
  public void startServerAndClients() throws Exception {
    if (dialect == Wire.REDIS) {
      throw new IllegalArgumentException("dialect: REDIS (expected: MODERN or CLASSIC; obrol-bench measures Redis)");
    }
    server = ServerProcess.embedded(receivers + senders + 100);
    tracker = new DeliveryTracker(receivers, Math.max(1024, 2 * senders * inFlight));
    fleet = new Fleet(dialect, server.address(), tracker, new ErrorLog(), 0, 0);
    Duration timeout = Duration.ofMinutes(2);
    fleet.open(BenchConnection.Role.RECEIVER, "r", receivers, 200, timeout, n -> {});
    fleet.open(BenchConnection.Role.SENDER, "s", senders, 200, timeout, n -> {});
    fleet.barrier(timeout);
    driver = new Senders(fleet, tracker, payloadBytes);
  }

  @TearDown(Level.Trial)
  public void stopServerAndClients() {
    if (fleet != null) {
      fleet.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Every sender broadcasts {@link #inFlight} messages; returns when all have reached every receiver. */
  @Benchmark
  public void broadcast(Counters counters) throws InterruptedException {
    int messages = senders * inFlight;
    CountDownLatch done = new CountDownLatch(messages);
    tracker.onComplete(sender -> done.countDown());
    for (int s = 0; s < senders; s++) {
      driver.sendBatch(s, inFlight);
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(done.getCount() + " of " + messages + " broadcasts did not reach all " + receivers + " receivers within 60 s");
    }
    counters.messages += messages;
    counters.deliveries += (long) messages * receivers;
  }
}
