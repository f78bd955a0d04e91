package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GEN-LINE-2, GEN-LINE-5, FR-LINE-2: a 1 MiB line and a 64 MiB stream without LF, in both dialects, against
 * a server in a child JVM whose resident memory is measured. The server's default maximum line is 4096
 * bytes.
 */
@Tag("abuse")
@Timeout(90)
class LongLinesAbuseTest {
  static final int MIB = 1 << 20;
  /**
   * Bound of the server's RSS growth while it discards 64 MiB: it holds at most one maximum line per
   * connection plus its read buffers; 32 MiB is generous and still catches a server that buffers half of a
   * stream.
   */
  static final long RSS_GROWTH_BOUND = 32L << 20;

  static ServerProcess server;
  static LineClient watchModern;
  static LineClient watchClassic;

  @BeforeAll
  static void start() throws IOException {
    server = ServerProcess.start("256m", 0);
    watchModern = LineClient.modern(server.address(), "l_watch");
    watchClassic = LineClient.classic(server.address(), "l_watchc");
    watchModern.expect("JOIN l_watchc");
  }

  @AfterAll
  static void stop() throws IOException {
    watchModern.close();
    watchClassic.close();
    server.close();
  }

  @Test
  @DisplayName("GEN-LINE-2: a 1 MiB modern line is answered LINE_TOO_LONG once; the connection stays usable")
  void oneMebibyteModernLine() throws IOException {
    drainWatchers();
    try (LineClient p = LineClient.modern(server.address(), "l_mod1")) {
      byte[] line = lineOf("SEND ", MIB, true);
      p.send(line);
      p.send("PING after\n");
      String err = p.readLine();
      assertTrue(err.startsWith("ERR LINE_TOO_LONG "), err);
      p.expect("OK PING after");
      assertEquals(List.of("JOIN l_mod1"), watchModern.modernBarrier(), "nothing of the long line reached anyone");
    }
    awaitLeaves("l_mod1");
  }

  @Test
  @DisplayName("GEN-LINE-2 CL-FRAME-1: a 1 MiB classic line is answered \"line too long\" once; the connection stays usable")
  void oneMebibyteClassicLine() throws IOException {
    drainWatchers();
    try (LineClient p = LineClient.classic(server.address(), "l_cls1")) {
      p.send(lineOf("l_cls1 says sendall ", MIB, true));
      List<String> before = p.classicBarrier("l_cls1");
      assertEquals(1, before.size(), "one error: " + before);
      assertTrue(before.get(0).startsWith("\rline too long"), LineClient.escape(before.get(0)));
      assertEquals(List.of("\rl_cls1 sudah terhubung dengan system"), watchClassic.classicBarrier("l_watchc"));
    }
    awaitLeaves("l_cls1");
  }

  @Test
  @DisplayName("GEN-LINE-5 FR-LINE-2: 64 MiB without LF, modern and classic: LINE_TOO_LONG, closed after 1 MiB discarded, RSS bounded")
  void sixtyFourMebibytesWithoutLf() throws Exception {
    LineClient modern = LineClient.modern(server.address(), "l_mod64");
    LineClient classic = LineClient.classic(server.address(), "l_cls64");
    drainWatchers();
    ProcFs.RssPeak rss = new ProcFs.RssPeak(server.pid(), 10);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      long start = System.nanoTime();
      Future<Long> modernSent = pool.submit(() -> stream(modern, "SEND "));
      Future<Long> classicSent = pool.submit(() -> stream(classic, "l_cls64 says sendall "));
      // Both attackers are users: the other's join and leave are not replies (MD-EVENT-2).
      List<String> modernLines = modern.linesUntilEnd(Duration.ofSeconds(30)).stream()
          .filter(l -> !l.startsWith("JOIN ") && !l.startsWith("LEFT ")).toList();
      long modernClosed = System.nanoTime() - start;
      List<String> classicLines = classic.linesUntilEnd(Duration.ofSeconds(30)).stream()
          .filter(l -> !l.endsWith(" sudah terhubung dengan system") && !l.endsWith(") off")).toList();
      long classicClosed = System.nanoTime() - start;
      long mSent = modernSent.get(30, TimeUnit.SECONDS);
      long cSent = classicSent.get(30, TimeUnit.SECONDS);
      rss.close();
      long growth = rss.growth();
      Figures.record("64 MiB without LF (modern)", "bytes written before the server closed / time to close",
          Figures.mib(mSent) + " / " + Figures.ms(modernClosed / 1e6));
      Figures.record("64 MiB without LF (classic)", "bytes written before the server closed / time to close",
          Figures.mib(cSent) + " / " + Figures.ms(classicClosed / 1e6));
      Figures.record("64 MiB without LF (both at once)", "server RSS before / peak / growth",
          rss.describe());
      assertTrue(modernLines.size() >= 1 && modernLines.get(0).startsWith("ERR LINE_TOO_LONG "), "modern: " + modernLines);
      assertTrue(modernLines.stream().skip(1).allMatch(l -> l.startsWith("BYE LINE_TOO_LONG ")), "modern: " + modernLines);
      assertTrue(classicLines.size() >= 1 && classicLines.stream().allMatch(l -> l.startsWith("\rline too long")),
          "classic: " + classicLines.stream().map(LineClient::escape).toList());
      assertTrue(mSent < 64L * MIB && cSent < 64L * MIB, "closed before the stream ended: " + mSent + ", " + cSent);
      assertTrue(growth <= RSS_GROWTH_BOUND, "server RSS grew by " + Figures.mib(growth));
      // Others unaffected: the two departures, nothing else.
      awaitLeaves("l_mod64", "l_cls64");
    } finally {
      rss.close();
      pool.shutdownNow();
      modern.close();
      classic.close();
    }
  }

  /**
   * Waits until both watchers have heard that each of {@code names} departed as DISCONNECTED, exactly once,
   * and nothing else but their joins (the departures are asynchronous to the client's close).
   */
  private static void awaitLeaves(String... names) throws IOException {
    List<String> modern = new java.util.ArrayList<>();
    List<String> classic = new java.util.ArrayList<>();
    List<String> joins = new java.util.ArrayList<>();
    for (String n : names) {
      joins.add("JOIN " + n);
      joins.add("\r" + n + " sudah terhubung dengan system");
    }
    for (int i = 0; i < 4 * names.length && modern.size() < names.length; i++) {
      String l = watchModern.readLine();
      if (!joins.contains(l)) {
        modern.add(l);
      }
    }
    for (int i = 0; i < 4 * names.length && classic.size() < names.length; i++) {
      String l = watchClassic.readLine();
      if (!joins.contains(l)) {
        classic.add(l);
      }
    }
    modern.addAll(watchModern.modernBarrier());
    classic.addAll(watchClassic.classicBarrier("l_watchc"));
    assertEquals(java.util.Arrays.stream(names).map(n -> "LEFT " + n + " DISCONNECTED").sorted().toList(), modern.stream().sorted().toList());
    assertEquals(java.util.Arrays.stream(names).map(n -> "\r(" + n + ") off").sorted().toList(), classic.stream().sorted().toList());
  }

  /** Reads and drops what the watchers were sent so far (the joins and leaves of earlier tests). */
  private static void drainWatchers() throws IOException {
    watchModern.modernBarrier();
    watchClassic.classicBarrier("l_watchc");
  }

  /** {@code prefix} then filler up to {@code total} bytes, then an LF if {@code terminated}. */
  private static byte[] lineOf(String prefix, int total, boolean terminated) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[total + (terminated ? 1 : 0)];
    Arrays.fill(line, (byte) 'a');
    System.arraycopy(p, 0, line, 0, p.length);
    if (terminated) {
      line[total] = '\n';
    }
    return line;
  }

  /** Writes {@code prefix} and 64 MiB of filler without LF; returns the bytes written before the peer closed. */
  private static long stream(LineClient p, String prefix) {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'b');
    long sent = 0;
    try {
      p.send(prefix);
      for (int i = 0; i < 1024; i++) {
        p.output().write(chunk);
        sent += chunk.length;
      }
      p.output().flush();
    } catch (IOException closedByServer) {
      // expected: the server closed the connection
    }
    return sent;
  }
}
