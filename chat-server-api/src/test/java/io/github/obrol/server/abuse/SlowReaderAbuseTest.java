package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GEN-LIMIT-5 ("its slowness never delays deliveries to other connections"): a reader that does read, but
 * only 512 bytes every 100 ms (5 KB/s), among 20 readers that read at full speed, while one sender
 * broadcasts 3,000 messages (600 KB). The 20 must get everything about as fast as without it; whatever the
 * server does with the trickling reader (cut it, or let it lag within its bound), it must not pace the
 * broadcast to it.
 */
@Tag("abuse")
@Timeout(90)
class SlowReaderAbuseTest {
  static final int READERS = 20;
  static final int MESSAGES = 3_000;
  static final String PAD = "t".repeat(190);
  /**
   * Unloaded, the broadcast takes well under a second here; at the trickler's pace it would take two
   * minutes. 20 s separates the two by a wide margin on a loaded 2-core machine.
   */
  static final Duration OTHERS_DONE_WITHIN = Duration.ofSeconds(20);

  @Test
  @DisplayName("GEN-LIMIT-5: a reader trickling at 5 KB/s does not pace a broadcast to 20 fast readers")
  void tricklingReaderDoesNotPaceOthers() throws Exception {
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).maxOutboundBytes(64 * 1024)
        .socketSendBuffer(16 * 1024).build();
    InetSocketAddress address = server.start().join();
    ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    List<LineClient> readers = LineClient.modernMany(address, "fr", READERS);
    try (LineClient slow = LineClient.modern(address, "trickler", 4096); LineClient sender = LineClient.modern(address, "bcast")) {
      byte[] buf = new byte[512];
      InputStream slowIn = slow.socket().getInputStream();
      // A pacing timer (the trickler's reading speed), not a synchronisation.
      trickle.scheduleAtFixedRate(() -> {
        try {
          slow.socket().setSoTimeout(50);
          slowIn.read(buf);
        } catch (IOException e) {
          // timed out with nothing to read, or cut: keep pacing until the test ends
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      List<Future<Long>> done = new ArrayList<>();
      for (LineClient r : readers) {
        done.add(pool.submit(() -> {
          int next = 1;
          for (int i = 0; i < MESSAGES + READERS + 10 && next <= MESSAGES; i++) {
            String l = r.readLine(Duration.ofSeconds(60));
            if (l.equals("MSG bcast m" + next + " " + PAD)) {
              next++;
            } else if (!l.startsWith("JOIN ") && !l.startsWith("LEFT trickler ")) {
              throw new AssertionError("expected m" + next + " but got " + (l.length() > 60 ? l.substring(0, 60) : l));
            }
          }
          assertEquals(MESSAGES + 1, next);
          return System.nanoTime() - start;
        }));
      }
      Future<?> replies = pool.submit(() -> {
        for (int i = 0, ok = 0; i < 2 * MESSAGES && ok < MESSAGES; i++) {
          String l = sender.readLine(Duration.ofSeconds(60));
          if (l.equals("OK SEND")) {
            ok++;
          }
        }
        return null;
      });
      StringBuilder b = new StringBuilder();
      for (int i = 1; i <= MESSAGES; i++) {
        b.append("SEND m").append(i).append(' ').append(PAD).append('\n');
        if (i % 100 == 0) {
          sender.send(b.toString());
          b.setLength(0);
        }
      }
      long slowest = 0;
      for (Future<Long> f : done) {
        slowest = Math.max(slowest, f.get(80, TimeUnit.SECONDS));
      }
      replies.get(10, TimeUnit.SECONDS);
      Figures.record("reader trickling at 5 KB/s among 20 fast readers", "time until the 20 had all 3,000 messages",
          Figures.ms(slowest / 1e6));
      assertTrue(slowest <= OTHERS_DONE_WITHIN.toNanos(), "the fast readers needed " + slowest / 1_000_000 + " ms");
    } finally {
      trickle.shutdownNow();
      pool.shutdownNow();
      for (LineClient r : readers) {
        r.close();
      }
      server.close();
    }
  }
}
