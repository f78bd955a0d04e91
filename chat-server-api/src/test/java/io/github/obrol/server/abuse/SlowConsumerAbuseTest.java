package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GEN-LIMIT-5: one client that stops reading among 200 that read. The server runs in a child JVM because
 * "memory bounded" is measured as the server process's resident set size (RSS): the server's metrics say
 * nothing about bytes held, and an embedded server shares its RSS with 200 client threads.
 */
@Tag("abuse")
@Timeout(120)
class SlowConsumerAbuseTest {
  static final int READERS = 200;
  static final int MESSAGES = 2_000;
  /**
   * ~220 bytes per message: 440 KB per reader, past what the stalled one may hold (128 KiB queued, 64 KiB
   * socket send buffer doubled by Linux, its 4 KiB receive buffer).
   */
  static final String PAD = "x".repeat(200);
  /** The stalled client is cut within this; generous against the server's 128 KiB bound being passed within the first second. */
  static final Duration CUT_WITHIN = Duration.ofSeconds(20);
  /**
   * Bound of the server's RSS growth while it serves the broadcast. What it may legitimately hold: 128 KiB
   * per connection that lags (202 connections: 25 MiB in the worst case) plus the JVM's own growth (JIT,
   * buffer pools); 160 MiB is generous and still catches a server that queues what the stalled client does not
   * read for every reader, or anything proportional to what was broadcast (88 MB).
   */
  static final long RSS_GROWTH_BOUND = 160L << 20;

  @Test
  @DisplayName("GEN-LIMIT-5 GEN-LIMIT-6: a stalled reader among 200 is cut; the 200 lose nothing and stay; RSS bounded")
  void stalledReaderAmong200() throws Exception {
    try (ServerProcess server = ServerProcess.start("256m", 0, "maxOutboundBytes=131072", "socketSendBuffer=32768")) {
      List<LineClient> readers = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
      ProcFs.RssPeak rss = null;
      try {
        readers.addAll(LineClient.modernMany(server.address(), "r", READERS));
        LineClient stalled = LineClient.modern(server.address(), "stalled", 4096);
        LineClient sender = LineClient.modern(server.address(), "sender");
        rss = new ProcFs.RssPeak(server.pid(), 20);

        long start = System.nanoTime();
        List<Future<ReaderResult>> results = new ArrayList<>();
        for (LineClient r : readers) {
          results.add(pool.submit(() -> read(r, start)));
        }
        Future<Integer> senderReplies = pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < MESSAGES + 1_000 && ok < MESSAGES; i++) {
            String l = sender.readLine(Duration.ofSeconds(30));
            if (l.equals("OK SEND")) {
              ok++;
            } else if (!l.startsWith("LEFT stalled ") && !l.startsWith("ERR RATE_LIMITED")) {
              throw new AssertionError("sender got " + LineClient.escape(l));
            }
          }
          return ok;
        });
        StringBuilder batch = new StringBuilder();
        for (int i = 1; i <= MESSAGES; i++) {
          batch.append("SEND m").append(i).append(' ').append(PAD).append('\n');
          if (i % 50 == 0) {
            sender.send(batch.toString());
            batch.setLength(0);
          }
        }
        assertEquals(MESSAGES, senderReplies.get(60, TimeUnit.SECONDS), "OK SEND replies");
        long cutNanos = Long.MAX_VALUE;
        for (int i = 0; i < READERS; i++) {
          ReaderResult r = results.get(i).get(60, TimeUnit.SECONDS);
          assertEquals(MESSAGES, r.messages, "r" + i + ": messages in order; other lines: " + r.unexpected);
          assertEquals(List.of(), r.unexpected, "r" + i + ": no BYE, nothing unexpected");
          assertEquals(1, r.stalledLeft, "r" + i + ": exactly one LEFT stalled SLOW_CONSUMER");
          cutNanos = Math.min(cutNanos, r.leftAtNanos - start);
        }
        rss.close();
        Figures.record("slow consumer among 200 readers", "every reader had every message after",
            Figures.ms((System.nanoTime() - start) / 1e6));
        assertTrue(stalled.closedWithin(Duration.ofSeconds(10)), "the stalled connection is closed");
        long growth = rss.growth();
        Figures.record("slow consumer among 200 readers", "time to cut the stalled reader", Figures.ms(cutNanos / 1e6));
        Figures.record("slow consumer among 200 readers", "server RSS before / peak / growth",
            rss.describe());
        assertTrue(cutNanos <= CUT_WITHIN.toNanos(), "stalled reader cut after " + cutNanos / 1_000_000 + " ms");
        assertTrue(growth <= RSS_GROWTH_BOUND, "server RSS grew by " + Figures.mib(growth));
        sender.close();
      } finally {
        if (rss != null) {
          rss.close();
        }
        pool.shutdownNow();
        for (LineClient r : readers) {
          r.close();
        }
      }
    }
  }

  /** What one reader saw: the broadcast in order, the stalled user's departure, nothing else. */
  record ReaderResult(int messages, int stalledLeft, long leftAtNanos, List<String> unexpected) {}

  private static ReaderResult read(LineClient r, long start) throws Exception {
    int next = 1;
    int left = 0;
    long leftAt = Long.MAX_VALUE;
    List<String> unexpected = new ArrayList<>();
    long deadline = start + Duration.ofSeconds(60).toNanos();
    for (int i = 0; i < MESSAGES + 250 && (next <= MESSAGES || left == 0) && unexpected.isEmpty(); i++) {
      String l = r.readLine(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      if (l.startsWith("MSG sender m")) {
        String expected = "MSG sender m" + next + " " + PAD;
        if (!l.equals(expected)) {
          unexpected.add(l.length() > 40 ? l.substring(0, 40) + "..." : l);
        }
        next++;
      } else if (l.equals("LEFT stalled SLOW_CONSUMER")) {
        left++;
        leftAt = System.nanoTime();
      } else if (l.startsWith("JOIN r") || l.equals("JOIN stalled") || l.equals("JOIN sender")) {
        continue; // the joins of later readers, at most 201 of them
      } else {
        unexpected.add(l);
      }
    }
    if (unexpected.isEmpty()) {
      // Barrier: nothing else (a second LEFT, a BYE) is pending.
      for (String l : r.modernBarrier()) {
        if (l.equals("LEFT stalled SLOW_CONSUMER")) {
          left++;
        } else {
          unexpected.add(l);
        }
      }
    }
    return new ReaderResult(next - 1, left, leftAt, unexpected);
  }
}
