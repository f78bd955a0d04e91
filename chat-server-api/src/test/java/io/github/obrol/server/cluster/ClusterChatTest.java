package io.github.obrol.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import io.github.obrol.testkit.Verifies;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two embedded nodes over a real Redis: every user-visible rule between users of different nodes (section 9
 * of PROTOCOL.md). Each test uses names of its own, so the tests share the nodes.
 */
class ClusterChatTest {
  static RedisProcess redis;
  static ChatServer n1;
  static ChatServer n2;
  static InetSocketAddress a1;
  static InetSocketAddress a2;

  @BeforeAll
  static void startCluster() throws Exception {
    redis = RedisProcess.start();
    n1 = ClusterNodes.start(redis, "n1", Duration.ofSeconds(10));
    n2 = ClusterNodes.start(redis, "n2", Duration.ofSeconds(10));
    a1 = n1.localAddress();
    a2 = n2.localAddress();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    ClusterNodes.stop(n1, n2);
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * The tests share the nodes and compare whole event lists: a user a test closed without {@code QUIT} departs
   * later (the node notices the closed socket, then orders the leave notice), and that notice must not land in
   * the next test's barrier (CI once saw {@code LEFT gil4 DISCONNECTED} there). So each test ends once the
   * cluster lists no user of it; the probe's own departure is ordered before its {@code OK QUIT}.
   */
  @AfterEach
  void everyUserOfTheTestHasDeparted() throws Exception {
    try (LineClient probe = LineClient.modern(a1, "zzprobe")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      String list = "";
      // Bounded in count and time; each LIST is a barrier over the whole cluster (CLUSTER-8).
      for (int i = 0; i < 10_000 && System.nanoTime() < deadline; i++) {
        probe.send("LIST\n");
        list = probe.skipUntil("OK LIST "); // the events before it (JOIN/LEFT of other users) do not matter here
        if (list.equals("OK LIST 1 zzprobe")) {
          break;
        }
      }
      assertEquals("OK LIST 1 zzprobe", list, "users of the test still logged in after it");
      probe.send("QUIT\n");
      Lines.upTo(probe, "OK QUIT");
    }
  }

  @Test
  @Verifies({"CLUSTER-1", "GEN-DELIVER-1", "GEN-DELIVER-2", "GEN-LIST-1", "GEN-JOIN-1", "GEN-LEAVE-1"})
  void usersOnTwoNodesChatAsOnOneServer() throws Exception {
    try (LineClient ann = LineClient.modern(a1, "ann1");
        LineClient bob = LineClient.modern(a2, "bob1")) {
      assertEquals(List.of("JOIN bob1"), Lines.barrier(ann, "j"));
      try (LineClient cid = LineClient.modern(a2, "Cid1")) {
        assertEquals(List.of("JOIN Cid1"), Lines.barrier(ann, "j2"));
        assertEquals(List.of("JOIN Cid1"), Lines.barrier(bob, "j2"));
        ann.send("SEND hello from node one\n");
        assertEquals(List.of("OK SEND"), Lines.upTo(ann, "OK SEND"));
        assertEquals(List.of("MSG ann1 hello from node one"), Lines.barrier(bob, "m"));
        assertEquals(List.of("MSG ann1 hello from node one"), Lines.barrier(cid, "m"));
        bob.send("LIST\n");
        // Every user of the cluster, in order of login, whichever node they are on (GEN-LIST-1).
        List<String> list = Lines.upTo(bob, "OK LIST 3 ann1 bob1 Cid1");
        assertEquals(List.of("OK LIST 3 ann1 bob1 Cid1"), list.subList(list.size() - 1, list.size()));
        bob.send("SENDTO ANN1 psst\n");
        assertEquals(List.of("OK SENDTO ann1"), Lines.upTo(bob, "OK SENDTO ann1"));
        assertEquals(List.of("PRIV bob1 psst"), Lines.barrier(ann, "p"));
        assertEquals(List.of(), Lines.barrier(cid, "p"), "a private message reaches its addressee only");
        cid.send("QUIT lunch\n");
        assertEquals(List.of("OK QUIT"), Lines.upTo(cid, "OK QUIT"));
      }
      assertEquals(List.of("LEFT Cid1 QUIT lunch"), Lines.barrier(ann, "q"));
      assertEquals(List.of("LEFT Cid1 QUIT lunch"), Lines.barrier(bob, "q"));
    }
  }

  @Test
  @Verifies({"CLUSTER-2", "GEN-NAME-4", "GEN-NAME-5"})
  void namesAreUniqueIgnoringCaseAcrossNodesAndFreedByADeparture() throws Exception {
    try (LineClient watcher = LineClient.modern(a2, "watch2");
        LineClient dora = LineClient.modern(a1, "Dora2");
        LineClient other = LineClient.connect(a2)) {
      other.send("HELLO obrol/1\nLOGIN dORA2\n");
      other.skipUntil("OK HELLO");
      assertEquals("ERR NAME_TAKEN the name is in use", other.readLine());
      dora.send("QUIT\n");
      Lines.upTo(dora, "OK QUIT");
      assertEquals(List.of("JOIN Dora2", "LEFT Dora2 QUIT"), Lines.barrier(watcher, "w"));
      // Whoever saw the leave notice can take the name, on any node (GEN-NAME-5).
      other.send("LOGIN dORA2\n");
      assertEquals("OK LOGIN dORA2", other.readLine());
    }
  }

  @Test
  @Verifies("CLUSTER-2")
  void ofTwoSimultaneousLoginsOfOneNameOnTwoNodesExactlyOneSucceeds() throws Exception {
    int trials = 40;
    int[] wins = new int[2];
    for (int t = 0; t < trials; t++) {
      try (LineClient x = LineClient.connect(a1); LineClient y = LineClient.connect(a2)) {
        x.send("HELLO obrol/1\n");
        y.send("HELLO obrol/1\n");
        x.skipUntil("OK HELLO");
        y.skipUntil("OK HELLO");
        String name = "race" + t;
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<String> fx = CompletableFuture.supplyAsync(() -> login(x, name, start));
        CompletableFuture<String> fy = CompletableFuture.supplyAsync(() -> login(y, name.toUpperCase(), start));
        String rx = fx.get(20, TimeUnit.SECONDS);
        String ry = fy.get(20, TimeUnit.SECONDS);
        List<String> answers = new ArrayList<>(List.of(rx, ry));
        int ok = (rx.startsWith("OK LOGIN") ? 1 : 0) + (ry.startsWith("OK LOGIN") ? 1 : 0);
        assertEquals(1, ok, "trial " + t + ": " + answers);
        assertTrue(answers.contains("ERR NAME_TAKEN the name is in use"), "trial " + t + ": " + answers);
        wins[rx.startsWith("OK") ? 0 : 1]++;
      }
    }
    assertEquals(trials, wins[0] + wins[1]);
  }

  private static String login(LineClient c, String name, CyclicBarrier start) {
    try {
      start.await(10, TimeUnit.SECONDS);
      c.send("LOGIN " + name + "\n");
      return c.readLine();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Verifies({"CLUSTER-1", "CL-NOTICE-1"})
  void administratorsActOnUsersOfEveryNode() throws Exception {
    try (LineClient erin = LineClient.modern(a2, "erin3");
        LineClient fay = LineClient.modern(a1, "fay3")) {
      assertEquals(List.of("JOIN fay3"), Lines.barrier(erin, "j"));
      assertTrue(n1.broadcast("maintenance at noon").get(10, TimeUnit.SECONDS));
      assertEquals(List.of("NOTICE maintenance at noon"), Lines.barrier(fay, "n"));
      assertEquals(List.of("NOTICE maintenance at noon"), Lines.barrier(erin, "n"));
      assertTrue(n1.notice("ERIN3", "for you only").get(10, TimeUnit.SECONDS));
      assertEquals(List.of("NOTICE for you only"), Lines.barrier(erin, "u"));
      assertEquals(List.of(), Lines.barrier(fay, "u"));
      assertTrue(n1.disconnect("erin3", "spam").get(10, TimeUnit.SECONDS));
      assertEquals("BYE KICKED spam", erin.readLine());
      assertTrue(erin.awaitClosed());
      assertEquals(List.of("LEFT erin3 KICKED spam"), Lines.barrier(fay, "k"));
      assertEquals(false, n2.disconnect("nobody3", "x").get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  @Verifies({"CLUSTER-8", "GEN-ORDER-3"})
  void aReplyFollowsEveryEventOrderedBeforeItsFrameWhateverTheNode() throws Exception {
    try (LineClient gil = LineClient.modern(a1, "gil4");
        LineClient hal = LineClient.modern(a2, "hal4")) {
      Lines.barrier(gil, "j");
      for (int i = 0; i < 100; i++) {
        gil.send("SEND m" + i + "\n");
        assertEquals("OK SEND", gil.readLine());
        // gil's frame was answered before hal's PING was sent: its message comes first (PING is a barrier).
        assertEquals(List.of("MSG gil4 m" + i), Lines.barrier(hal, "b" + i));
        hal.send("SEND r" + i + "\n");
        assertEquals("OK SEND", hal.readLine());
        gil.send("LIST\n");
        assertEquals(List.of("MSG hal4 r" + i, "OK LIST 2 gil4 hal4"), Lines.upTo(gil, "OK LIST 2 gil4 hal4"));
      }
    }
  }

  @Test
  @Verifies({"CLUSTER-7", "GEN-LIMIT-13"})
  void okSendToNeverFollowsTheRecipientsLeaveNotice() throws Exception {
    for (int round = 0; round < 5; round++) {
      String who = "ivy5" + round;
      try (LineClient jon = LineClient.modern(a1, "jon5" + round)) {
        LineClient ivy = LineClient.modern(a2, who);
        Lines.barrier(jon, "j");
        CompletableFuture<Void> quit = CompletableFuture.runAsync(() -> {
          try {
            ivy.send("QUIT\n");
            ivy.awaitClosed();
            ivy.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        boolean left = false;
        int oks = 0;
        for (int i = 0; i < 2000 && !left; i++) {
          jon.send("SENDTO " + who + " m" + i + "\n");
          while (true) {
            String l = jon.readLine();
            if (l.equals("LEFT " + who + " QUIT")) {
              left = true;
            } else if (l.equals("OK SENDTO " + who)) {
              assertTrue(!left, "OK SENDTO after the recipient's leave notice");
              oks++;
              break;
            } else if (l.startsWith("ERR NO_SUCH_USER")) {
              assertTrue(left, "NO_SUCH_USER before the recipient's leave notice: " + l);
              break;
            } else {
              throw new AssertionError("unexpected: " + l);
            }
          }
        }
        quit.get(20, TimeUnit.SECONDS);
        assertTrue(left, "the leave notice arrived within 2,000 messages (" + oks + " answered OK)");
      }
    }
  }

  @Test
  @Verifies({"CLUSTER-4", "GEN-LEAVE-2"})
  void aNodeThatShutsDownTellsItsUsersAndTheOthersSeeThemLeave() throws Exception {
    ChatServer n3 = ClusterNodes.start(redis, "n3", Duration.ofSeconds(10));
    try (LineClient kim = LineClient.modern(a1, "kim6");
        LineClient lou = LineClient.modern(n3.localAddress(), "lou6");
        LineClient max = LineClient.modern(n3.localAddress(), "max6")) {
      assertEquals(List.of("JOIN lou6", "JOIN max6"), Lines.barrier(kim, "j"));
      n3.shutdownGracefully(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
      // Its own users: SHUTTING_DOWN and no leave notice of each other (GEN-LEAVE-2).
      assertEquals(List.of("JOIN max6", "BYE SHUTTING_DOWN the server is shutting down"),
          Lines.upTo(lou, "BYE SHUTTING_DOWN the server is shutting down"));
      assertEquals(List.of("BYE SHUTTING_DOWN the server is shutting down"), Lines.upTo(max, "BYE SHUTTING_DOWN the server is shutting down"));
      // The others: one leave notice each (CLUSTER-4), in some order.
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 50 && seen.size() < 2; i++) {
        seen.addAll(Lines.barrier(kim, "s" + i));
      }
      seen.sort(null);
      assertEquals(List.of("LEFT lou6 SHUTDOWN", "LEFT max6 SHUTDOWN"), seen);
      assertEquals(List.of(), Lines.barrier(kim, "after"));
      try (LineClient again = LineClient.modern(a2, "lou6")) {
        assertEquals(List.of(), Lines.barrier(again, "free"));
      }
    } finally {
      ClusterNodes.stop(n3);
    }
  }
}
