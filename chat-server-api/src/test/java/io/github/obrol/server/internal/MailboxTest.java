package io.github.obrol.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session mailbox: many producers, one consumer. GEN-ORDER-2 needs each producer's events in the order
 * it offered them; GEN-LIMIT-13 needs an offer that returns "queued" never to be dropped silently, and a
 * closed mailbox to refuse rather than accept and lose.
 */
@Timeout(60)
class MailboxTest {
  private static byte[] event(int producer, int seq) {
    return new byte[] {(byte) producer, (byte) (seq >>> 24), (byte) (seq >>> 16), (byte) (seq >>> 8), (byte) seq};
  }

  @Test
  @DisplayName("GEN-ORDER-2: events come out in the order offered, across drains and array growth")
  void orderWithinOneProducer() {
    Mailbox m = new Mailbox();
    List<byte[]> out = new ArrayList<>();
    assertEquals(Mailbox.Offer.QUEUED_DRAIN_NEEDED, m.offer(new byte[] {1}));
    assertEquals(Mailbox.Offer.QUEUED, m.offer(new byte[] {2}));
    for (int i = 3; i <= 20; i++) {
      m.offer(new byte[] {(byte) i});
    }
    assertEquals(20, m.drain(out::add, true));
    m.offer(new byte[] {21});
    assertEquals(1, m.drain(out::add, true));
    assertEquals(21, out.size());
    for (int i = 0; i < 21; i++) {
      assertArrayEquals(new byte[] {(byte) (i + 1)}, out.get(i));
    }
  }

  @Test
  @DisplayName("a drain is asked for once per burst, and again after the asked-for drain ran")
  void drainAskedOncePerBurst() {
    Mailbox m = new Mailbox();
    assertEquals(Mailbox.Offer.QUEUED_DRAIN_NEEDED, m.offer(new byte[] {1}));
    assertEquals(Mailbox.Offer.QUEUED, m.offer(new byte[] {2}));
    // A drain before a reply (not the one asked for) leaves the request standing: the task still comes.
    assertEquals(2, m.drain(e -> {}, false));
    assertEquals(Mailbox.Offer.QUEUED, m.offer(new byte[] {3}));
    assertEquals(1, m.drain(e -> {}, true));
    assertEquals(Mailbox.Offer.QUEUED_DRAIN_NEEDED, m.offer(new byte[] {4}));
  }

  @Test
  @DisplayName("GEN-LIMIT-13: a closed mailbox refuses offers; what was queued before stays for the last drain")
  void closedRefuses() {
    Mailbox m = new Mailbox();
    m.offer(new byte[] {1});
    m.close();
    assertEquals(Mailbox.Offer.REFUSED, m.offer(new byte[] {2}));
    List<byte[]> out = new ArrayList<>();
    assertEquals(1, m.drain(out::add, true));
    assertArrayEquals(new byte[] {1}, out.get(0));
    m.clear();
    assertEquals(0, m.size());
  }

  @Test
  @DisplayName("GEN-ORDER-2: 4 producers x 20,000 concurrent offers, one consumer: nothing lost, each producer in order")
  void concurrentOffersNeitherLostNorReordered() throws Exception {
    int producers = 4;
    int perProducer = 20_000;
    Mailbox m = new Mailbox();
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger drainsAsked = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          if (m.offer(event(producer, i)) == Mailbox.Offer.QUEUED_DRAIN_NEEDED) {
            drainsAsked.incrementAndGet();
          }
        }
      });
      t.start();
      threads.add(t);
    }
    int[] next = new int[producers];
    int[] received = {0};
    boolean[] inOrder = {true};
    start.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received[0] < producers * perProducer && System.nanoTime() < deadline) {
      m.drain(e -> {
        int producer = e[0];
        int seq = ((e[1] & 0xff) << 24) | ((e[2] & 0xff) << 16) | ((e[3] & 0xff) << 8) | (e[4] & 0xff);
        if (seq != next[producer]) {
          inOrder[0] = false;
        }
        next[producer] = seq + 1;
        received[0]++;
      }, true);
      Thread.onSpinWait();
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertEquals(producers * perProducer, received[0]);
    assertTrue(inOrder[0], "each producer's events in the order offered");
    for (int p = 0; p < producers; p++) {
      assertEquals(perProducer, next[p]);
    }
    assertTrue(drainsAsked.get() >= 1);
  }

  @Test
  void anIdleMailboxKeepsSmallArraysAfterABurst() {
    Mailbox m = new Mailbox();
    List<byte[]> seen = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      m.offer(new byte[] {(byte) i});
    }
    assertEquals(200, m.drain(seen::add, true));
    // The burst is over: two quiet drains later the session holds two 8-slot arrays at most, not the burst's 256.
    for (int round = 0; round < 2; round++) {
      m.offer(new byte[] {1});
      assertEquals(1, m.drain(seen::add, true));
    }
    assertTrue(m.heldSlots() <= 16, "slots held: " + m.heldSlots());
    assertEquals(202, seen.size());
  }
}
