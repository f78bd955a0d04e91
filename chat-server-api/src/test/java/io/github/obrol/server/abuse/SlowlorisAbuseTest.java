package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GEN-LIMIT-1, GEN-LIMIT-6, CL-FRAME-2: 1,000 slowloris connections trickle bytes of a login that never
 * ends (modern: no LF; classic: a byte every 20 ms, mostly inside the 100 ms quiet period, and never a
 * login) while 20 users chat.
 * The login timeout (3 s here) closes every one of them; the users are not affected.
 */
@Tag("abuse")
@Timeout(90)
class SlowlorisAbuseTest {
  static final int SLOWLORIS = 1_000;
  static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(3);
  /** Login timeout plus the 2 s close grace plus scheduling slack of a loaded 2-core machine. */
  static final Duration ALL_CLOSED_WITHIN = Duration.ofSeconds(8);

  @Test
  @DisplayName("GEN-LIMIT-1 GEN-LIMIT-6: 1,000 slowloris connections are closed at the login timeout; 20 users are unaffected")
  void slowloris() throws Exception {
    // 500 lorises per source address are anonymous at once: the per-address anonymous cap (GEN-LIMIT-10, its
    // own scenario in SilentConnectionsAbuseTest) would refuse most at accept; this scenario is the login timeout.
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).loginTimeout(LOGIN_TIMEOUT)
        .maxAnonymousPerAddress(0).build();
    InetSocketAddress address = server.start().join();
    List<LineClient> users = LineClient.modernMany(address, "w", 20);
    List<LineClient> lorises = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      long[] before = Latencies.pingRoundTrips(users, 20);
      long start = System.nanoTime();
      byte[][] scripts = new byte[SLOWLORIS][];
      for (int i = 0; i < SLOWLORIS; i++) {
        LineClient p = LineClient.connect(address, "127.0.3." + (1 + i % 2), 0);
        lorises.add(p);
        // The first token at once, so the dialect is decided (GEN-DIALECT-1); the rest is trickled.
        p.send(i % 2 == 0 ? "LOGIN " : "sl" + i + " ");
        String s = i % 2 == 0 ? "slow" + "a".repeat(2000) : "says " + "b".repeat(2000);
        scripts[i] = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      }
      int[] sent = new int[SLOWLORIS];
      boolean[] dead = new boolean[SLOWLORIS];
      // One byte per connection every 20 ms: a pacing timer, not a synchronisation.
      trickle.scheduleAtFixedRate(() -> {
        for (int i = 0; i < SLOWLORIS; i++) {
          if (!dead[i] && sent[i] < scripts[i].length) {
            try {
              lorises.get(i).output().write(scripts[i][sent[i]++]);
            } catch (IOException closed) {
              dead[i] = true;
            }
          }
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
      long[] during = Latencies.pingRoundTrips(users, 20);
      // Every slowloris is told LOGIN_TIMEOUT in its dialect and closed.
      long deadline = start + ALL_CLOSED_WITHIN.toNanos();
      int modernTold = 0;
      int classicTold = 0;
      for (int i = 0; i < SLOWLORIS; i++) {
        List<String> got = lorises.get(i).linesUntilEnd(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        if (i % 2 == 0 && got.size() == 1 && got.get(0).startsWith("BYE LOGIN_TIMEOUT ")) {
          modernTold++;
        } else if (i % 2 == 1 && !got.isEmpty() && got.get(got.size() - 1).startsWith("\rlogin timeout")
            && got.subList(0, got.size() - 1).stream().allMatch(l -> l.startsWith("\rnot logged in"))) {
          // A trickle delayed past the quiet period ends a classic frame (CL-FRAME-2): "not logged in".
          classicTold++;
        } else {
          throw new AssertionError("slowloris " + i + " got " + got.stream().map(LineClient::escape).toList());
        }
      }
      long allClosed = System.nanoTime() - start;
      trickle.shutdownNow();
      assertEquals(SLOWLORIS / 2, modernTold);
      assertEquals(SLOWLORIS / 2, classicTold);
      // The users: still logged in, nothing but their own list.
      for (LineClient u : users) {
        assertEquals(List.of(), u.modernBarrier().stream().filter(l -> !l.startsWith("JOIN w")).toList());
      }
      Figures.record("1,000 slowloris connections", "all closed after (login timeout 3 s)", Figures.ms(allClosed / 1e6));
      Figures.record("1,000 slowloris connections", "20 users' PING p99 before / during",
          Figures.ms(Latencies.percentileMillis(before, 99)) + " / " + Figures.ms(Latencies.percentileMillis(during, 99)));
      assertTrue(allClosed <= ALL_CLOSED_WITHIN.toNanos(), "closed after " + allClosed / 1_000_000 + " ms");
    } finally {
      trickle.shutdownNow();
      for (LineClient p : lorises) {
        p.close();
      }
      for (LineClient u : users) {
        u.close();
      }
      server.close();
    }
  }
}
