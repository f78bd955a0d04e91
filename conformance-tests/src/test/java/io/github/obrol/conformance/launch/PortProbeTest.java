package io.github.obrol.conformance.launch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Free ports for launched servers: outside the kernel's ephemeral range, so that neither outgoing connections nor
 * other programs' {@code bind(0)} take the port before the server binds it; and which outputs say a port was taken.
 */
class PortProbeTest {
  /** The kernel's ephemeral range as {@code {low, high}}, read here independently of the code under test. */
  private static int[] kernelEphemeralRange() throws IOException {
    Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    assumeTrue(Files.isReadable(file), "no " + file + " (not Linux): the system chooses the port");
    // Not Files.readString: procfs files report size 0, and it returned only the first byte here (JDK 17).
    String[] parts;
    try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
      parts = in.readLine().trim().split("\\s+");
    }
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
  }

  /** Binds {@code port} on the wildcard address without SO_REUSEADDR, as a strict server would. */
  private static void assertBindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new AssertionError("port " + port + " is not free: " + e, e);
    }
  }

  @Test
  @DisplayName("a free port lies outside this machine's ephemeral port range and is bindable on every address")
  void outsideTheEphemeralRange() throws IOException {
    int[] range = kernelEphemeralRange();
    // Linux's default is 32768-60999: 22,768 ports from 10000 up to below it. A range reaching down to 10000 and
    // up to 65535 leaves no room, and the system chooses (see the fallback test below).
    assumeTrue(range[0] >= 12_000 || range[1] <= 63_000, "the ephemeral range " + range[0] + "-" + range[1]
        + " leaves little room outside it");
    for (int i = 0; i < 20; i++) {
      int port = PortProbe.freePort();
      assertTrue(port >= 10_000 && (port < range[0] || port > range[1]),
          port + " lies in the ephemeral range " + range[0] + "-" + range[1] + " (or below 10000)");
      assertBindable(port);
    }
  }

  @Test
  @DisplayName("with an ephemeral range of 40000-50000 the port lies from 10000 to 39999 or from 50001 to 65535")
  void outsideAGivenRange() throws IOException {
    for (int i = 0; i < 50; i++) {
      int port = PortProbe.freePort("40000\t50000\n");
      assertTrue((port >= 10_000 && port <= 39_999) || (port >= 50_001 && port <= 65_535), String.valueOf(port));
      assertBindable(port);
    }
  }

  @Test
  @DisplayName("a range that leaves no room, or an unreadable one, lets the system choose a free port")
  void systemChoosesWithoutRoom() throws IOException {
    int[] range = kernelEphemeralRange();
    int port = PortProbe.freePort("1024 65535");
    // bind(0): the kernel's choice, from its real ephemeral range.
    assertTrue(port >= range[0] && port <= range[1], port + " not in " + range[0] + "-" + range[1]);
    assertBindable(port);
    for (String unreadable : new String[] {null, "", "60999 32768", "32768", "a b", "0 70000"}) {
      int p = PortProbe.freePort(unreadable);
      assertTrue(p >= range[0] && p <= range[1], unreadable + ": " + p + " not in " + range[0] + "-" + range[1]);
    }
  }

  @Test
  @DisplayName("the outputs of servers whose port was taken say so; other failures do not")
  void addressInUseOutputs() {
    for (String taken : List.of(
        "Exception in thread \"main\" java.net.BindException: Address already in use",
        "OSError: [Errno 98] Address already in use",
        "Error: listen EADDRINUSE: address already in use :::4000",
        "listen tcp :4000: bind: address already in use",
        "io.netty.channel.unix.Errors$NativeIoException: bind(..) failed with error(-98): Address already in use",
        "nginx: [emerg] bind() to 0.0.0.0:4000 failed (98: Address already in use)",
        "OSError: [WinError 10048] Only one usage of each socket address (protocol/network address/port) is normally permitted",
        "obrol-server: cannot listen on 0.0.0.0:4000: the port is in use by another program (choose another with --port)")) {
      assertTrue(PortProbe.saysAddressInUse("starting\n" + taken + "\n"), taken);
    }
    for (String other : List.of(
        "Error: Unable to access jarfile server.jar",
        "java.net.ConnectException: Connection refused",
        "the name alice is already in use",
        "PermissionError: [Errno 13] Permission denied",
        "")) {
      assertFalse(PortProbe.saysAddressInUse(other), other);
    }
    assertFalse(PortProbe.saysAddressInUse(null));
  }
}
