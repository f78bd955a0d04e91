package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Counting deliveries at the receivers: completion, latency recording, and the ways a count goes wrong. */
class DeliveryTrackerTest {
  @Test
  @DisplayName("a message completes when its last recipient has it, and tells its sender")
  void completesOnLastRecipient() {
    DeliveryTracker t = new DeliveryTracker(3, 8);
    List<Integer> completedBy = new ArrayList<>();
    t.onComplete(completedBy::add);
    t.measureFrom(0);
    long id = t.newMessage();
    t.delivered(id, 100, 2, 1_100);
    t.delivered(id, 100, 2, 1_200);
    assertEquals(List.of(), completedBy);
    t.delivered(id, 100, 2, 1_300);
    assertEquals(List.of(2), completedBy);
    assertEquals(3, t.deliveries());
    assertEquals(1, t.completed());
    assertEquals(0, t.sent() - t.completed());
    assertEquals(3, t.takePerRecipient().getTotalCount());
    assertEquals(1_200, t.takeToLastRecipient().getMaxValue(), 1);
  }

  @Test
  @DisplayName("warm-up messages are counted but not recorded as latencies")
  void warmUpIsNotRecorded() {
    DeliveryTracker t = new DeliveryTracker(1, 8);
    long warm = t.newMessage();
    t.measureFrom(500);
    t.delivered(warm, 499, 0, 600);
    long measured = t.newMessage();
    t.delivered(measured, 500, 0, 700);
    assertEquals(2, t.deliveries());
    assertEquals(1, t.takeToLastRecipient().getTotalCount());
  }

  @Test
  @DisplayName("a duplicate delivery and a message that never completed within a ring are both counted")
  void duplicatesAndOverruns() {
    DeliveryTracker t = new DeliveryTracker(1, 2);
    long first = t.newMessage();
    t.delivered(first, 0, 0, 1);
    t.delivered(first, 0, 0, 1);
    assertEquals(1, t.unexpected());
    DeliveryTracker ring = new DeliveryTracker(2, 2);
    ring.newMessage();
    ring.newMessage();
    ring.newMessage(); // reuses the first message's slot while it still waits for two recipients
    assertEquals(1, ring.overruns());
  }

  @Test
  @DisplayName("nonsense sizes are refused with the expected range")
  void refusesBadSizes() {
    assertThrows(IllegalArgumentException.class, () -> new DeliveryTracker(0, 8));
    assertThrows(IllegalArgumentException.class, () -> new DeliveryTracker(1, 0));
  }
}
