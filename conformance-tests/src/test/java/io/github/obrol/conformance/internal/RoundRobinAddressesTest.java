package io.github.obrol.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.protocol.Dialect;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several addresses of one chat (a cluster's nodes): each check's connection {@code i} goes to address
 * {@code i mod n}, raw sockets included; one address gets every connection, as before.
 */
class RoundRobinAddressesTest {
  private static final InetSocketAddress A = InetSocketAddress.createUnresolved("a.example", 9001);
  private static final InetSocketAddress B = InetSocketAddress.createUnresolved("b.example", 9002);
  private static final InetSocketAddress C = InetSocketAddress.createUnresolved("c.example", 9003);

  private static RunContext run(List<InetSocketAddress> addresses) {
    Timeouts timeouts = new Timeouts(Duration.ofMillis(1), Duration.ofSeconds(2), Duration.ofMillis(200),
        Duration.ofMillis(50));
    return new RunContext(ConformanceOptions.builder(addresses).build(), timeouts, "trr");
  }

  @Test
  @DisplayName("connection i of a check goes to address i mod n, in the order given")
  void roundRobin() {
    RunContext run = run(List.of(A, B, C));
    List<InetSocketAddress> expected = List.of(A, B, C, A, B, C, A);
    List<InetSocketAddress> actual = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      actual.add(run.addressFor(i));
    }
    assertEquals(expected, actual);
    assertEquals(List.of(A, B, C), run.addresses());
    assertEquals(A, run.address());
  }

  @Test
  @DisplayName("one address gets every connection; a fresh server replaces the list for its check")
  void oneAddress() {
    RunContext run = run(List.of(A));
    for (int i = 0; i < 5; i++) {
      assertEquals(A, run.addressFor(i));
    }
    RunContext fresh = run(List.of(A, B, C)).withAddress(C);
    assertEquals(List.of(C), fresh.addresses());
    assertEquals(C, fresh.addressFor(1));
  }

  @Test
  @DisplayName("the options keep the list, the report target names every address, an empty list is refused")
  void options() {
    ConformanceOptions o = ConformanceOptions.builder(List.of(A, B, A)).build();
    assertEquals(List.of(A, B, A), o.addresses());
    assertEquals(List.of(A, B, A), o.toBuilder().build().addresses());
    assertEquals("a.example:9001, b.example:9002, a.example:9001", o.target());
    assertEquals("a.example:9001", ConformanceOptions.builder(A).build().target());
    assertThrows(IllegalArgumentException.class, () -> ConformanceOptions.builder(List.of()));
    assertThrows(IllegalArgumentException.class, () -> run(List.of(A)).addressFor(-1));
  }

  @Test
  @DisplayName("a check's clients and raw sockets really connect round-robin (three listening sockets)")
  @Timeout(30)
  void clientsConnectRoundRobin() throws IOException {
    List<ServerSocket> servers = new ArrayList<>();
    try {
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        s.setSoTimeout(5_000);
        servers.add(s);
        addresses.add(new InetSocketAddress("127.0.0.1", s.getLocalPort()));
      }
      CheckContext ctx = new CheckContext(run(addresses));
      List<Socket> accepted = new ArrayList<>();
      try {
        // Connections 0..4 through clients, then one raw socket's address (connection 5), then client 6.
        int[] expectedServer = {0, 1, 2, 0, 1};
        for (int i = 0; i < expectedServer.length; i++) {
          ctx.connectRaw(Dialect.MODERN);
          // The connection is in the expected server's backlog: accept finds it there (or times out: wrong server).
          accepted.add(servers.get(expectedServer[i]).accept());
        }
        assertEquals(addresses.get(2), ctx.nextAddress(), "connection 5 (a raw socket) goes to the third address");
        ctx.connectRaw(Dialect.CLASSIC);
        accepted.add(servers.get(0).accept());
        assertEquals(6, accepted.size());
        // No server got more than its share: none has another connection waiting.
        for (ServerSocket s : servers) {
          s.setSoTimeout(200);
          assertThrows(SocketTimeoutException.class, s::accept);
        }
      } finally {
        ctx.close();
        for (Socket s : accepted) {
          s.close();
        }
      }
    } finally {
      for (ServerSocket s : servers) {
        s.close();
      }
    }
  }
}
