package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.Verifies;

/** Concurrent senders on several event loops: every receiver gets every message exactly once, in each sender's order. */
@Timeout(90)
class FanOutTest {
  private static final int SENDERS = 4;
  private static final int MESSAGES = 300;
  private static final int RECEIVERS = 20;

  @Test
  @DisplayName("GEN-DELIVER-1 GEN-ORDER-2 GEN-ORDER-3: concurrent broadcasts reach every user exactly once, in order per sender")
  @Verifies({"GEN-DELIVER-1", "GEN-ORDER-2", "GEN-ORDER-3"})
  void concurrentBroadcasts() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    List<LineClient> all = new ArrayList<>();
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(4).build()) {
      InetSocketAddress address = server.start().join();
      List<LineClient> receivers = new ArrayList<>();
      for (int i = 0; i < RECEIVERS; i++) {
        LineClient r = i % 2 == 0 ? LineClient.modern(address, "fr" + i) : LineClient.classic(address, "fr" + i);
        receivers.add(r);
        all.add(r);
      }
      List<LineClient> senders = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        LineClient c = LineClient.modern(address, "fs" + s);
        senders.add(c);
        all.add(c);
      }
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        LineClient c = senders.get(s);
        int id = s;
        done.add(pool.submit(() -> {
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < MESSAGES; i++) {
            b.append("SEND s").append(id).append(' ').append(i).append('\n');
          }
          c.send(b.toString());
          for (int i = 0; i < MESSAGES; i++) {
            c.skipUntil("OK SEND");
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      // Every OK SEND has arrived, so a barrier now sees every message (GEN-ORDER-3).
      for (int i = 0; i < RECEIVERS; i++) {
        LineClient r = receivers.get(i);
        List<String> seen = i % 2 == 0 ? r.modernBarrier() : r.classicBarrier("fr" + i);
        Map<Integer, Integer> next = new HashMap<>();
        for (String line : seen) {
          String body = line.startsWith("MSG ") ? line.substring(line.indexOf(' ', 4) + 1)
              : line.startsWith("\rfs") && line.contains(" says ") ? line.substring(line.indexOf(" says ") + 6, line.length() - 1) : null;
          if (body == null) {
            continue; // join notices
          }
          String[] parts = body.split(" ");
          int sender = Integer.parseInt(parts[0].substring(1));
          int n = Integer.parseInt(parts[1]);
          assertEquals(next.getOrDefault(sender, 0), n, "receiver fr" + i + " sender " + sender);
          next.put(sender, n + 1);
        }
        for (int s = 0; s < SENDERS; s++) {
          assertEquals(MESSAGES, next.getOrDefault(s, 0), "receiver fr" + i + " from sender " + s);
        }
      }
      assertEquals((long) SENDERS * MESSAGES * (RECEIVERS + SENDERS - 1),
          server.metrics().deliveries() - joins(RECEIVERS + SENDERS));
    } finally {
      pool.shutdownNow();
      for (LineClient c : all) {
        c.close();
      }
    }
  }

  /** Join notices delivered when {@code n} users log in one after another, and the classic barriers' self-messages. */
  private static long joins(int n) {
    return (long) n * (n - 1) / 2 + RECEIVERS / 2 * 2L;
  }
}
