package io.github.obrol.server.regression;

import io.github.obrol.testkit.Verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.server.ChatServer;
import io.github.obrol.server.testing.LineClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10 item 6: clients that read as fast as they can were cut as slow consumers. */
@Timeout(180)
class Issue10SlowConsumerTest {
  @Test
  @DisplayName("GEN-LIMIT-8: 50,000 pipelined PINGs from a client that reads continuously: every reply, never SLOW_CONSUMER")
  @Verifies("GEN-LIMIT-8")
  void genLimit8_pipelinedPings() throws Exception {
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).rateLimit(0, 1).build()) {
      InetSocketAddress address = server.start().join();
      try (LineClient c = LineClient.modern(address, "pinger")) {
        BufferedReader in = new BufferedReader(new InputStreamReader(c.socket().getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        c.socket().setSoTimeout(30_000);
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
          try {
            for (int i = 0; i < 50_000; i++) {
              String line = in.readLine();
              if (!("OK PING " + i).equals(line)) {
                throw new AssertionError("reply " + i + ": " + line);
              }
            }
            return 50_000;
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
        });
        StringBuilder pings = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
          pings.append("PING ").append(i).append('\n');
        }
        c.send(pings.toString());
        assertEquals(50_000, reader.get(60, TimeUnit.SECONDS));
        assertEquals(0, server.metrics().slowConsumerDisconnects());
      }
    }
  }

  @Test
  @DisplayName("GEN-LIMIT-8 GEN-DELIVER-1: 50 receivers that read normally while one sender broadcasts as fast as it can: none is cut, none loses anything")
  @Verifies("GEN-LIMIT-8")
  void genLimit8_fastProducerReadingReceivers() throws Exception {
    int receivers = 50;
    int messages = 20_000;
    // Small kernel buffers (32 KiB each way), so that what a receiver is behind waits in the server, not in the kernel.
    try (ChatServer server = ChatServer.builder().bindAddress("127.0.0.1").port(0).rateLimit(0, 1)
        .socketSendBuffer(32 * 1024).build()) {
      InetSocketAddress address = server.start().join();
      List<LineClient> clients = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(receivers);
      try (LineClient sender = LineClient.modern(address, "producer")) {
        for (int i = 0; i < receivers; i++) {
          LineClient r = LineClient.connectWithReceiveBuffer(address, 32 * 1024);
          r.send("LOGIN reader" + i + "\n");
          r.expect("OK LOGIN reader" + i);
          clients.add(r);
        }
        sender.modernBarrier();
        List<CompletableFuture<Integer>> counts = new ArrayList<>();
        String text = "z".repeat(200);
        for (LineClient r : clients) {
          BufferedReader in = new BufferedReader(new InputStreamReader(r.socket().getInputStream(), StandardCharsets.UTF_8), 1 << 16);
          r.socket().setSoTimeout(60_000);
          counts.add(CompletableFuture.supplyAsync(() -> {
            int got = 0;
            try {
              for (int i = 0; i < 200_000 && got < messages; i++) {
                String line = in.readLine();
                if (line == null || line.startsWith("BYE")) {
                  return got;
                }
                if (line.startsWith("MSG producer ")) {
                  if (!line.equals("MSG producer " + got + " " + text)) {
                    throw new AssertionError("out of order: " + line);
                  }
                  got++;
                }
              }
            } catch (java.io.IOException e) {
              return got;
            }
            return got;
          }, pool));
        }
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < messages; i++) {
          all.append("SEND ").append(i).append(' ').append(text).append('\n');
        }
        CompletableFuture<Void> replies = CompletableFuture.runAsync(() -> {
          try {
            for (int i = 0; i < messages; i++) {
              sender.expect("OK SEND");
            }
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
        });
        sender.send(all.toString());
        replies.get(120, TimeUnit.SECONDS);
        for (CompletableFuture<Integer> count : counts) {
          assertEquals(messages, count.get(120, TimeUnit.SECONDS));
        }
        assertEquals(0, server.metrics().slowConsumerDisconnects());
      } finally {
        pool.shutdownNow();
        for (LineClient r : clients) {
          r.close();
        }
      }
    }
  }
}
