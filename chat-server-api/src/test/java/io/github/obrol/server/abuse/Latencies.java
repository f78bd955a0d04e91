package io.github.obrol.server.abuse;

import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** PING round trips of many users at once, closed loop (each sends its next PING when the last returned). */
final class Latencies {
  private Latencies() {}

  /** The round-trip times in nanoseconds, sorted, of {@code rounds} PINGs by each of {@code users}. */
  static long[] pingRoundTrips(List<LineClient> users, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(users.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<long[]>> all = new ArrayList<>();
      for (LineClient u : users) {
        all.add(pool.submit(() -> {
          go.await(10, TimeUnit.SECONDS);
          long[] rtt = new long[rounds];
          for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            u.send("PING p" + i + "\n");
            expectPong(u, "OK PING p" + i);
            rtt[i] = System.nanoTime() - t;
          }
          return rtt;
        }));
      }
      go.countDown();
      long[] out = new long[users.size() * rounds];
      int n = 0;
      for (Future<long[]> f : all) {
        long[] r = f.get(60, TimeUnit.SECONDS);
        System.arraycopy(r, 0, out, n, r.length);
        n += r.length;
      }
      Arrays.sort(out);
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Reads up to the pong, skipping events (JOIN, LEFT, MSG) that may arrive before it. */
  private static void expectPong(LineClient u, String pong) throws IOException {
    for (int i = 0; i < 10_000; i++) {
      String l = u.readLine(Duration.ofSeconds(20));
      if (l.equals(pong)) {
        return;
      }
      if (l.startsWith("OK") || l.startsWith("ERR") || l.startsWith("BYE")) {
        throw new AssertionError("expected " + pong + " but got " + l);
      }
    }
    throw new AssertionError("no " + pong);
  }

  static double percentileMillis(long[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
