package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GEN-LIMIT-6, GEN-LIMIT-4 (issue 10, item 7): one client floods PINGs from its own loopback address
 * (127.0.0.2), reconnecting whenever it is cut, beside 50 users who measure their PING round trips.
 */
@Tag("abuse")
@Timeout(90)
class FloodAbuseTest {
  static final int USERS = 50;
  static final int ROUNDS = 30;
  static final int PHASES = 3;
  /**
   * The bound of the issue: the users' p99 under the flood stays within 2x of the unloaded p99, both
   * measured here, the same way, one after the other. Loopback round trips of an idle server are well
   * under a millisecond, where a single scheduler hiccup of the 2-core machine is a large ratio; so the
   * unloaded figure counts as at least 5 ms. A flood that costs the others (the issue measured 19 ms ->
   * 478 ms) still fails by a wide margin.
   */
  static final double RATIO = 2.0;
  static final double BASELINE_FLOOR_MILLIS = 5.0;

  @Test
  @DisplayName("GEN-LIMIT-6: a reconnecting PING flooder leaves the PING p99 of 50 users within 2x of the unloaded figure")
  void floodBeside50Users() throws Exception {
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).build();
    InetSocketAddress address = server.start().join();
    ExecutorService flood = Executors.newFixedThreadPool(2);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong pongBytes = new AtomicLong();
    AtomicInteger connections = new AtomicInteger();
    List<LineClient> users = LineClient.modernMany(address, "u", USERS);
    List<long[]> unloaded = new ArrayList<>();
    List<long[]> loaded = new ArrayList<>();
    long replies = 0;
    double floodSeconds = 0;
    try {
      Latencies.pingRoundTrips(users, ROUNDS); // warm-up, discarded
      // Unloaded and flooded phases alternate, so that the load other processes put on the machine meanwhile
      // weighs on both figures alike.
      for (int phase = 0; phase < PHASES; phase++) {
        unloaded.add(Latencies.pingRoundTrips(users, ROUNDS));
        stop.set(false);
        pongBytes.set(0);
        Future<?> flooder = flood.submit(() -> {
          flood(address, stop, pongBytes, connections, flood);
          return null;
        });
        // The flood is on once the flooder has read a good many replies (bounded wait).
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pongBytes.get() > 200_000);
        long floodStart = System.nanoTime();
        long bytesAtStart = pongBytes.get();
        loaded.add(Latencies.pingRoundTrips(users, ROUNDS));
        floodSeconds += (System.nanoTime() - floodStart) / 1e9;
        replies += (pongBytes.get() - bytesAtStart) / "OK PING\n".length();
        stop.set(true);
        flooder.get(20, TimeUnit.SECONDS);
      }
      long[] before = pooled(unloaded);
      long[] during = pooled(loaded);
      double p99Before = Latencies.percentileMillis(before, 99);
      double p99During = Latencies.percentileMillis(during, 99);
      Figures.record("PING flood beside 50 users", "users' PING p50 / p99 unloaded",
          Figures.ms(Latencies.percentileMillis(before, 50)) + " / " + Figures.ms(p99Before));
      Figures.record("PING flood beside 50 users", "users' PING p50 / p99 / max during the flood",
          Figures.ms(Latencies.percentileMillis(during, 50)) + " / " + Figures.ms(p99During) + " / "
              + Figures.ms(during[during.length - 1] / 1e6));
      Figures.record("PING flood beside 50 users", "flooder replies per second / connections it opened",
          String.format("%.0f /s / %d", replies / floodSeconds, connections.get()));
      double bound = RATIO * Math.max(p99Before, BASELINE_FLOOR_MILLIS);
      assertTrue(p99During <= bound, "p99 during the flood " + p99During + " ms > " + bound + " ms (unloaded " + p99Before + " ms)");
    } finally {
      stop.set(true);
      flood.shutdownNow();
      for (LineClient u : users) {
        u.close();
      }
      server.close();
    }
  }

  private static long[] pooled(List<long[]> phases) {
    long[] all = phases.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    java.util.Arrays.sort(all);
    return all;
  }

  /** Writes PINGs as fast as the server takes them, reads every reply, reconnects when cut; bounded. */
  private static void flood(InetSocketAddress address, AtomicBoolean stop, AtomicLong replyBytes, AtomicInteger connections,
      ExecutorService pool) throws Exception {
    byte[] pings = "PING\n".repeat(8192).getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int c = 0; c < 1_000 && !stop.get() && System.nanoTime() < deadline; c++) {
      LineClient p;
      try {
        p = LineClient.connect(address, "127.0.0.2", 0);
      } catch (IOException refused) {
        continue; // refused at accept (per-address connection rate): try again
      }
      connections.incrementAndGet();
      Future<?> reader = pool.submit(() -> {
        byte[] buf = new byte[64 * 1024];
        try {
          InputStream in = p.socket().getInputStream();
          for (int n; (n = in.read(buf)) > 0; ) {
            replyBytes.addAndGet(n);
          }
        } catch (IOException cut) {
          // the server cut us
        }
        return null;
      });
      try {
        for (int i = 0; i < 100_000 && !stop.get(); i++) {
          p.output().write(pings);
        }
      } catch (IOException cut) {
        // cut: reconnect
      } finally {
        p.close();
        reader.get(10, TimeUnit.SECONDS);
      }
    }
  }
}
