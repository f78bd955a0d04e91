package io.github.obrol.server.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.InboundMessage;
import io.github.obrol.server.Interception;
import io.github.obrol.server.ServerObserver;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 item 3: shutdown hung with a full observer queue; broadcast() futures that never complete. */
@Timeout(120)
class Issue10ShutdownTest {
  @Test
  @DisplayName("GEN-LEAVE-2: shutdown completes within its timeout even with a blocked observer and a full observer queue")
  void shutdownWithBlockedObserver() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).rateLimit(0, 1)
        .addObserver(new ServerObserver() {
          @Override
          public void onMessage(InboundMessage message, int deliveries) {
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        })
        .build();
    try {
      InetSocketAddress address = server.start().join();
      try (LineClient a = LineClient.modern(address, "flooder")) {
        StringBuilder sends = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
          sends.append("SEND x\n");
        }
        String batch = sends.toString();
        for (int round = 0; round < 70; round++) { // 70,000 events for a queue of 65,536
          a.send(batch);
          for (int i = 0; i < 1000; i++) {
            a.expect("OK SEND");
          }
        }
        CompletableFuture<Void> done = server.shutdownGracefully(Duration.ofSeconds(1));
        // Bound: the timeout plus the documented second, plus slack for a loaded machine.
        done.get(10, TimeUnit.SECONDS);
      }
    } finally {
      release.countDown();
    }
  }

  @Test
  @DisplayName("broadcast() completes (false) when the server shuts down while an interceptor still decides")
  void broadcastFutureAlwaysCompletes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0)
        .addInterceptor(m -> {
          entered.countDown();
          release.await(60, TimeUnit.SECONDS);
          return Interception.pass();
        })
        .build();
    try {
      server.start().join();
      CompletableFuture<Boolean> notice = server.broadcast("maintenance");
      entered.await(10, TimeUnit.SECONDS);
      server.shutdownGracefully(Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
      release.countDown();
      assertFalse(notice.get(10, TimeUnit.SECONDS), "not delivered: the server shut down");
      assertEquals(true, notice.isDone());
    } finally {
      release.countDown();
    }
  }
}
