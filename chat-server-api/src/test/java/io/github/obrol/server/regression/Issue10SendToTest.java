package io.github.obrol.server.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 item 1: a private message acknowledged and then lost while its recipient leaves. */
@Timeout(180)
class Issue10SendToTest {
  @Test
  @DisplayName("GEN-DELIVER-2 GEN-LIMIT-13: while the recipient quits amid a stream of SENDTOs, every OK SENDTO matches a PRIV it received, and none follows its LEFT")
  void genLimit13_okSendtoOnlyWhenQueued() throws Exception {
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).rateLimit(0, 1).build()) {
      InetSocketAddress address = server.start().join();
      int rounds = 30;
      int batch = 20;
      long okTotal = 0;
      long privTotal = 0;
      try (LineClient sender = LineClient.modern(address, "sender")) {
        for (int round = 0; round < rounds; round++) {
          String name = "rcpt" + round;
          LineClient recipient = LineClient.modern(address, name);
          sender.skipUntil("JOIN " + name);
          AtomicInteger privs = new AtomicInteger();
          CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
              for (int i = 0; i < 1_000_000; i++) {
                String line = recipient.readLine();
                if (line.startsWith("PRIV sender ") && privs.incrementAndGet() == 200) {
                  recipient.send("QUIT\n"); // leave while messages are still coming
                }
              }
            } catch (AssertionError | java.io.IOException closed) {
              // end of stream: the server closed the connection after QUIT
            }
          });
          // The sender keeps sending until it learns that the recipient left (bounded: 200 batches).
          AtomicBoolean stop = new AtomicBoolean();
          AtomicInteger sent = new AtomicInteger();
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < batch; i++) {
            b.append("SENDTO ").append(name).append(" m").append(i).append('\n');
          }
          String burst = b.toString();
          CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
              for (int i = 0; i < 200 && !stop.get(); i++) {
                sender.send(burst);
                sent.addAndGet(batch);
              }
              stop.set(true);
            } catch (java.io.IOException e) {
              throw new AssertionError(e);
            }
          });
          int answered = 0;
          int ok = 0;
          boolean left = false;
          while (true) {
            if (stop.get() && answered == sent.get()) {
              writer.get(30, TimeUnit.SECONDS); // the writer may still send its current batch
              if (answered == sent.get()) {
                break;
              }
            }
            String line = sender.readLine();
            if (line.equals("LEFT " + name + " QUIT")) {
              left = true;
              stop.set(true);
            } else if (line.equals("OK SENDTO " + name)) {
              assertFalse(left, "round " + round + ": OK SENDTO after LEFT " + name);
              ok++;
              answered++;
            } else if (line.startsWith("ERR NO_SUCH_USER ")) {
              stop.set(true);
              answered++;
            }
          }
          writer.get(30, TimeUnit.SECONDS);
          reader.get(30, TimeUnit.SECONDS);
          recipient.close();
          assertEquals(ok, privs.get(), "round " + round + ": every OK SENDTO was delivered, nothing else");
          okTotal += ok;
          privTotal += privs.get();
        }
      }
      assertEquals(okTotal, privTotal);
    }
  }
}
