package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.github.obrol.testkit.Verifies;
import io.github.obrol.server.testing.ReferenceServer;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class CrossDialectTest {
  // A server per test: departures of one test's clients never reach the next test's.
  @RegisterExtension
  final ReferenceServer reference = ReferenceServer.perTest();

  @Test
  @DisplayName("GEN-DIALECT-1 GEN-DIALECT-2: a classic and a modern user chat, each in its own dialect")
  @Verifies({"GEN-DIALECT-1", "GEN-DIALECT-2"})
  void chat() throws Exception {
    try (LineClient c = LineClient.classic(reference.address(), "x_classic"); LineClient m = LineClient.modern(reference.address(), "x_modern")) {
      c.expect("\rx_modern sudah terhubung dengan system");
      m.send("SEND hi classic\n");
      m.expect("OK SEND");
      c.expect("\rx_modern says hi classic ");
      c.send("x_classic says sendall hi modern\n");
      m.expect("MSG x_classic hi modern");
      c.send("x_classic says sendto x_modern private\n");
      m.expect("PRIV x_classic private");
      m.send("SENDTO X_CLASSIC back\n");
      m.expect("OK SENDTO x_classic");
      c.expect("\rx_modern says back ");
      m.send("LIST\n");
      m.expect("OK LIST 2 x_classic x_modern");
      c.send("x_classic says list\n");
      c.expect("\rlist yang online");
      c.expect("x_classic is online ");
      c.expect("x_modern is online ");
      c.send("x_classic says quit\n");
      m.expect("LEFT x_classic QUIT");
    }
  }

  @Test
  @DisplayName("GEN-NAME-2 GEN-NAME-4: one set of names across dialects, compared ignoring case")
  @Verifies({"GEN-NAME-2", "GEN-NAME-4"})
  void sharedNames() throws Exception {
    try (LineClient c = LineClient.classic(reference.address(), "x_Shared"); LineClient m = LineClient.connect(reference.address())) {
      m.send("LOGIN X_SHARED\n");
      assertTrue(m.readLine().startsWith("ERR NAME_TAKEN "));
      m.send("LOGIN x_other\n");
      m.expect("OK LOGIN x_other");
      assertEquals(List.of("\rx_other sudah terhubung dengan system"), c.classicBarrier("x_Shared"));
    }
  }

  @Test
  @DisplayName("GEN-ORDER-2 GEN-ORDER-3: a sender's messages arrive in order, before a later LIST reply")
  @Verifies({"GEN-ORDER-2", "GEN-ORDER-3"})
  void ordering() throws Exception {
    try (LineClient a = LineClient.modern(reference.address(), "x_sender"); LineClient c = LineClient.classic(reference.address(), "x_rx_c");
        LineClient m = LineClient.modern(reference.address(), "x_rx_m")) {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        batch.append("SEND m").append(i).append('\n');
      }
      a.send(batch.toString());
      for (int i = 0; i < 200; i++) {
        a.skipUntil("OK SEND");
      }
      // Everything a processed before this LIST was read reaches the readers before its reply.
      List<String> seenM = m.modernBarrier();
      List<String> seenC = c.classicBarrier("x_rx_c");
      List<String> msgsM = seenM.stream().filter(s -> s.startsWith("MSG ")).toList();
      List<String> msgsC = seenC.stream().filter(s -> s.startsWith("\rx_sender says")).toList();
      assertEquals(200, msgsM.size());
      assertEquals(200, msgsC.size());
      for (int i = 0; i < 200; i++) {
        assertEquals("MSG x_sender m" + i, msgsM.get(i));
        assertEquals("\rx_sender says m" + i + " ", msgsC.get(i));
      }
    }
  }

  @Test
  @DisplayName("GEN-ORDER-2: a backlog of events larger than one write buffer reaches each dialect whole and in order")
  @Verifies("GEN-ORDER-2")
  void backlogSpanningWriteBuffers() throws Exception {
    String pad = "p".repeat(120);
    int count = 2_000; // about 280 KB of events per reader: many of the server's 16 KiB write buffers
    try (LineClient a = LineClient.modern(reference.address(), "x_bulk"); LineClient c = LineClient.classic(reference.address(), "x_bulk_c");
        LineClient m = LineClient.modern(reference.address(), "x_bulk_m")) {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < count; i++) {
        batch.append("SEND b").append(i).append(pad).append('\n');
      }
      a.send(batch.toString());
      for (int i = 0; i < count; i++) {
        a.skipUntil("OK SEND");
      }
      List<String> msgsM = m.modernBarrier().stream().filter(s -> s.startsWith("MSG ")).toList();
      List<String> msgsC = c.classicBarrier("x_bulk_c").stream().filter(s -> s.startsWith("\rx_bulk says")).toList();
      assertEquals(count, msgsM.size());
      assertEquals(count, msgsC.size());
      for (int i = 0; i < count; i++) {
        assertEquals("MSG x_bulk b" + i + pad, msgsM.get(i));
        assertEquals("\rx_bulk says b" + i + pad + " ", msgsC.get(i));
      }
    }
  }
}
