package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.Verifies;
import io.github.obrol.server.testing.ReferenceServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way of departing gives exactly one leave notice, after the name was freed. */
@Timeout(60)
class DeparturesTest {
  // A server per test: departures of one test's clients never reach the next test's.
  @RegisterExtension
  final ReferenceServer reference = ReferenceServer.perTest();

  @Test
  @DisplayName("GEN-LEAVE-1 GEN-NAME-5: a reset connection departs once, and its name is free when the notice arrives")
  @Verifies({"GEN-LEAVE-1", "GEN-NAME-5"})
  void resetFreesName() throws Exception {
    try (LineClient m = LineClient.modern(reference.address(), "d_watch"); LineClient c = LineClient.classic(reference.address(), "d_watch_c")) {
      m.skipUntil("JOIN d_watch_c");
      for (int round = 0; round < 5; round++) {
        LineClient gone = round % 2 == 0 ? LineClient.modern(reference.address(), "d_reused") : LineClient.classic(reference.address(), "d_reused");
        m.expect("JOIN d_reused");
        c.expect("\rd_reused sudah terhubung dengan system");
        gone.reset();
        m.expect("LEFT d_reused DISCONNECTED");
        c.expect("\r(d_reused) off");
      }
      // Exactly once: nothing else arrived.
      assertEquals(List.of(), m.modernBarrier());
      assertEquals(List.of(), c.classicBarrier("d_watch_c"));
    }
  }

  @Test
  @DisplayName("GEN-NAME-5: whoever saw the leave notice can log in with the name at once")
  @Verifies("GEN-NAME-5")
  void nameReusedAfterNotice() throws Exception {
    try (LineClient m = LineClient.modern(reference.address(), "d_seer")) {
      LineClient gone = LineClient.modern(reference.address(), "d_name");
      m.expect("JOIN d_name");
      gone.send("QUIT bye\n");
      m.expect("LEFT d_name QUIT bye");
      m.send("QUIT\n"); // m cannot log in twice; a fresh connection takes the name
      gone.close();
    }
    try (LineClient again = LineClient.modern(reference.address(), "d_name")) {
      again.send("LIST\n");
      assertTrue(again.readLine().contains("d_name"));
    }
  }

  @Test
  @DisplayName("GEN-LEAVE-1: an anonymous connection's departure is announced to no one")
  @Verifies("GEN-LEAVE-1")
  void anonymousLeavesSilently() throws Exception {
    try (LineClient m = LineClient.modern(reference.address(), "d_quiet")) {
      LineClient anon = LineClient.connect(reference.address());
      anon.send("PING\n");
      anon.expect("OK PING");
      anon.reset();
      LineClient anon2 = LineClient.connect(reference.address());
      anon2.send("x says list\n");
      anon2.expect("\rnot logged in");
      anon2.close();
      assertEquals(List.of(), m.modernBarrier());
    }
  }

  @Test
  @DisplayName("KICKED: an administrator's disconnect tells the user and announces the leave once")
  void kick() throws Exception {
    try (LineClient m = LineClient.modern(reference.address(), "d_admin_watch"); LineClient victim = LineClient.modern(reference.address(), "d_victim");
        LineClient cv = LineClient.classic(reference.address(), "d_victim_c")) {
      m.skipUntil("JOIN d_victim_c");
      assertTrue(reference.server().disconnect("D_VICTIM", "be nice").get());
      assertTrue(reference.server().disconnect("d_victim_c", "").get());
      assertFalse(reference.server().disconnect("nobody", "x").get());
      assertEquals("BYE KICKED be nice", victim.skipUntil("BYE"));
      assertTrue(victim.awaitClosed());
      cv.skipUntil("\rkicked");
      assertTrue(cv.awaitClosed());
      List<String> seen = m.modernBarrier();
      assertTrue(seen.contains("LEFT d_victim KICKED be nice"), seen.toString());
      assertEquals(2, seen.size(), seen.toString());
    }
  }

  @Test
  @DisplayName("MD-FRAME-1: a client that half-closes gets its replies, then departs once")
  @Verifies("MD-FRAME-1")
  void halfClose() throws Exception {
    try (LineClient m = LineClient.modern(reference.address(), "d_half_watch"); LineClient h = LineClient.connect(reference.address())) {
      h.send("HELLO obrol/1\nLOGIN d_half\nSEND last words\n");
      h.socket().shutdownOutput();
      String all = h.readToEnd();
      assertTrue(all.endsWith("OK LOGIN d_half\nOK SEND\n"), all);
      m.expect("JOIN d_half");
      m.expect("MSG d_half last words");
      m.expect("LEFT d_half DISCONNECTED");
    }
  }

  @Test
  @DisplayName("CL-FRAME-2: a classic client's unterminated last frame is processed when it closes its side")
  @Verifies("CL-FRAME-2")
  void classicEndOfInput() throws Exception {
    try (LineClient m = LineClient.modern(reference.address(), "d_eoi_watch"); LineClient h = LineClient.connect(reference.address())) {
      h.send("d_eoi says d_eoi\nd_eoi says sendall bye now");
      h.socket().shutdownOutput();
      h.readToEnd();
      m.expect("JOIN d_eoi");
      m.expect("MSG d_eoi bye now");
      m.expect("LEFT d_eoi DISCONNECTED");
    }
  }
}
