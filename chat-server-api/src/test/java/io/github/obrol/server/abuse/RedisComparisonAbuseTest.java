package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obrol.server.testing.LineClient;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The abuse scenarios that have a Redis counterpart, against a Debian {@code redis-server} started here on a
 * free loopback port without persistence: the figures of the README's Reliability section. Runs only with
 * {@code -Dobrol.abuse.redis=true} (it measures, it does not judge Obrol) and skips where redis-server is
 * absent.
 */
@Tag("abuse")
@Timeout(180)
@EnabledIfSystemProperty(named = "obrol.abuse.redis", matches = "true")
class RedisComparisonAbuseTest {
  static Process redis;
  static InetSocketAddress address;

  @BeforeAll
  static void startRedis() throws Exception {
    assumeTrue(new File("/usr/bin/redis-server").canExecute(), "redis-server is not installed (apt-get install -y redis-server)");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    // The same bound as the Obrol scenario: 128 KiB soft for 5 s, hard 4 x 128 KiB (SlowConsumerAbuseTest).
    redis = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--protected-mode", "no", "--maxclients", "15000", "--client-output-buffer-limit", "pubsub 512kb 128kb 5")
        .redirectErrorStream(true).redirectOutput(new File("target/redis-abuse.log")).start();
    address = new InetSocketAddress("127.0.0.1", port);
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (LineClient p = LineClient.connect(address)) {
        p.send("PING\r\n");
        return p.readLine().equals("+PONG\r");
      }
    });
  }

  @AfterAll
  static void stopRedis() throws InterruptedException {
    if (redis != null) {
      redis.destroy();
      if (!redis.waitFor(10, TimeUnit.SECONDS)) {
        redis.destroyForcibly();
      }
    }
  }

  static int openFiles() {
    return ProcFs.openFiles(Long.toString(redis.pid()));
  }

  static int connectedClients() throws IOException {
    try (LineClient p = LineClient.connect(address)) {
      p.send("INFO clients\r\n");
      for (int i = 0; i < 50; i++) {
        String l = p.readLine();
        if (l.startsWith("connected_clients:")) {
          return Integer.parseInt(l.substring(l.indexOf(':') + 1).trim()) - 1; // not counting this one
        }
      }
    }
    throw new IOException("no connected_clients");
  }

  @Test
  @DisplayName("Redis: a stalled subscriber among 200 (pubsub 512kb 128kb 5)")
  void slowSubscriber() throws Exception {
    int readers = 200;
    int messages = 2_000;
    String pad = "x".repeat(200);
    List<LineClient> subs = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    ProcFs.RssPeak rss = null;
    try {
      for (int i = 0; i < readers; i++) {
        LineClient p = LineClient.connect(address);
        p.send("SUBSCRIBE ch\r\n");
        subs.add(p);
      }
      for (LineClient p : subs) {
        for (int i = 0; i < 6; i++) {
          p.readLine(); // *3 $9 subscribe $2 ch :1
        }
      }
      LineClient stalled = LineClient.connect(address, "127.0.0.1", 4096);
      stalled.send("SUBSCRIBE ch\r\n");
      int before = connectedClients();
      rss = new ProcFs.RssPeak(redis.pid(), 20);
      long start = System.nanoTime();
      List<Future<Integer>> got = new ArrayList<>();
      for (LineClient p : subs) {
        got.add(pool.submit(() -> {
          int next = 1;
          for (int i = 0; i < 8 * messages && next <= messages; i++) { // 7 RESP lines per message
            String l = p.readLine(Duration.ofSeconds(30));
            if (l.equals("m" + next + " " + pad + "\r")) {
              next++;
            }
          }
          return next - 1;
        }));
      }
      try (LineClient pub = LineClient.connect(address)) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= messages; i++) {
          String payload = "m" + i + " " + pad;
          b.append("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$").append(payload.length()).append("\r\n").append(payload).append("\r\n");
          if (i % 50 == 0) {
            pub.send(b.toString());
            b.setLength(0);
          }
        }
        for (int i = 0; i < messages; i++) {
          pub.readLine(Duration.ofSeconds(30));
        }
      }
      int complete = 0;
      for (Future<Integer> f : got) {
        if (f.get(60, TimeUnit.SECONDS) == messages) {
          complete++;
        }
      }
      // Redis sets no SO_SNDBUF: the kernel's socket buffers may take all of it, and then it is never cut.
      String cut;
      try {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> connectedClients() == before - 1);
        cut = Figures.ms((System.nanoTime() - start) / 1e6);
      } catch (org.awaitility.core.ConditionTimeoutException notCut) {
        cut = "not cut within " + Figures.ms((System.nanoTime() - start) / 1e6);
      }
      rss.close();
      Figures.record("Redis 7: stalled subscriber among 200", "time to cut / subscribers with every message",
          cut + " / " + complete + " of " + readers);
      Figures.record("Redis 7: stalled subscriber among 200", "RSS before / peak / growth", rss.describe());
      stalled.close();
    } finally {
      if (rss != null) {
        rss.close();
      }
      pool.shutdownNow();
      for (LineClient p : subs) {
        p.close();
      }
    }
  }

  @Test
  @DisplayName("Redis: 64 MiB inline command without LF")
  void hugeInlineCommand() throws Exception {
    try (ProcFs.RssPeak rss = new ProcFs.RssPeak(redis.pid(), 10); LineClient p = LineClient.connect(address)) {
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'b');
      long sent = 0;
      long start = System.nanoTime();
      try {
        p.send("SET k ");
        for (int i = 0; i < 1024; i++) {
          p.output().write(chunk);
          sent += chunk.length;
        }
      } catch (IOException closed) {
        // Redis closed the connection
      }
      List<String> got = p.linesUntilEnd(Duration.ofSeconds(30));
      long closed = System.nanoTime() - start;
      rss.close();
      Figures.record("Redis 7: 64 MiB inline command without LF", "reply / bytes written before close / time to close",
          (got.isEmpty() ? "none" : got.get(0).trim()) + " / " + Figures.mib(sent) + " / " + Figures.ms(closed / 1e6));
      Figures.record("Redis 7: 64 MiB inline command without LF", "RSS before / peak / growth", rss.describe());
    }
  }

  @Test
  @DisplayName("Redis: PING flood beside 50 clients")
  void flood() throws Exception {
    List<LineClient> users = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(52);
    try {
      for (int i = 0; i < 50; i++) {
        users.add(LineClient.connect(address));
      }
      pingRedis(users, 30, pool);
      List<long[]> unloaded = new ArrayList<>();
      List<long[]> loaded = new ArrayList<>();
      for (int phase = 0; phase < 3; phase++) {
        unloaded.add(pingRedis(users, 30, pool));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong replies = new AtomicLong();
        LineClient f = LineClient.connect(address, "127.0.0.2", 0);
        Future<?> reader = pool.submit(() -> {
          byte[] buf = new byte[64 * 1024];
          InputStream in = f.socket().getInputStream();
          for (int n; (n = in.read(buf)) > 0; ) {
            replies.addAndGet(n);
          }
          return null;
        });
        Future<?> writer = pool.submit(() -> {
          byte[] pings = "PING\r\n".repeat(8192).getBytes(StandardCharsets.US_ASCII);
          for (int i = 0; i < 100_000 && !stop.get(); i++) {
            f.output().write(pings);
          }
          return null;
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> replies.get() > 200_000);
        loaded.add(pingRedis(users, 30, pool));
        stop.set(true);
        f.close();
        try {
          writer.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException closed) {
          // the socket was closed under the writer
        }
        try {
          reader.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException closed) {
          // idem
        }
      }
      long[] u = unloaded.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      long[] l = loaded.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      Figures.record("Redis 7: PING flood beside 50 clients", "p50 / p99 unloaded",
          Figures.ms(Latencies.percentileMillis(u, 50)) + " / " + Figures.ms(Latencies.percentileMillis(u, 99)));
      Figures.record("Redis 7: PING flood beside 50 clients", "p50 / p99 / max during the flood",
          Figures.ms(Latencies.percentileMillis(l, 50)) + " / " + Figures.ms(Latencies.percentileMillis(l, 99)) + " / "
              + Figures.ms(l[l.length - 1] / 1e6));
    } finally {
      pool.shutdownNow();
      for (LineClient p : users) {
        p.close();
      }
    }
  }

  private static long[] pingRedis(List<LineClient> users, int rounds, ExecutorService pool) throws Exception {
    List<Future<long[]>> all = new ArrayList<>();
    for (LineClient u : users) {
      all.add(pool.submit(() -> {
        long[] rtt = new long[rounds];
        for (int i = 0; i < rounds; i++) {
          long t = System.nanoTime();
          u.send("PING\r\n");
          assertEquals("+PONG\r", u.readLine(Duration.ofSeconds(20)));
          rtt[i] = System.nanoTime() - t;
        }
        return rtt;
      }));
    }
    List<Long> out = new ArrayList<>();
    for (Future<long[]> f : all) {
      for (long v : f.get(60, TimeUnit.SECONDS)) {
        out.add(v);
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  @Test
  @DisplayName("Redis: 3 rounds of 5,000 connections closed by RST")
  void resetStorm() throws Exception {
    int fdBefore = openFiles();
    int clientsBefore = connectedClients();
    for (int round = 1; round <= 3; round++) {
      long start = System.nanoTime();
      List<LineClient> peers = new ArrayList<>();
      try {
        for (int i = 0; i < 5_000; i++) {
          LineClient p = LineClient.connect(address, "127.0." + (10 + round) + "." + (1 + i % 5), 0);
          peers.add(p);
          p.send("PING\r\n");
        }
        for (LineClient p : peers) {
          p.expect("+PONG\r");
        }
      } finally {
        for (LineClient p : peers) {
          p.reset();
        }
      }
      long reset = System.nanoTime();
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
          .until(() -> connectedClients() == clientsBefore);
      long clean = System.nanoTime();
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
          .until(() -> openFiles() <= fdBefore + 2);
      long fdClean = System.nanoTime();
      Figures.record("Redis 7: 5,000 connections closed by RST (round " + round + ")",
          "connect time / until connected_clients back / until descriptors back",
          Figures.ms((reset - start) / 1e6) + " / " + Figures.ms((clean - reset) / 1e6) + " / " + Figures.ms((fdClean - reset) / 1e6));
    }
    Figures.record("Redis 7: 5,000 connections closed by RST", "descriptors before / after 3 rounds", fdBefore + " / " + openFiles());
  }
}
