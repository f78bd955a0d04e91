package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GEN-LEAVE-1, GEN-LIMIT-6: 3 rounds of 5,000 connections closed by RST (SO_LINGER 0). The server is
 * embedded, so the test JVM's descriptors (/proc/self/fd) are the server's plus the clients'; both hold
 * one descriptor per connection (10,000 of the 20,000 allowed at the peak), and once the clients have
 * closed theirs the count must come back to where it was.
 */
@Tag("abuse")
@Timeout(120)
class ResetStormAbuseTest {
  static final int ROUNDS = 3;
  static final int CONNECTIONS = 5_000;
  /**
   * Every 50th connection logs in (100 users per round that must depart); the others stay anonymous after a
   * PING. More users would mostly measure the join fan-out (each user hears every later login).
   */
  static final int USER_EVERY = 50;
  /** Sources per round: 1,000 connections per loopback address, under any per-address connection burst. */
  static final int SOURCES = 5;
  /** Descriptors the JVM may open on its own meanwhile (class loading, surefire). */
  static final int FD_SLACK = 16;

  @Test
  @DisplayName("GEN-LEAVE-1: 3 rounds of 5,000 resets leave no ghost user and no leaked descriptor")
  void resetStorm() throws Exception {
    // 1,000 anonymous connections per source address at once: the per-address anonymous cap (GEN-LIMIT-10, its
    // own scenario in SilentConnectionsAbuseTest) would refuse most at accept; this scenario is the resets.
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).maxAnonymousPerAddress(0).build();
    InetSocketAddress address = server.start().join();
    try (LineClient watch = LineClient.modern(address, "s_watch")) {
      watch.modernBarrier();
      int fdBefore = openFiles();
      for (int round = 1; round <= ROUNDS; round++) {
        long start = System.nanoTime();
        List<LineClient> peers = new ArrayList<>(CONNECTIONS);
        try {
          for (int i = 0; i < CONNECTIONS; i++) {
            LineClient p = LineClient.connect(address, "127.0." + round + "." + (1 + i % SOURCES), 0);
            peers.add(p);
            p.send(i % USER_EVERY == 0 ? "LOGIN s" + round + "_" + i + "\n" : "PING\n");
          }
          for (int i = 0; i < CONNECTIONS; i++) {
            LineClient p = peers.get(i);
            if (i % USER_EVERY == 0) {
              p.expectSkippingJoins("OK LOGIN s" + round + "_" + i);
            } else {
              p.expect("OK PING");
            }
          }
        } finally {
          for (LineClient p : peers) {
            p.reset();
          }
        }
        long reset = System.nanoTime();
        int users = CONNECTIONS / USER_EVERY;
        // No ghost users: the list is back to the watcher alone (bounded wait, LIST round trips).
        AtomicReference<String> list = new AtomicReference<>();
        List<String> heard = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
            .until(() -> {
              list.set(watch.modernList(heard));
              return list.get().equals("OK LIST 1 s_watch");
            });
        long clean = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
            .until(() -> openFiles() <= fdBefore + FD_SLACK);
        long fdClean = System.nanoTime();
        // Each user joined once and left once, and the watcher heard of nothing else.
        heard.addAll(watch.modernBarrier());
        assertEquals(2 * users, heard.size(), "JOIN and LEFT per user, round " + round);
        assertEquals(users, heard.stream().filter(l -> l.matches("LEFT s" + "\\d+_\\d+ DISCONNECTED")).distinct().count(),
            "one LEFT per user, round " + round);
        Figures.record("5,000 connections closed by RST (round " + round + ")",
            "connect+login time / until no ghost user / until descriptors back to baseline",
            Figures.ms((reset - start) / 1e6) + " / " + Figures.ms((clean - reset) / 1e6) + " / " + Figures.ms((fdClean - reset) / 1e6));
      }
      Figures.record("5,000 connections closed by RST", "JVM descriptors before / after 3 rounds",
          fdBefore + " / " + openFiles());
    } finally {
      server.close();
    }
  }

  static int openFiles() {
    return ProcFs.openFiles("self");
  }

}
