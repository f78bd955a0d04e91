package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.ServerObserver;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket-level regression tests of issue 10's numbered items 1, 2, 3 and 6, each of which failed against
 * commit b1be41d (see the README's Reliability section for which did).
 */
@Tag("abuse")
@Timeout(90)
class RegressionAbuseTest {

  /** Makes each PING 47 bytes or so, as a client's correlation id would. */
  private static final String TOKEN = "-0123456789abcdef0123456789abcdef01234567";

  private static ChatServer start(ChatServer.Builder b) {
    ChatServer server = b.bindAddress("127.0.0.1").port(0).build();
    server.start().join();
    return server;
  }

  @Test
  @DisplayName("item 1, GEN-DELIVER-2: every OK SENDTO to a user who quits at the same moment was delivered to it")
  void acknowledgedPrivateMessagesAreDelivered() throws Exception {
    // Idle bystanders make each departure's leave fan-out longer, which widens the race of b1be41d.
    ChatServer server = start(ChatServer.builder().ioThreads(4));
    InetSocketAddress address = server.localAddress();
    int pairs = 4;
    int iterations = 150;
    int burst = 60;
    List<LineClient> bystanders = LineClient.modernMany(address, "idle", 50);
    ExecutorService pool = Executors.newFixedThreadPool(pairs);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int k = 0; k < pairs; k++) {
        int pair = k;
        results.add(pool.submit(() -> race(address, pair, iterations, burst)));
      }
      int acknowledged = 0;
      int refused = 0;
      for (Future<int[]> f : results) {
        int[] r = f.get(80, TimeUnit.SECONDS);
        acknowledged += r[0];
        refused += r[1];
      }
      Figures.record("SENDTO racing the recipient's QUIT", "OK SENDTO (all delivered) / NO_SUCH_USER",
          acknowledged + " / " + refused);
    } finally {
      pool.shutdownNow();
      for (LineClient p : bystanders) {
        p.close();
      }
      server.close();
    }
  }

  /** One sender; per iteration a fresh recipient that quits while a burst of SENDTOs is on its way. */
  private static int[] race(InetSocketAddress address, int pair, int iterations, int burst) throws Exception {
    int ok = 0;
    int refused = 0;
    try (LineClient sender = LineClient.modern(address, "snd" + pair)) {
      for (int it = 0; it < iterations; it++) {
        String target = "t" + pair + "_" + it;
        LineClient t = LineClient.connect(address);
        t.send("LOGIN " + target + "\n");
        t.expectSkippingJoins("OK LOGIN " + target);
        StringBuilder b = new StringBuilder();
        for (int m = 0; m < burst; m++) {
          b.append("SENDTO ").append(target).append(" m").append(m).append('\n');
        }
        sender.send(b.toString());
        t.send("QUIT\n");
        Set<String> received = new HashSet<>();
        for (String l : t.linesUntilEnd(Duration.ofSeconds(10))) {
          if (l.startsWith("PRIV snd" + pair + " ")) {
            received.add(l.substring(l.lastIndexOf(' ') + 1));
          }
        }
        t.close();
        for (int m = 0, seen = 0; m < burst && seen < 10 * burst; seen++) {
          String l = sender.readLine();
          if (l.equals("OK SENDTO " + target)) {
            assertTrue(received.contains("m" + m), target + ": OK SENDTO for m" + m + " but it never arrived; got " + received.size());
            ok++;
            m++;
          } else if (l.startsWith("ERR NO_SUCH_USER ")) {
            refused++;
            m++;
          } else if (!l.startsWith("JOIN ") && !l.startsWith("LEFT ")) {
            throw new AssertionError(target + ": sender got " + l);
          }
        }
      }
    }
    return new int[] {ok, refused};
  }

  @Test
  @DisplayName("item 2, GEN-LIMIT-11: QUIT or a half-close with an unread backlog is closed by the server")
  void quitWithUnreadBacklogIsClosed() throws Exception {
    // A small kernel send buffer keeps the backlog in the server's own outbound buffer, as over a real network.
    ChatServer server = start(ChatServer.builder().socketSendBuffer(16 * 1024));
    InetSocketAddress address = server.localAddress();
    try (LineClient quitter = LineClient.modern(address, "q_backlog", 4096);
        LineClient halfCloser = LineClient.modern(address, "h_backlog", 4096);
        LineClient sender = LineClient.modern(address, "q_sender")) {
      // About 400 KB of events that neither reads: under the 1 MiB bound, so neither is a slow consumer.
      String text = "y".repeat(190);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 2_000; i++) {
        b.append("SEND ").append(text).append('\n');
      }
      sender.send(b.toString());
      for (int i = 0; i < 2_000; i++) {
        sender.expectSkippingJoins("OK SEND");
      }
      int quitterPort = quitter.socket().getLocalPort();
      int halfPort = halfCloser.socket().getLocalPort();
      quitter.send("QUIT\n");
      halfCloser.socket().shutdownOutput();
      long start = System.nanoTime();
      // Both are gone from the server's open connections, although neither ever reads (bounded wait).
      Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50)).until(() ->
          server.sessions().stream().noneMatch(s -> s.remoteAddress().getPort() == quitterPort || s.remoteAddress().getPort() == halfPort));
      Figures.record("QUIT / half-close with ~400 KB unread", "closed by the server after", Figures.ms((System.nanoTime() - start) / 1e6));
    } finally {
      server.close();
    }
  }

  @Test
  @DisplayName("item 3: shutdown completes within its timeout with a blocked observer and 70,000 SENDs")
  void shutdownWithBlockedObserver() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ServerObserver blocking = new ServerObserver() {
      @Override
      public void onMessage(InboundMessage message, int deliveries) {
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    ChatServer server = start(ChatServer.builder().rateLimit(0, 1).addObserver(blocking));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (LineClient sender = LineClient.modern(server.localAddress(), "obs_sender")) {
      int sends = 70_000;
      Future<Integer> replies = pool.submit(() -> {
        int ok = 0;
        for (int i = 0; i < sends; i++) {
          if (sender.readLine().equals("OK SEND")) {
            ok++;
          }
        }
        return ok;
      });
      byte[] batch = "SEND z\n".repeat(1_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < sends / 1_000; i++) {
        sender.send(batch);
      }
      assertEquals(sends, replies.get(60, TimeUnit.SECONDS));
      long start = System.nanoTime();
      try {
        // The promise: within the timeout (2 s) plus a second; 5 s leaves room for a loaded machine.
        server.shutdownGracefully(Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("shutdownGracefully(2 s) did not complete within 5 s");
      }
      Figures.record("shutdown with a blocked observer after 70,000 SENDs", "shutdownGracefully(2 s) completed after",
          Figures.ms((System.nanoTime() - start) / 1e6));
    } finally {
      release.countDown();
      pool.shutdownNow();
      try {
        server.shutdownGracefully(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS); // b1be41d never completes it
      } catch (TimeoutException stillHanging) {
        // reported above
      }
    }
  }

  @Test
  @DisplayName("item 6, GEN-LIMIT-8: a client reading continuously while pipelining 50,000 PINGs is never cut")
  void pipelinedPingsWhileReading() throws Exception {
    // An 8 KiB kernel send buffer (as a long-distance link would fill) makes replies wait in the server, and
    // a 64 KiB bound is soon reached: a client that keeps reading must not be cut whatever the bound.
    ChatServer server = start(ChatServer.builder().socketSendBuffer(8 * 1024).maxOutboundBytes(64 * 1024));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (LineClient p = LineClient.modern(server.localAddress(), "pinger")) {
      int pings = 50_000;
      Future<int[]> replies = pool.submit(() -> {
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < pings; i++) {
          String l = p.readLine(Duration.ofSeconds(20));
          if (l.equals("OK PING " + i + TOKEN)) {
            ok++;
          } else if (l.startsWith("ERR RATE_LIMITED ")) {
            limited++; // allowed by GEN-LIMIT-4, though not a cut
          } else {
            throw new AssertionError("reply " + i + ": " + l);
          }
        }
        return new int[] {ok, limited};
      });
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < pings; i++) {
        b.append("PING ").append(i).append(TOKEN).append('\n');
      }
      p.send(b.toString());
      int[] r = replies.get(60, TimeUnit.SECONDS);
      assertEquals(pings, r[0] + r[1]);
      p.send("PING still-here\n");
      p.expect("OK PING still-here");
      Figures.record("50,000 pipelined PINGs, reading continuously", "OK PING / RATE_LIMITED / cut", r[0] + " / " + r[1] + " / no");
    } finally {
      pool.shutdownNow();
      server.close();
    }
  }

  @Test
  @DisplayName("item 6, GEN-LIMIT-8: 50 readers that keep reading are never cut by a fast broadcaster")
  void fastBroadcasterDoesNotCutReaders() throws Exception {
    // A 64 KiB kernel send buffer (as a long-distance link would fill) makes events wait in the server, and
    // a 64 KiB bound is soon reached: readers that keep reading must not be cut whatever the bound.
    ChatServer server = start(ChatServer.builder().socketSendBuffer(64 * 1024).maxOutboundBytes(64 * 1024));
    InetSocketAddress address = server.localAddress();
    int readers = 50;
    int messages = 10_000;
    String text = "w".repeat(150);
    ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
    List<LineClient> peers = LineClient.modernMany(address, "rd", readers);
    try (LineClient sender = LineClient.modern(address, "fast")) {
      List<Future<Integer>> got = new ArrayList<>();
      for (LineClient r : peers) {
        got.add(pool.submit(() -> {
          int next = 1;
          for (int i = 0; i < messages + readers + 1 && next <= messages; i++) {
            String l = r.readLine(Duration.ofSeconds(30));
            if (l.equals("MSG fast " + next + " " + text)) {
              next++;
            } else if (!l.startsWith("JOIN ")) {
              throw new AssertionError("expected message " + next + " but got " + (l.length() > 60 ? l.substring(0, 60) : l));
            }
          }
          return next - 1;
        }));
      }
      Future<Integer> replies = pool.submit(() -> {
        int ok = 0;
        for (int i = 0; i < messages + readers && ok < messages; i++) {
          String l = sender.readLine(Duration.ofSeconds(30));
          if (l.equals("OK SEND")) {
            ok++;
          } else if (!l.startsWith("JOIN ")) {
            throw new AssertionError("sender got " + l);
          }
        }
        return ok;
      });
      long start = System.nanoTime();
      StringBuilder b = new StringBuilder();
      for (int i = 1; i <= messages; i++) {
        b.append("SEND ").append(i).append(' ').append(text).append('\n');
        if (i % 500 == 0) {
          sender.send(b.toString());
          b.setLength(0);
        }
      }
      assertEquals(messages, replies.get(60, TimeUnit.SECONDS));
      for (Future<Integer> f : got) {
        assertEquals(messages, f.get(60, TimeUnit.SECONDS));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Figures.record("fast broadcaster, 50 readers reading", "deliveries per second / readers cut",
          String.format("%.0f /s / 0", readers * messages / seconds));
    } finally {
      pool.shutdownNow();
      for (LineClient p : peers) {
        p.close();
      }
      server.close();
    }
  }

}
