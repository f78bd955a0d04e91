package io.github.obrol.server.internal;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.server.Interception;
import io.github.obrol.server.internal.SessionHarness.Conn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The server MUST rules of both dialects, checked on {@link Session} without sockets: byte chunks in, a
 * fake clock, {@link LocalRouter} between sessions. Expected bytes are literals from PROTOCOL.md.
 */
class SessionTest {
  private final SessionHarness h = new SessionHarness();

  private static String repeat(String s, int n) {
    return s.repeat(n);
  }

  @Nested
  @DisplayName("general rules")
  class General {
    @Test
    @DisplayName("GEN-NAME-1: invalid names are refused with INVALID_NAME, valid ones accepted")
    void genName1_nameSyntax() {
      Conn m = h.connect();
      m.send("LOGIN -dash\nLOGIN " + repeat("a", 33) + "\nLOGIN caf\u00e9\n");
      String out = m.take();
      assertEquals(3, out.split("\n").length, out);
      for (String line : out.split("\n")) {
        assertTrue(line.startsWith("ERR INVALID_NAME "), line);
      }
      m.send("LOGIN _a.b-" + repeat("c", 27) + "\n");
      assertEquals("OK LOGIN _a.b-" + repeat("c", 27) + "\n", m.take());
      Conn c = h.connect();
      c.send("9x.y says 9x.y\n");
      assertEquals("", c.take());
    }

    @Test
    @DisplayName("GEN-NAME-2 GEN-NAME-4: names are unique ignoring case; NAME_TAKEN keeps the connection anonymous and open")
    void genName2_genName4_uniqueIgnoringCase() {
      h.modern("Alice");
      Conn m = h.connect();
      m.send("LOGIN ALICE\n");
      assertTrue(m.take().startsWith("ERR NAME_TAKEN "));
      m.send("LIST\n");
      assertTrue(m.take().startsWith("ERR NOT_LOGGED_IN "));
      m.send("LOGIN alice2\n");
      assertEquals("OK LOGIN alice2\n", m.take());
      assertEquals(0, m.closes);
      m.send("LIST\n");
      assertEquals("OK LIST 2 Alice alice2\n", m.take(), "shown as logged in");
    }

    @Test
    @DisplayName("GEN-NAME-3: reserved words are invalid names in any case")
    void genName3_reserved() {
      Conn m = h.connect();
      m.send("LOGIN SaYs\nLOGIN bye\n");
      String[] lines = m.take().split("\n");
      assertTrue(lines[0].startsWith("ERR INVALID_NAME "));
      assertTrue(lines[1].startsWith("ERR INVALID_NAME "));
      Conn c = h.connect();
      c.send("list says list\n");
      assertEquals("\rinvalid name\n", c.take(), "CL-LOGIN-1 is checked first, then the name");
    }

    @Test
    @DisplayName("GEN-NAME-5: a departed user's name is free before anyone sees the leave notice")
    void genName5_nameFreedBeforeNotice() {
      Conn watcher = h.modern("watcher");
      Conn a = h.modern("bob");
      watcher.take();
      a.send("QUIT\n");
      assertEquals("LEFT bob QUIT\n", watcher.take());
      Conn again = h.connect();
      again.send("LOGIN bob\n");
      assertEquals("OK LOGIN bob\n", again.take());
    }

    @Test
    @DisplayName("GEN-TEXT-1 GEN-TEXT-2: malformed UTF-8 and control characters get INVALID_ENCODING; the connection stays usable")
    void genText1_genText2_encoding() {
      Conn m = h.modern("enc");
      m.send(new byte[] {'S', 'E', 'N', 'D', ' ', (byte) 0xC0, (byte) 0xAF, '\n'});
      m.send("SEND a\u0001b\nSEND a\rb\nPING\n");
      String[] lines = m.take().split("\n");
      assertTrue(lines[0].startsWith("ERR INVALID_ENCODING "), lines[0]);
      assertTrue(lines[1].startsWith("ERR INVALID_ENCODING "), lines[1]);
      assertTrue(lines[2].startsWith("ERR INVALID_ENCODING "), lines[2]);
      assertEquals("OK PING", lines[3]);
      Conn c = h.classic("cenc");
      c.send(new byte[] {'c', 'e', 'n', 'c', ' ', 's', 'a', 'y', 's', ' ', 's', 'e', 'n', 'd', 'a', 'l', 'l', ' ', (byte) 0xFF, '\n'});
      assertEquals("\rinvalid encoding\n", c.take());
    }

    @Test
    @DisplayName("GEN-TEXT-3: an empty or blank text is INVALID_COMMAND in both dialects")
    void genText3_emptyText() {
      Conn m = h.modern("txt");
      m.send("SEND    \n");
      assertTrue(m.take().startsWith("ERR INVALID_COMMAND "));
      Conn c = h.classic("ctxt");
      c.send("ctxt says sendall   \n");
      assertEquals("\rinvalid command\n", c.take());
    }

    @Test
    @DisplayName("GEN-LINE-1 GEN-LINE-2 FR-LINE-2: a line of the maximum is accepted; a longer one gets LINE_TOO_LONG once and is dropped up to LF")
    void genLine1_genLine2_frLine2() {
      SessionHarness small = new SessionHarness(b -> b.maxLineLength(16));
      Conn m = small.connect();
      m.send("PING " + repeat("t", 11) + "\n"); // 16 bytes
      assertEquals("OK PING " + repeat("t", 11) + "\n", m.take());
      m.send("PING " + repeat("t", 100));
      m.send(repeat("u", 100));
      assertTrue(m.take().startsWith("ERR LINE_TOO_LONG "), "answered as soon as the limit is passed");
      m.send("x\nPING ok\n");
      assertEquals("OK PING ok\n", m.take());
    }

    @Test
    @DisplayName("GEN-LINE-3 GEN-LINE-6: a modern user list that would pass 1 MiB is cut to the oldest users, with a NOTICE before it")
    @Verifies("GEN-LINE-6")
    void genLine3_genLine6_listCut() {
      SessionHarness big = new SessionHarness(b -> b.rateLimit(0, 1));
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 40_000; i++) {
        names.add(String.format("user%028d", i)); // 32 characters
      }
      Router many = new ForwardingRouter(big.router) {
        @Override
        public void list(Member member, java.util.function.Consumer<List<String>> done) {
          List<String> all = new ArrayList<>(names);
          all.add(member.name());
          done.accept(all);
        }
      };
      Conn m = conn(big, many);
      m.send("LOGIN asker\n");
      m.take();
      m.send("LIST\n");
      String out = m.take();
      String[] lines = out.split("\n");
      assertEquals(2, lines.length);
      assertTrue(lines[0].startsWith("NOTICE list truncated: "), lines[0]);
      assertTrue(lines[1].startsWith("OK LIST "));
      assertTrue(lines[1].length() + 1 <= 1_048_576, "frame " + lines[1].length());
      String[] listed = lines[1].split(" ");
      int count = Integer.parseInt(listed[2]);
      assertEquals(listed.length - 3, count, "the count is the number of names listed");
      assertEquals(names.get(0), listed[3], "oldest first");
      assertEquals("NOTICE list truncated: " + (40_001 - count) + " more users not shown", lines[0]);
      Conn c = conn(big, many);
      c.send("casker says casker\ncasker says list\n");
      String classic = c.take();
      assertTrue(classic.startsWith("\rlist yang online\nuser"));
      assertEquals(1 + 40_001, classic.split("\n").length, "classic lines are short frames: the list is complete");
    }

    @Test
    @DisplayName("GEN-LINE-5: more than 1 MiB of over-long line in a row closes the connection (modern BYE LINE_TOO_LONG, classic text)")
    void genLine5_garbageBudget() {
      Conn m = h.modern("garbage");
      byte[] chunk = repeat("a", 64 * 1024).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 15; i++) {
        m.send(chunk);
      }
      assertTrue(m.take().startsWith("ERR LINE_TOO_LONG "));
      assertEquals(0, m.closes, "960 KiB is within the budget");
      for (int i = 0; i < 2; i++) {
        m.send(chunk);
      }
      assertTrue(m.take().startsWith("BYE LINE_TOO_LONG "));
      assertEquals(1, m.closes);
      Conn c = h.connect();
      c.send("x says ");
      for (int i = 0; i < 17; i++) {
        c.send(chunk);
      }
      assertEquals("\rline too long\n\rline too long\n", c.take());
      assertEquals(1, c.closes);
    }

    @Test
    @DisplayName("GEN-DIALECT-1: the first token decides; a prefix of a modern verb waits; classic otherwise")
    void genDialect1_detection() {
      Conn m = h.connect();
      m.send("PI");
      assertEquals(null, m.session.dialect());
      m.send("NG x\n");
      assertEquals(Dialect.MODERN, m.session.dialect());
      assertEquals("OK PING x\n", m.take());
      Conn c = h.connect();
      c.send("ping says hi\n");
      assertEquals(Dialect.CLASSIC, c.session.dialect(), "lower-case verb: classic");
      Conn d = h.connect();
      d.send("LOGINX");
      assertEquals(Dialect.CLASSIC, d.session.dialect(), "can no longer be a verb");
    }

    @Test
    @DisplayName("GEN-DIALECT-2 GEN-JOIN-1 GEN-LEAVE-1: one user list for both dialects; joins and leaves go to every other user in its dialect")
    void genDialect2_crossDialect() {
      Conn m = h.modern("mod");
      Conn anon = h.connect();
      anon.send("PING\n");
      anon.take();
      Conn c = h.classic("cla");
      assertEquals("JOIN cla\n", m.take());
      assertEquals("", c.take(), "not to the user itself");
      Conn m2 = h.modern("mod2");
      assertEquals("\rmod2 sudah terhubung dengan system\n", c.take());
      assertEquals("JOIN mod2\n", m.take());
      m2.send("QUIT bye all\n");
      assertEquals("LEFT mod2 QUIT bye all\n", m.take());
      assertEquals("\r(mod2) off\n", c.take());
      assertEquals("", anon.take(), "anonymous connections get no events");
      c.send("cla says list\n");
      assertEquals("\rlist yang online\nmod is online \ncla is online \n", c.take());
    }

    @Test
    @DisplayName("GEN-DIALECT-3: an unserved dialect gets UNSUPPORTED_DIALECT in its own dialect and a close")
    void genDialect3_unserved() {
      SessionHarness modernOnly = new SessionHarness(b -> b.dialects(Set.of(Dialect.MODERN)));
      Conn c = modernOnly.connect();
      c.send("x says x\n");
      assertEquals("\runsupported dialect\n", c.take());
      assertEquals(1, c.closes);
      SessionHarness classicOnly = new SessionHarness(b -> b.dialects(Set.of(Dialect.CLASSIC)));
      Conn m = classicOnly.connect();
      m.send("PING\n");
      String out = m.take();
      assertTrue(out.startsWith("ERR UNSUPPORTED_DIALECT "), out);
      assertTrue(out.contains("\nBYE UNSUPPORTED_DIALECT "), out);
      assertEquals(1, m.closes);
    }

    @Test
    @DisplayName("GEN-DELIVER-1 GEN-DELIVER-3: a broadcast reaches every other logged-in user once, attributed to the sender's login name")
    void genDeliver1_genDeliver3_broadcast() {
      Conn a = h.modern("a1");
      Conn b = h.modern("b1");
      Conn c = h.classic("c1");
      Conn anon = h.connect();
      anon.send("PING\n");
      anon.take();
      a.take();
      b.take();
      a.send("SEND hi  there\n");
      assertEquals("OK SEND\n", a.take());
      assertEquals("MSG a1 hi  there\n", b.take());
      assertEquals("\ra1 says hi  there \n", c.take());
      assertEquals("", anon.take());
      c.send("c1 says sendall from   classic\n");
      assertEquals("MSG c1 from classic\n", a.take());
      assertEquals("", c.take(), "CL-SENDALL-1: the sender receives nothing");
    }

    @Test
    @DisplayName("GEN-DELIVER-2 GEN-LIMIT-13: a private message reaches exactly its addressee (itself allowed); OK SENDTO names it as it logged in")
    void genDeliver2_private() {
      Conn a = h.modern("pa");
      Conn b = h.modern("Pb");
      Conn c = h.modern("pc");
      a.take();
      b.take();
      a.send("SENDTO pB psst\n");
      assertEquals("OK SENDTO Pb\n", a.take());
      assertEquals("PRIV pa psst\n", b.take());
      assertEquals("", c.take());
      a.send("SENDTO pa me\n");
      assertEquals("PRIV pa me\nOK SENDTO pa\n", a.take(), "the event before the reply (GEN-ORDER-3)");
      assertEquals(5, h.metrics.deliveries.sum(), "3 join notices, 2 private messages: only queued events count");
    }

    @Test
    @DisplayName("GEN-LIMIT-13: a recipient that departed or is closing is NO_SUCH_USER, and nothing is counted as delivered")
    void genLimit13_noSilentDrop() {
      Conn a = h.modern("sender");
      FakeMember closing = new FakeMember(99, "closing");
      h.router.login(closing, "closing", ok -> {});
      assertEquals("JOIN closing\n", a.take());
      closing.accepting = false;
      long before = h.metrics.deliveries.sum();
      a.send("SENDTO closing hi\n");
      assertTrue(a.take().startsWith("ERR NO_SUCH_USER "));
      assertEquals(before, h.metrics.deliveries.sum());
      Conn b = h.modern("gone");
      b.send("QUIT\n");
      a.take();
      a.send("SENDTO gone hi\n");
      assertTrue(a.take().startsWith("ERR NO_SUCH_USER "));
    }

    @Test
    @DisplayName("GEN-LEAVE-2: on shutdown every connection is told SHUTTING_DOWN; no leave notices")
    void genLeave2_shutdown() {
      Conn a = h.modern("sa");
      Conn c = h.classic("sc");
      a.take();
      h.shuttingDown = true;
      c.session.shutdown();
      a.session.shutdown();
      assertEquals("BYE SHUTTING_DOWN the server is shutting down\n", a.take());
      assertEquals("\rserver shutting down\n", c.take());
      assertEquals(1, a.closes);
      assertEquals(1, c.closes);
    }

    @Test
    @DisplayName("GEN-LIST-1 MD-LIST-1 CL-LIST-1: the list names every user once, in order of login, and no anonymous connection")
    void genList1_order() {
      Conn z = h.modern("zed");
      h.classic("amy");
      h.connect().send("PING\n");
      z.send("LIST\n");
      assertEquals("JOIN amy\nOK LIST 2 zed amy\n", z.take());
    }

    @Test
    @DisplayName("GEN-ORDER-1 MD-REPLY-1: frames are handled one at a time, in order, one reply each, including refused lines")
    void genOrder1_mdReply1() {
      SessionHarness small = new SessionHarness(b -> b.maxLineLength(32));
      Conn m = small.connect();
      m.send("PING 1\nBOGUS\nPING " + repeat("x", 40) + "\nPING 2\n\u00ff\n");
      String[] lines = m.take().split("\n");
      assertEquals(5, lines.length);
      assertEquals("OK PING 1", lines[0]);
      assertTrue(lines[1].startsWith("ERR INVALID_COMMAND "));
      assertTrue(lines[2].startsWith("ERR LINE_TOO_LONG "));
      assertEquals("OK PING 2", lines[3]);
      assertTrue(lines[4].startsWith("ERR "), lines[4]);
    }

    @Test
    @DisplayName("GEN-ORDER-2: a user's join precedes its messages and its leave follows them")
    void genOrder2_joinMessagesLeave() {
      Conn w = h.modern("w");
      Conn s = h.modern("s");
      s.send("SEND one\nSEND two\nQUIT\n");
      assertEquals("JOIN s\nMSG s one\nMSG s two\nLEFT s QUIT\n", w.take());
    }

    @Test
    @DisplayName("GEN-ORDER-3: an event caused before a frame is read is written before that frame's reply")
    void genOrder3_eventBeforeReply() {
      Conn a = h.modern("oa");
      Conn b = h.modern("ob");
      a.take();
      h.holdDrains = true; // the drain task has not run yet when b's next frame is read
      a.send("SEND x\n");
      b.send("PING\n");
      assertEquals("MSG oa x\nOK PING\n", b.take());
      h.holdDrains = false;
    }

    @Test
    @DisplayName("GEN-LIMIT-1: no login within the login timeout: LOGIN_TIMEOUT and a close (fake clock)")
    void genLimit1_loginTimeout() {
      Conn m = h.connect();
      m.send("PING\n");
      m.take();
      h.advance(Duration.ofSeconds(29), m);
      assertEquals(0, m.closes);
      h.advance(Duration.ofSeconds(1), m);
      assertEquals("BYE LOGIN_TIMEOUT no login within 30 s\n", m.take());
      assertEquals(1, m.closes);
      Conn c = h.connect();
      assertEquals(30_000_000_000L, c.session.nanosUntilDeadline(h.now), "the deadline the transport schedules");
      h.advance(Duration.ofSeconds(30), c);
      assertEquals("\rlogin timeout\n", c.take(), "undecided dialect: classic text");
    }

    @Test
    @DisplayName("GEN-LIMIT-2: idle for the idle timeout: IDLE_TIMEOUT, leave reason TIMEOUT; input moves the deadline")
    void genLimit2_idle() {
      SessionHarness idle = new SessionHarness(b -> b.idleTimeout(Duration.ofSeconds(10)));
      Conn w = idle.modern("watch");
      Conn m = idle.modern("idler");
      w.take();
      idle.advance(Duration.ofSeconds(6), m, w);
      m.send("PING\n");
      idle.advance(Duration.ofSeconds(6), m);
      assertEquals("OK PING\n", m.take());
      idle.advance(Duration.ofSeconds(4), m);
      assertEquals("BYE IDLE_TIMEOUT nothing received for 10 s\n", m.take());
      assertEquals("LEFT idler TIMEOUT\n", w.take());
    }

    @Test
    @DisplayName("GEN-LIMIT-2: time while the server does not read from the connection is not idle time; the timeout starts anew on resume")
    void genLimit2_noIdleTimeoutWhileReadingPaused() {
      SessionHarness idle = new SessionHarness(b -> b.idleTimeout(Duration.ofSeconds(10)));
      Conn w = idle.modern("pwatch");
      Conn m = idle.modern("held");
      w.take();
      idle.advance(Duration.ofSeconds(4), m, w);
      m.session.readingPaused(true, idle.now);
      idle.advance(Duration.ofSeconds(60), m);
      assertEquals("", m.take(), "no IDLE_TIMEOUT while the server itself is not reading");
      m.session.readingPaused(false, idle.now);
      assertEquals(10_000_000_000L, m.session.nanosUntilDeadline(idle.now));
      idle.advance(Duration.ofSeconds(9), m);
      assertEquals("", m.take());
      idle.advance(Duration.ofSeconds(1), m);
      assertEquals("BYE IDLE_TIMEOUT nothing received for 10 s\n", m.take());
      assertEquals("LEFT held TIMEOUT\n", w.take());
    }

    @Test
    @DisplayName("GEN-LIMIT-3 GEN-LIMIT-7: an over-limit connection gets SERVER_FULL at its first frame, or after 1 s of silence")
    void genLimit3_genLimit7_serverFull() {
      Conn m = h.connect(ErrorCode.SERVER_FULL);
      m.send("HELLO obrol/1\n");
      String out = m.take();
      assertTrue(out.startsWith("ERR SERVER_FULL "), out);
      assertTrue(out.contains("\nBYE SERVER_FULL "), out);
      assertEquals(1, m.closes);
      Conn silent = h.connect(ErrorCode.SERVER_FULL);
      assertEquals(1_000_000_000L, silent.session.nanosUntilDeadline(h.now));
      h.advance(Duration.ofMillis(999), silent);
      assertEquals(0, silent.closes);
      h.advance(Duration.ofMillis(1), silent);
      assertEquals("\rserver full\n", silent.take());
      assertEquals(1, silent.closes);
    }

    @Test
    @DisplayName("GEN-LIMIT-4 GEN-LIMIT-9: over the rate the session stops taking input until a token is due; nothing is refused")
    void genLimit4_genLimit9_rateByNotReading() {
      SessionHarness rate = new SessionHarness(b -> b.rateLimit(10, 2));
      Conn m = rate.connect();
      m.send("PING 1\nPING 2\nPING 3\nPING 4\n");
      assertEquals("OK PING 1\nOK PING 2\n", m.take(), "the first frame is free, then a burst of 2... ");
      assertEquals(Session.Input.WAIT, m.last);
      assertEquals(100_000_000L, m.session.nanosUntilDeadline(rate.now), "one token at 10/s");
      rate.advance(Duration.ofMillis(100), m);
      assertEquals("OK PING 3\n", m.take());
      rate.advance(Duration.ofMillis(100), m);
      assertEquals("OK PING 4\n", m.take());
      assertEquals(Session.Input.MORE, m.last);
      assertEquals(2, rate.metrics.rateLimited.sum());
    }

    @Test
    @DisplayName("GEN-LIMIT-9: at most 64 frames are handled per turn; the rest of the read waits for the next turn")
    void genLimit9_framesPerTurn() {
      SessionHarness free = new SessionHarness(b -> b.rateLimit(0, 1));
      Conn m = free.connect();
      StringBuilder pings = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        pings.append("PING ").append(i).append('\n');
      }
      ByteBuffer chunk = ByteBuffer.wrap(pings.toString().getBytes(StandardCharsets.US_ASCII));
      assertEquals(Session.Input.YIELD, m.session.receive(chunk, true));
      assertEquals(64, m.take().split("\n").length);
      assertTrue(chunk.hasRemaining(), "the rest of the read is held by the transport");
      m.held = chunk;
      m.pump();
      String rest = m.take();
      assertEquals(936, rest.split("\n").length);
      assertTrue(rest.endsWith("OK PING 999\n"));
    }

    @Test
    @DisplayName("GEN-LIMIT-5 GEN-LIMIT-8: a slow consumer is told SLOW_CONSUMER (no backlog first) and departs as SLOW_CONSUMER")
    void genLimit5_slowConsumer() {
      Conn w = h.modern("w5");
      Conn slow = h.modern("slow");
      w.take();
      h.holdDrains = true;
      w.send("SEND backlog\n");
      slow.session.slowConsumer();
      h.holdDrains = false;
      assertEquals("BYE SLOW_CONSUMER the client does not read fast enough\n", slow.take(), "the queued message is dropped, not written");
      assertEquals("OK SEND\nLEFT slow SLOW_CONSUMER\n", w.take());
      assertEquals(1, h.metrics.slowConsumers.sum());
      assertFalse(slow.session.offer(new byte[] {'x'}), "nothing is queued to it any more");
    }

    @Test
    @DisplayName("GEN-LIMIT-6: garbage, overlong lines and an abrupt end of one connection cost the others nothing")
    void genLimit6_isolation() {
      Conn good = h.modern("good");
      Conn bad = h.connect();
      bad.send(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n', (byte) 0x80, '\n'});
      bad.send(repeat("z", 10_000) + "\n");
      bad.session.disconnected();
      assertEquals("", good.take());
      good.send("PING\n");
      assertEquals("OK PING\n", good.take());
    }

    @Test
    @DisplayName("GEN-LIMIT-11: QUIT, half-close, kick and fatal errors all end in the one close path, exactly once")
    void genLimit11_oneClosePath() {
      Conn q = h.modern("q");
      q.send("QUIT\nPING\n");
      assertEquals("OK QUIT\n", q.take(), "nothing after QUIT is handled");
      assertEquals(1, q.closes);
      Conn half = h.modern("half");
      half.send("PING\n");
      half.session.endOfInput();
      half.pump();
      assertEquals("OK PING\n", half.take());
      assertEquals(1, half.closes);
      Conn k = h.modern("k");
      k.session.kick("be nice");
      h.settle();
      assertEquals("BYE KICKED be nice\n", k.take());
      k.session.kick("again");
      h.settle();
      assertEquals(1, k.closes);
    }

    @Test
    @DisplayName("INTERNAL_ERROR: a frame the server fails on is answered, counted and logged once per connection; the connection stays usable")
    void internalErrorOncePerConnection() {
      SessionHarness failing = new SessionHarness(b -> b);
      Conn m = failing.modern("boom");
      FailingRouter router = new FailingRouter(failing.router);
      SessionHarness.Conn f = conn(failing, router);
      f.send("LOGIN boom2\n");
      assertEquals("OK LOGIN boom2\n", f.take());
      for (int i = 0; i < 100; i++) {
        f.send("LIST\n");
      }
      String out = f.take();
      assertEquals(100, out.split("\n").length);
      assertTrue(out.startsWith("ERR INTERNAL_ERROR "), out);
      assertEquals(100, failing.metrics.internalErrors.sum());
      f.send("PING\n");
      assertEquals("OK PING\n", f.take());
      assertEquals("", m.take().replace("JOIN boom2\n", ""));
    }
  }

  @Nested
  @DisplayName("classic dialect")
  class Classic {
    @Test
    @DisplayName("CL-FRAME-1 FR-LINE-1: frames end at LF, a CR before it is removed, however the bytes are split")
    void clFrame1_frLine1_chunking() {
      Conn c = h.classic("chunk");
      Conn w = h.modern("cw");
      byte[] bytes = "chunk says sendall a b\r\nchunk says sendall c\n".getBytes(StandardCharsets.US_ASCII);
      for (byte b : bytes) {
        c.send(new byte[] {b});
      }
      assertEquals("MSG chunk a b\nMSG chunk c\n", w.take());
    }

    @Test
    @DisplayName("CL-FRAME-2: an unterminated frame ends after the quiet period (fake clock) or at end of input")
    void clFrame2_quietPeriod() {
      Conn w = h.modern("qw");
      Conn c = h.connect();
      c.send("quiet says quiet");
      assertEquals(100_000_000L, c.session.nanosUntilDeadline(h.now));
      h.advance(Duration.ofMillis(99), c);
      assertEquals("", w.take());
      h.advance(Duration.ofMillis(1), c);
      assertEquals("JOIN quiet\n", w.take());
      Conn e = h.connect();
      e.send("eoi says eoi");
      e.session.endOfInput();
      e.pump();
      assertEquals("JOIN eoi\nLEFT eoi DISCONNECTED\n", w.take());
      assertEquals(1, e.closes);
    }

    @Test
    @DisplayName("CL-FRAME-2 GEN-LIMIT-8: no quiet period while the server does not read (backpressure); a line split across the pause stays one frame")
    void clFrame2_noQuietPeriodWhileReadingPaused() {
      Conn w = h.modern("pw");
      Conn c = h.classic("pause");
      w.take();
      c.send("pause says sendall bef");
      c.session.readingPaused(true, h.now);
      assertEquals(-1L, c.session.nanosUntilDeadline(h.now), "no deadline while paused (classic: no idle timeout)");
      h.advance(Duration.ofSeconds(5), c);
      assertEquals("", w.take());
      assertEquals("", c.take(), "the half line must not become an invalid command");
      c.session.readingPaused(false, h.now);
      assertEquals(100_000_000L, c.session.nanosUntilDeadline(h.now), "the quiet period starts anew on resume");
      c.send("ore and after\n");
      assertEquals("MSG pause before and after\n", w.take());
      assertEquals("", c.take());

      c.send("pause says sendall tail");
      c.session.readingPaused(true, h.now);
      h.advance(Duration.ofSeconds(1), c);
      c.session.readingPaused(false, h.now);
      h.advance(Duration.ofMillis(99), c);
      assertEquals("", w.take());
      h.advance(Duration.ofMillis(1), c);
      assertEquals("MSG pause tail\n", w.take(), "after the resume, silence for the quiet period still ends the frame");
    }

    @Test
    @DisplayName("CL-FRAME-3: an unterminated login merged with the next frame in one read is two frames")
    void clFrame3_mergedLogin() {
      Conn w = h.modern("mw");
      Conn c = h.connect();
      c.send("al says alal says list\n");
      assertEquals("\rlist yang online\nmw is online \nal is online \n", c.take());
      assertEquals("JOIN al\n", w.take());
    }

    @Test
    @DisplayName("CL-CMD-1 CL-INVALID-1: fewer than three tokens, a second token other than says, or an unknown body: invalid command")
    void clCmd1_clInvalid1() {
      Conn c = h.classic("cmd");
      c.send("cmd says\ncmd said list\ncmd says hello\ncmd   says   list\n");
      assertEquals("\rinvalid command\n\rinvalid command\n\rinvalid command\n\rlist yang online\ncmd is online \n", c.take());
    }

    @Test
    @DisplayName("CL-LOGIN-1 CL-LOGIN-2: a login has no reply; a taken name is answered alone in one write, the connection stays anonymous")
    void clLogin1_clLogin2() {
      Conn w = h.modern("lw");
      Conn c = h.connect();
      c.send("dup says dup extra tokens\n");
      assertEquals("", c.take());
      assertEquals("JOIN dup\n", w.take());
      Conn d = h.connect();
      d.send("DUP says DUP\n");
      assertEquals("\rusername sudah dipake\n", d.take());
      assertEquals(List.of("\rusername sudah dipake\n"), d.writtenAlone);
      d.send("DUP says list\n");
      assertEquals("\rnot logged in\n", d.take());
    }

    @Test
    @DisplayName("CL-LOGIN-3: an invalid name and a second login have their own texts")
    void clLogin3() {
      Conn c = h.connect();
      c.send("a-b- says a-b-\n");
      assertEquals("", c.take(), "a-b- is valid");
      c.send("x says x\n");
      assertEquals("\ralready logged in\n", c.take());
      Conn d = h.connect();
      d.send("-x says -x\n");
      assertEquals("\rinvalid name\n", d.take());
    }

    @Test
    @DisplayName("CL-AUTH-1: a frame claiming another name is refused with name mismatch and not carried out")
    void clAuth1_nameMismatch() {
      Conn w = h.modern("victim");
      Conn c = h.classic("mallory");
      w.take();
      c.send("victim says sendall I am victim\n");
      assertEquals("\rname mismatch\n", c.take());
      assertEquals("", w.take());
    }

    @Test
    @DisplayName("CL-AUTH-2: anonymous frames other than a login get not logged in, encoding and length errors keep theirs")
    void clAuth2_anonymous() {
      SessionHarness small = new SessionHarness(b -> b.maxLineLength(40));
      Conn c = small.connect();
      c.send("x says list\nnonsense\nx says " + repeat("y", 60) + "\n");
      c.send(new byte[] {'x', ' ', 's', 'a', 'y', 's', ' ', (byte) 0xff, '\n'});
      assertEquals("\rnot logged in\n\rnot logged in\n\rline too long\n\rinvalid encoding\n", c.take());
    }

    @Test
    @DisplayName("CL-SENDTO-1 CL-SENDTO-2 CL-SENDTO-3: private messages, unknown users and missing parts")
    void clSendto() {
      Conn a = h.classic("ca");
      Conn b = h.classic("cb");
      a.take();
      a.send("ca says sendto cb psst   now\n");
      assertEquals("\rca says psst now \n", b.take());
      assertEquals("", a.take(), "the sender receives nothing");
      a.send("ca says sendto carol hi\nca says sendto\nca says sendto cb\nca says sendall\n");
      assertEquals("\rno such user\n\rinvalid command\n\rinvalid command\n\rinvalid command\n", a.take());
    }

    @Test
    @DisplayName("CL-QUIT-1 CL-LEAVE-1: quit closes, the others see one leave notice")
    void clQuit1_clLeave1() {
      Conn w = h.classic("qw2");
      Conn c = h.classic("qc");
      w.take();
      c.send("qc says quit gone fishing\n");
      assertEquals(1, c.closes);
      c.session.disconnected();
      assertEquals("\r(qc) off\n", w.take(), "exactly once");
    }

    @Test
    @DisplayName("CL-SFRAME-1 CL-SFRAME-2 CL-JOIN-1 CL-NOTICE-1 CL-ERROR-1: classic server frames byte for byte")
    void clServerFrames() {
      Conn c = h.classic("frames");
      h.modern("joiner");
      h.router.notice("maintenance at noon");
      c.send("frames says bogus\n");
      assertEquals("\rjoiner sudah terhubung dengan system\n\r*** maintenance at noon\n\rinvalid command\n", c.take());
    }
  }

  @Nested
  @DisplayName("modern dialect")
  class Modern {
    @Test
    @DisplayName("MD-FRAME-1 MD-FRAME-2: no quiet period; verbs are case-sensitive; texts run verbatim to the end of the line")
    void mdFrame1_mdFrame2() {
      Conn m = h.modern("mf");
      Conn w = h.modern("mw2");
      m.take();
      m.send("SEND  two  spaces ");
      h.advance(Duration.ofSeconds(5), m);
      assertEquals("", m.take(), "waits for LF");
      m.send("\nsend x\n");
      String out = m.take();
      assertTrue(out.startsWith("OK SEND\nERR INVALID_COMMAND "), out);
      assertEquals("MSG mf  two  spaces \n", w.take());
    }

    @Test
    @DisplayName("MD-HELLO-1 MD-HELLO-2: the greeting announces the limits; HELLO later or with no known version")
    void mdHello() {
      Conn m = h.connect();
      m.send("HELLO obrol/2 obrol/1\nHELLO obrol/1\n");
      String[] lines = m.take().split("\n");
      // server= names the artifact version the build runs (issue 13: it was a constant "obrol/0.1.0").
      assertEquals("OK HELLO obrol/1 maxline=4096 maxname=32 idle=300 server=obrol/" + System.getProperty("obrol.project.version"),
          lines[0]);
      assertTrue(lines[1].startsWith("ERR INVALID_COMMAND "));
      Conn v = h.connect();
      v.send("HELLO obrol/9\nPING\n");
      String out = v.take();
      assertTrue(out.startsWith("ERR UNSUPPORTED_VERSION "), out);
      assertTrue(out.contains("\nBYE UNSUPPORTED_VERSION "), out);
      assertFalse(out.contains("OK PING"), "nothing follows BYE");
      assertEquals(1, v.closes);
    }

    @Test
    @DisplayName("MD-LOGIN-1 MD-LOGIN-2: OK LOGIN, JOIN to the others; refusals keep the connection open; everything after LOGIN is the name")
    void mdLogin() {
      Conn w = h.modern("lw3");
      Conn m = h.connect();
      m.send("LOGIN john smith\nLOGIN lw3\nLOGIN john\nLOGIN again\n");
      String[] lines = m.take().split("\n");
      assertTrue(lines[0].startsWith("ERR INVALID_NAME "));
      assertTrue(lines[1].startsWith("ERR NAME_TAKEN "));
      assertEquals("OK LOGIN john", lines[2]);
      assertTrue(lines[3].startsWith("ERR ALREADY_LOGGED_IN "));
      assertEquals("JOIN john\n", w.take());
    }

    @Test
    @DisplayName("MD-LOGIN-2: an authenticator's refusal is LOGIN_REJECTED; the session waits for the hook (GEN-ORDER-1)")
    void mdLogin2_authenticatorWaits() {
      CompletableFuture<Boolean> decision = new CompletableFuture<>();
      SessionHarness auth = new SessionHarness(b -> b.authenticator((s, n) -> n.equals("fine") ? CompletableFuture.completedFuture(true) : decision));
      Conn m = auth.connect();
      m.send("LOGIN maybe\nPING after\n");
      assertEquals("", m.take(), "nothing handled while the authenticator decides");
      assertEquals(Session.Input.WAIT, m.last);
      decision.complete(false);
      auth.settle();
      String out = m.take();
      assertTrue(out.startsWith("ERR LOGIN_REJECTED "), out);
      assertTrue(out.endsWith("OK PING after\n"), out);
      m.send("LOGIN fine\n");
      assertEquals("OK LOGIN fine\n", m.take());
    }

    @Test
    @DisplayName("MD-SEND-1 MD-SENDTO-1 MD-SENDTO-2: replies and events of messages; interceptors may veto or rewrite")
    void mdSend() {
      SessionHarness hooks = new SessionHarness(b -> b.addInterceptor(msg -> msg.text().contains("spam")
          ? Interception.veto(ErrorCode.INVALID_COMMAND, "no spam") : msg.text().equals("rw") ? Interception.rewrite("rewritten") : Interception.pass()));
      Conn a = hooks.modern("ia");
      Conn b = hooks.modern("ib");
      a.take();
      a.send("SEND spam\nSEND rw\nSENDTO nobody hi\nSENDTO ib hey\n");
      String[] lines = a.take().split("\n");
      assertEquals("ERR INVALID_COMMAND no spam", lines[0]);
      assertEquals("OK SEND", lines[1]);
      assertTrue(lines[2].startsWith("ERR NO_SUCH_USER "));
      assertEquals("OK SENDTO ib", lines[3]);
      assertEquals("MSG ia rewritten\nPRIV ia hey\n", b.take());
    }

    @Test
    @DisplayName("MD-PING-1 MD-AUTH-1 MD-INVALID-1 MD-ERROR-1: PING anytime; LIST/SEND/SENDTO need a login; unknown verbs and missing arguments")
    void mdPingAuthInvalid() {
      Conn m = h.connect();
      m.send("PING\nPING tok\nLIST\nSEND x\nSENDTO a b\nFOO\nSENDTO a\nLIST extra\n");
      String[] lines = m.take().split("\n");
      assertEquals("OK PING", lines[0]);
      assertEquals("OK PING tok", lines[1]);
      for (int i = 2; i <= 4; i++) {
        assertTrue(lines[i].matches("ERR NOT_LOGGED_IN \\S.*"), lines[i]);
      }
      for (int i = 5; i <= 7; i++) {
        assertTrue(lines[i].matches("ERR INVALID_COMMAND \\S.*"), lines[i]);
      }
    }

    @Test
    @DisplayName("MD-QUIT-1 MD-BYE-1 MD-EVENT-1: OK QUIT then close; LEFT with reason and text; BYE is the last frame of a server close")
    void mdQuitBye() {
      Conn w = h.modern("qw3");
      Conn m = h.modern("quitter");
      w.take();
      m.send("QUIT off to lunch\n");
      assertEquals("OK QUIT\n", m.take());
      assertEquals("LEFT quitter QUIT off to lunch\n", w.take());
      Conn k = h.modern("kicked");
      w.take();
      k.session.kick("bad");
      h.settle();
      assertEquals("BYE KICKED bad\n", k.take());
      assertEquals("LEFT kicked KICKED bad\n", w.take());
      Conn d = h.modern("dropped");
      w.take();
      d.session.disconnected();
      assertEquals("LEFT dropped DISCONNECTED\n", w.take());
    }

    @Test
    @DisplayName("MD-EVENT-2: events may come between a request and its reply but never change the order of replies")
    void mdEvent2() {
      Conn a = h.modern("ea");
      Conn b = h.modern("eb");
      a.take();
      b.send("SEND 1\n");
      a.send("PING 1\nPING 2\n");
      assertEquals("MSG eb 1\nOK PING 1\nOK PING 2\n", a.take());
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A router member outside any session. */
  static final class FakeMember implements Member {
    final long id;
    final String name;
    volatile boolean accepting = true;
    final List<byte[]> received = new ArrayList<>();

    FakeMember(long id, String name) {
      this.id = -1 - id;
      this.name = name;
    }

    @Override
    public long id() {
      return id;
    }

    @Override
    public Dialect dialect() {
      return Dialect.MODERN;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean offer(byte[] encodedEvent) {
      if (accepting) {
        received.add(encodedEvent);
      }
      return accepting;
    }

    @Override
    public void kick(String reason) {}

    @Override
    public java.util.concurrent.Executor executor() {
      return Runnable::run;
    }
  }

  /** A router whose list fails, standing for any failure while a frame is processed. */
  static final class FailingRouter extends ForwardingRouter {
    FailingRouter(Router delegate) {
      super(delegate);
    }

    @Override
    public void list(Member member, java.util.function.Consumer<List<String>> done) {
      throw new IllegalStateException("simulated failure");
    }
  }

  /** A connection of {@code base} whose session routes through {@code router}. */
  private static SessionHarness.Conn conn(SessionHarness base, Router router) {
    Session.Context cx = new Session.Context(base.config, router, base.hooks, base.metrics, () -> base.now, () -> false);
    SessionHarness.Conn c = base.new Conn();
    c.session = new Session(cx, c, 777, new java.net.InetSocketAddress("127.0.0.1", 1), java.time.Instant.EPOCH,
        new TokenBucket(0, 1, 0), null);
    return c;
  }
}
