package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
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
 * GEN-ORDER-2, GEN-LEAVE-1, GEN-DELIVER-1: 50 users reset their connections one after the other while a
 * sender broadcasts 5,000 messages; 10 modern and 10 classic users who stay receive every message in order
 * and exactly one leave notice per departed user.
 */
@Tag("abuse")
@Timeout(90)
class DeparturesDuringBroadcastAbuseTest {
  static final int MESSAGES = 5_000;
  static final int LEAVERS = 50;

  @Test
  @DisplayName("GEN-ORDER-2 GEN-LEAVE-1: 50 abrupt departures during a 5,000-message broadcast")
  void departuresDuringBroadcast() throws Exception {
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).build();
    InetSocketAddress address = server.start().join();
    ExecutorService pool = Executors.newFixedThreadPool(LEAVERS + 21);
    List<LineClient> all = new ArrayList<>();
    try {
      List<LineClient> stayModern = LineClient.modernMany(address, "km", 10);
      all.addAll(stayModern);
      List<LineClient> stayClassic = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        stayClassic.add(LineClient.classic(address, "kc" + i));
      }
      all.addAll(stayClassic);
      List<LineClient> leavers = LineClient.modernMany(address, "v", LEAVERS);
      all.addAll(leavers);
      LineClient sender = LineClient.modern(address, "bc");
      all.add(sender);
      // Barriers: every stayer has heard every join before the broadcast.
      for (LineClient p : stayModern) {
        p.modernBarrier();
      }
      for (int i = 0; i < 10; i++) {
        stayClassic.get(i).classicBarrier("kc" + i);
      }
      List<Future<?>> leaving = new ArrayList<>();
      for (int j = 0; j < LEAVERS; j++) {
        LineClient v = leavers.get(j);
        String last = "MSG bc n" + (100 * (j + 1) - 50);
        leaving.add(pool.submit(() -> {
          for (int i = 0; i < 100_000; i++) {
            if (v.readLine(Duration.ofSeconds(30)).equals(last)) {
              v.reset(); // abrupt: RST in the middle of the broadcast
              return null;
            }
          }
          throw new AssertionError("no " + last);
        }));
      }
      List<Future<List<String>>> heard = new ArrayList<>();
      for (LineClient p : stayModern) {
        heard.add(pool.submit(() -> readAll(p, "MSG bc n", "LEFT v", " DISCONNECTED", "")));
      }
      for (LineClient p : stayClassic) {
        heard.add(pool.submit(() -> readAll(p, "\rbc says n", "\r(v", ") off", " ")));
      }
      Future<Integer> replies = pool.submit(() -> {
        int ok = 0;
        for (int i = 0; i < 2 * MESSAGES && ok < MESSAGES; i++) {
          String l = sender.readLine(Duration.ofSeconds(30));
          if (l.equals("OK SEND")) {
            ok++;
          } else if (!l.startsWith("LEFT v")) {
            throw new AssertionError("sender got " + l);
          }
        }
        return ok;
      });
      StringBuilder b = new StringBuilder();
      for (int i = 1; i <= MESSAGES; i++) {
        b.append("SEND n").append(i).append('\n');
        if (i % 100 == 0) {
          sender.send(b.toString());
          b.setLength(0);
        }
      }
      assertEquals(MESSAGES, replies.get(60, TimeUnit.SECONDS));
      for (Future<?> f : leaving) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (Future<List<String>> f : heard) {
        assertEquals(List.of(), f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      for (LineClient p : all) {
        p.close();
      }
      server.close();
    }
  }

  /**
   * Reads until message {@code MESSAGES} and {@code LEAVERS} leave notices have arrived; returns the problems
   * (a gap or reordering, a second or a missing leave notice, anything unexpected).
   */
  private static List<String> readAll(LineClient p, String msgPrefix, String leftPrefix, String leftSuffix, String msgSuffix)
      throws Exception {
    List<String> problems = new ArrayList<>();
    int next = 1;
    boolean[] left = new boolean[LEAVERS];
    int leaves = 0;
    for (int i = 0; i < MESSAGES + LEAVERS + 10 && (next <= MESSAGES || leaves < LEAVERS) && problems.size() < 5; i++) {
      String l = p.readLine(Duration.ofSeconds(30));
      if (l.equals(msgPrefix + next + msgSuffix)) {
        next++;
      } else if (l.startsWith(leftPrefix) && l.endsWith(leftSuffix)) {
        int v = Integer.parseInt(l.substring(leftPrefix.length(), l.length() - leftSuffix.length()));
        if (left[v]) {
          problems.add("second leave notice: " + LineClient.escape(l));
        }
        left[v] = true;
        leaves++;
      } else {
        problems.add("expected message " + next + " but got " + LineClient.escape(l));
      }
    }
    if (problems.isEmpty() && (next <= MESSAGES || leaves < LEAVERS)) {
      problems.add("got " + (next - 1) + " messages and " + leaves + " leave notices");
    }
    return problems;
  }
}
