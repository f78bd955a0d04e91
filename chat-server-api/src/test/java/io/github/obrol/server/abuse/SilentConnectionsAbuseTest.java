package io.github.obrol.server.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GEN-LIMIT-3, GEN-LIMIT-7, GEN-LIMIT-10 (issue 10, item 5): connections from one address that send nothing,
 * far past {@code maxConnections} (200) and past the server's descriptor limit. The server runs in a child
 * JVM whose descriptor limit is lowered to 1,024 ({@code ulimit -n}), so that "up to the descriptor limit" is
 * reached with 1,500 connections and its descriptors can be counted apart from the clients'. The server
 * holds at most 64 of them (the default anonymous connections per address); a new user from another
 * address logs in at once, and another once a slot frees.
 */
@Tag("abuse")
@Timeout(90)
class SilentConnectionsAbuseTest {
  static final int MAX_CONNECTIONS = 200;
  static final int FILE_LIMIT = 1_024;
  static final int SILENT = 1_500;
  /** The reference server's default of connections not yet logged in per source address (GEN-LIMIT-10). */
  static final int ANONYMOUS_PER_ADDRESS = 64;
  /** The promise of the issue: a new user logs in within a second. */
  static final Duration LOGIN_WITHIN = Duration.ofSeconds(1);
  /** Over-limit connections: SERVER_FULL within about a second, then the 2 s close grace, plus slack. */
  static final Duration OVER_LIMIT_CLOSED_WITHIN = Duration.ofSeconds(6);

  @Test
  @DisplayName("GEN-LIMIT-3 GEN-LIMIT-7 GEN-LIMIT-10: silent connections past maxConnections and the descriptor limit; a new user logs in within 1 s")
  void silentConnectionsPastEveryLimit() throws Exception {
    try (ServerProcess server = ServerProcess.start("256m", FILE_LIMIT, "maxConnections=" + MAX_CONNECTIONS)) {
      List<LineClient> silent = new ArrayList<>();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      AtomicInteger fdPeak = new AtomicInteger(server.openFiles());
      try (LineClient watch = LineClient.modern(server.address(), "f_watch"); LineClient holder = LineClient.modern(server.address(), "f_holder")) {
        sampler.scheduleAtFixedRate(() -> fdPeak.accumulateAndGet(server.openFiles(), Math::max), 0, 10, TimeUnit.MILLISECONDS);
        // Descriptors the server holds before the flood: afterwards, one more per connection it still holds.
        int filesBefore = server.openFiles();
        // The silent flood, from one address (1,500: under the per-address connection burst of 2,000).
        long floodStart = System.nanoTime();
        for (int i = 0; i < SILENT; i++) {
          try {
            silent.add(LineClient.connect(server.address(), "127.0.0.1", 0));
          } catch (IOException refused) {
            break; // the kernel's backlog is full: the flood has done what it can
          }
        }
        long floodEnd = System.nanoTime();
        // Right after the flood, a new user from another address logs in within a second (the bound;
        // before the per-address anonymous cap, the flood held every slot for the 30 s login timeout).
        long firstStart = System.nanoTime();
        String first = loginWithin(server, "127.0.0.3", "f_first", LOGIN_WITHIN);
        long firstNanos = System.nanoTime() - firstStart;
        Figures.record("1,500 silent connections (maxConnections 200, ulimit -n 1024)",
            "a new user's login (another address) right after the flood took", Figures.ms(firstNanos / 1e6) + " (" + first + ")");
        assertEquals("OK LOGIN f_first", first, "the new user's login right after the flood");
        assertTrue(firstNanos <= LOGIN_WITHIN.toNanos(), "login right after the flood took " + firstNanos / 1_000_000 + " ms");
        for (LineClient user : List.of(watch, holder)) {
          user.expectSkippingJoins("JOIN f_first"); // the watcher also hears f_holder join
          user.expect("LEFT f_first DISCONNECTED"); // loginWithin closes without QUIT
        }
        // Every connection past the cap is closed at accept, or told SERVER_FULL (classic text: the dialect is
        // undecided); at most 64 hold their slots until the login timeout.
        long deadline = floodEnd + OVER_LIMIT_CLOSED_WITHIN.toNanos();
        int told = 0;
        int cut = 0;
        int open = 0;
        for (LineClient p : silent) {
          List<String> got;
          try {
            got = p.linesUntilEnd(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
          } catch (AssertionError stillOpen) {
            open++;
            continue;
          }
          if (got.isEmpty()) {
            cut++;
          } else if (got.size() == 1 && got.get(0).startsWith("\rserver full")) {
            told++;
          } else {
            throw new AssertionError("an over-limit connection got " + got.stream().map(LineClient::escape).toList());
          }
        }
        sampler.shutdownNow();
        int heldByServer = server.openFiles() - filesBefore;
        Figures.record("1,500 silent connections (maxConnections 200, ulimit -n 1024)",
            "connected / told SERVER_FULL / closed at accept / still open / server descriptors at peak",
            silent.size() + " / " + told + " / " + cut + " / " + open + " / " + fdPeak.get());
        Figures.record("1,500 silent connections (maxConnections 200, ulimit -n 1024)", "flood took",
            Figures.ms((floodEnd - floodStart) / 1e6));
        // The server holds at most 64 (its own descriptors say so). The client may count one or two more as open:
        // when a flood overflows the kernel's accept queue, the handshake's last ACK is dropped, the client's side
        // is established while the server's kernel still waits to resend its SYN-ACK (after 1, 3, 7 s), and the
        // server accepts (and closes) such a connection only then, possibly after this deadline. CI saw 65 once.
        assertTrue(heldByServer <= ANONYMOUS_PER_ADDRESS,
            "the server holds " + heldByServer + " more descriptors after the flood than before (at most "
                + ANONYMOUS_PER_ADDRESS + " silent connections from one address)");
        assertTrue(open <= ANONYMOUS_PER_ADDRESS + 8,
            open + " silent connections from one address still open (the server holds at most " + ANONYMOUS_PER_ADDRESS
                + "; a few more may wait in the kernel's handshake)");
        assertTrue(fdPeak.get() < FILE_LIMIT, "the server reached its descriptor limit: " + fdPeak.get());
        // A slot frees: the holder quits; its departure is the in-band signal.
        holder.send("QUIT\n");
        holder.expect("OK QUIT");
        assertEquals(List.of(), holder.linesUntilEnd(Duration.ofSeconds(5)));
        watch.expectSkippingJoins("LEFT f_holder QUIT");
        long start = System.nanoTime();
        String result = loginWithin(server, "127.0.0.4", "f_new", LOGIN_WITHIN);
        long loginNanos = System.nanoTime() - start;
        Figures.record("1,500 silent connections (maxConnections 200, ulimit -n 1024)", "a new user's login took",
            Figures.ms(loginNanos / 1e6) + " (" + result + ")");
        assertEquals("OK LOGIN f_new", result, "the new user's login");
        assertTrue(loginNanos <= LOGIN_WITHIN.toNanos(), "login took " + loginNanos / 1_000_000 + " ms");
      } finally {
        sampler.shutdownNow();
        for (LineClient p : silent) {
          p.close();
        }
      }
    }
  }

  /** Connects from {@code source} and logs in as {@code name}; returns the reply, or what happened instead, within {@code wait}. */
  private static String loginWithin(ServerProcess server, String source, String name, Duration wait) {
    try (LineClient p = LineClient.connect(server.address(), source, 0)) {
      p.send("LOGIN " + name + "\n");
      String reply = p.lineOrEnd(wait);
      return reply != null ? reply : "closed";
    } catch (IOException | AssertionError e) {
      return "no answer: " + e.getMessage();
    }
  }
}
