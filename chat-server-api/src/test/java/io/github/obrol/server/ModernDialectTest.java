package io.github.obrol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.testing.LineClient;
import io.github.obrol.server.testing.ReferenceServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.github.obrol.testkit.Verifies;

@Timeout(60)
class ModernDialectTest {
  // A server per test: departures of one test's clients never reach the next test's.
  @RegisterExtension final ReferenceServer reference = ReferenceServer.perTest();

  @Test
  @DisplayName("MD-HELLO-1 MD-LOGIN-1 MD-LIST-1 MD-SEND-1 MD-SENDTO-1 MD-QUIT-1: a modern session")
  @Verifies({"MD-HELLO-1", "MD-LOGIN-1", "MD-LIST-1", "MD-SEND-1", "MD-SENDTO-1", "MD-QUIT-1"})
  void session() throws Exception {
    try (LineClient a = LineClient.modern(reference.address(), "m_alice"); LineClient b = LineClient.modern(reference.address(), "m_bob")) {
      a.expect("JOIN m_bob");
      a.send("LIST\n");
      a.expect("OK LIST 2 m_alice m_bob");
      a.send("SEND hello  there\n");
      a.expect("OK SEND");
      b.expect("MSG m_alice hello  there");
      a.send("SENDTO M_BOB psst\n");
      a.expect("OK SENDTO m_bob");
      b.expect("PRIV m_alice psst");
      a.send("SENDTO carol hi\n");
      assertTrue(a.readLine().startsWith("ERR NO_SUCH_USER "));
      a.send("QUIT off to lunch\n");
      a.expect("OK QUIT");
      assertTrue(a.awaitClosed());
      b.expect("LEFT m_alice QUIT off to lunch");
      assertEquals(0, b.modernBarrier().size());
    }
  }

  @Test
  @DisplayName("GEN-DIALECT-1: a first line cut inside its verb stays modern, whatever the pause")
  @Verifies("GEN-DIALECT-1")
  void firstLineCutInsideItsVerb() throws Exception {
    try (ChatServer quick = ReferenceServer.start(b -> b.classicQuietPeriod(java.time.Duration.ofMillis(10)));
        LineClient a = LineClient.connect(quick.start().join())) {
      a.send("PIN");
      // The pause is the stimulus, not a synchronisation: it must outlast the quiet period, which
      // would otherwise end "PIN" as a classic frame and answer it with "not logged in".
      Thread.sleep(200);
      a.send("G t1\n");
      a.expect("OK PING t1");
    }
  }
}
