package io.github.obrol.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Router} contract lets events be offered to a member from any thread (a cluster router's own
 * threads). An offer from a thread that is not one of the server's event loops was queued in that thread's
 * {@link Dispatch}, which nobody flushed: the drain was lost, and the member's mailbox stalled for good
 * (its drain flag stayed set, so later offers scheduled nothing either).
 */
@Timeout(60)
class OfferFromAnyThreadTest {
  @Test
  @DisplayName("GEN-ORDER-3: events offered from a foreign thread reach the member without its doing anything")
  void offersFromAForeignThreadAreWritten() throws Exception {
    NettyChatServer server = new NettyChatServer(ChatServer.builder().bindAddress("127.0.0.1").port(0).build());
    InetSocketAddress address = server.start().join();
    try (LineClient bob = LineClient.modern(address, "bob")) {
      bob.modernBarrier();
      Session session = server.sessionOf("bob");
      assertNotNull(session);
      AtomicBoolean accepted = new AtomicBoolean();
      Thread foreign = new Thread(() -> {
        accepted.set(session.offer("NOTICE first\n".getBytes(StandardCharsets.UTF_8)));
        session.offer("NOTICE second\n".getBytes(StandardCharsets.UTF_8));
      }, "not-an-event-loop");
      foreign.start();
      foreign.join(10_000);
      assertTrue(accepted.get());
      // bob sends nothing: the events must come on their own.
      assertEquals("NOTICE first", bob.readLine(Duration.ofSeconds(10)));
      assertEquals("NOTICE second", bob.readLine(Duration.ofSeconds(10)));
    } finally {
      server.shutdownGracefully(Duration.ofSeconds(2)).join();
    }
  }
}
