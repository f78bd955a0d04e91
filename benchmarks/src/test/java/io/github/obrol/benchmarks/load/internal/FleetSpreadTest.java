package io.github.obrol.benchmarks.load.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.obrol.benchmarks.load.Wire;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A fleet over a cluster's nodes: the i-th connection of each role goes to node i mod K. */
class FleetSpreadTest {
  @Test
  @DisplayName("connections go to the nodes round-robin; one address gets all")
  void roundRobin() {
    InetSocketAddress a = InetSocketAddress.createUnresolved("a.example", 1);
    InetSocketAddress b = InetSocketAddress.createUnresolved("b.example", 2);
    InetSocketAddress c = InetSocketAddress.createUnresolved("c.example", 3);
    try (Fleet fleet = new Fleet(Wire.MODERN, List.of(a, b, c), new DeliveryTracker(1, 1), new ErrorLog(), 1, 0)) {
      List<InetSocketAddress> seen = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        seen.add(fleet.addressOf(i));
      }
      assertEquals(List.of(a, b, c, a, b, c, a), seen);
    }
    try (Fleet fleet = new Fleet(Wire.MODERN, a, new DeliveryTracker(1, 1), new ErrorLog(), 1, 0)) {
      assertEquals(List.of(a, a, a), List.of(fleet.addressOf(0), fleet.addressOf(1), fleet.addressOf(2)));
    }
  }
}
