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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A node in a child JVM killed with SIGKILL while its users and others broadcast (CLUSTER-3). */
class ClusterNodeDeathTest {
  static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

  @Test
  @Verifies({"CLUSTER-3", "GEN-ORDER-2", "GEN-LEAVE-1"})
  void theUsersOfAKilledNodeAreAnnouncedOnceEachWithinTheNodeTimeoutAndTheirNamesFreed() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      // Two survivors: both run the reaper, and each user must still be announced once.
      ChatServer n1 = ClusterNodes.start(redis, "survivor", NODE_TIMEOUT);
      ChatServer n2 = ClusterNodes.start(redis, "survivor2", NODE_TIMEOUT);
      try (ChildJvm doomed = ChildJvm.start(System.getProperty("java.class.path"), ClusterChildNode.class,
              redis.uri(), "doomed", Long.toString(NODE_TIMEOUT.toMillis()));
          LineClient watcher = LineClient.modern(n1.localAddress(), "watcher");
          LineClient sender = LineClient.modern(n1.localAddress(), "sender");
          LineClient watcher2 = LineClient.modern(n2.localAddress(), "watcher2")) {
        InetSocketAddress far = new InetSocketAddress("127.0.0.1", doomed.port);
        List<LineClient> victims = new ArrayList<>();
        for (String name : List.of("k0", "k1", "k2")) {
          victims.add(LineClient.modern(far, name));
        }
        assertEquals(List.of("JOIN sender", "JOIN watcher2", "JOIN k0", "JOIN k1", "JOIN k2"), Lines.barrier(watcher, "j"));
        assertEquals(List.of("JOIN k0", "JOIN k1", "JOIN k2"), Lines.barrier(watcher2, "j"));
        AtomicBoolean stop = new AtomicBoolean();
        // Both sides broadcast while the node dies: the survivor's sender, and k0 on the doomed node.
        CompletableFuture<Integer> local = CompletableFuture.supplyAsync(() -> broadcast(sender, "s", stop));
        CompletableFuture<Integer> remote = CompletableFuture.supplyAsync(() -> broadcast(victims.get(0), "k", stop));
        List<String> seen = new ArrayList<>();
        // Wait for k0's broadcast to be under way (a condition, not a time).
        for (int i = 0; i < 100_000 && seen.stream().noneMatch(l -> l.startsWith("MSG k0 k20")); i++) {
          seen.add(watcher.readLine());
        }
        long killedAt = System.nanoTime();
        doomed.kill();
        long lastLeft = 0;
        Set<String> expected = Set.of("LEFT k0 DISCONNECTED", "LEFT k1 DISCONNECTED", "LEFT k2 DISCONNECTED");
        for (int i = 0; i < 1_000_000 && !seen.containsAll(expected); i++) {
          String l = watcher.readLine(NODE_TIMEOUT.plusSeconds(10));
          seen.add(l);
          if (l.startsWith("LEFT k")) {
            lastLeft = System.nanoTime();
          }
        }
        stop.set(true);
        local.get(30, TimeUnit.SECONDS);
        remote.handle((n, t) -> n).get(30, TimeUnit.SECONDS); // its connection died with the node
        seen.addAll(Lines.barrier(watcher, "after"));
        long millis = TimeUnit.NANOSECONDS.toMillis(lastLeft - killedAt);
        System.out.println("[cluster-figure] node killed | last leave notice after " + millis + " ms | node timeout "
            + NODE_TIMEOUT.toMillis() + " ms");
        for (String e : expected) {
          assertEquals(1L, seen.stream().filter(e::equals).count(), e + " exactly once in " + tail(seen));
        }
        assertEquals(3L, seen.stream().filter(l -> l.startsWith("LEFT k")).count(), String.valueOf(tail(seen)));
        int leftAt = seen.indexOf("LEFT k0 DISCONNECTED");
        assertTrue(seen.subList(leftAt, seen.size()).stream().noneMatch(l -> l.startsWith("MSG k0 ")),
            "a message from k0 after its leave notice (GEN-ORDER-2)");
        // Within the node timeout; the slack covers scheduling on a loaded 2-core machine (a loose bound, said so).
        assertTrue(millis <= NODE_TIMEOUT.toMillis() + 2000, "leave notices after " + millis + " ms");
        List<String> seen2 = new ArrayList<>();
        for (int i = 0; i < 1_000_000 && !seen2.containsAll(expected); i++) {
          seen2.add(watcher2.readLine(NODE_TIMEOUT.plusSeconds(10)));
        }
        seen2.addAll(Lines.barrier(watcher2, "after"));
        for (String e : expected) {
          assertEquals(1L, seen2.stream().filter(e::equals).count(), e + " exactly once on the other survivor: " + tail(seen2));
        }
        try (LineClient again = LineClient.modern(n2.localAddress(), "K1")) {
          again.send("LIST\n");
          assertEquals("OK LIST 4 watcher sender watcher2 K1", again.readLine());
        }
        for (LineClient v : victims) {
          v.close();
        }
      } finally {
        ClusterNodes.stop(n1, n2);
      }
    }
  }

  private static int broadcast(LineClient c, String prefix, AtomicBoolean stop) {
    int n = 0;
    try {
      for (; n < 100_000 && !stop.get(); n++) {
        c.send("SEND " + prefix + n + "\n");
        String reply;
        do {
          reply = c.readLine(Duration.ofSeconds(30));
        } while (!reply.startsWith("OK SEND") && !reply.startsWith("ERR") && !reply.startsWith("BYE"));
      }
    } catch (Exception | AssertionError e) {
      throw new IllegalStateException("broadcast " + prefix + " ended after " + n, e);
    }
    return n;
  }

  private static List<String> tail(List<String> seen) {
    return seen.subList(Math.max(0, seen.size() - 20), seen.size());
  }
}
