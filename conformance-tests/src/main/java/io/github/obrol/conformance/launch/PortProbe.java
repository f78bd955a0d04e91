package io.github.obrol.conformance.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/** Readiness by port probe, and free ports for servers the launchers start. */
public final class PortProbe {
  /** Linux's ephemeral port range: the ports it gives to outgoing connections and to {@code bind(0)}. */
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Ports below this are left alone: well-known and registered services (X11, databases, 8080...) live there. */
  private static final int LOWEST_CHOSEN = 10_000;
  /** Fewer candidate ports than this outside the ephemeral range: ask the system ({@code bind(0)}) instead. */
  private static final int ENOUGH_ROOM = 1_000;
  private static final int RANDOM_TRIES = 32;

  /**
   * What programs print when the port they were told to listen on is taken (EADDRINUSE): the system's text
   * ("Address already in use" on Linux and macOS; Java, Python, Go, Netty and nginx print it), Node's code, Windows'
   * WSAEADDRINUSE text, and the "port ... in use" of servers that check before they bind.
   */
  private static final Pattern ADDRESS_IN_USE = Pattern.compile(
      "(?i)address already in use|EADDRINUSE|only one usage of each socket address|\\bport\\b[^\\n]{0,60}\\bin use\\b");

  private PortProbe() {}

  /**
   * A TCP port that was free on every local address a moment ago, for a server that is about to be started.
   *
   * <p>On Linux the port lies outside the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}):
   * a random port from 10000 up to just below the range, or above it. The kernel gives ephemeral ports to outgoing
   * connections and to {@code bind(0)}; in the moment between this call and the server's bind, a busy machine (tests
   * opening thousands of connections at once) would otherwise hand the same port to someone else, and the server
   * would fail with "Address already in use". The port is checked free by binding it on the wildcard address without
   * {@code SO_REUSEADDR} (so a port some socket still holds, even in TIME_WAIT, is not chosen). Where the range is
   * unknown (not Linux) or leaves fewer than 1000 ports outside it, the system picks the port ({@code bind(0)}).
   *
   * @throws IOException if no port could be bound at all
   */
  public static int freePort() throws IOException {
    String range;
    try {
      // Line by line: procfs files report size 0, and Files.readString/readAllBytes of JDK 17 returned only the
      // first byte of this one ("3").
      range = String.join(" ", Files.readAllLines(EPHEMERAL_RANGE, StandardCharsets.US_ASCII));
    } catch (IOException | SecurityException e) {
      range = null; // not Linux, or not readable: the system's choice below
    }
    return freePort(range);
  }

  /**
   * {@link #freePort()} for an ephemeral range given as the text of {@code ip_local_port_range} ("low high"; null or
   * unreadable: unknown).
   */
  static int freePort(String ephemeralRange) throws IOException {
    int[] range = parseRange(ephemeralRange);
    if (range != null) {
      int below = Math.max(0, range[0] - LOWEST_CHOSEN); // LOWEST_CHOSEN .. low - 1
      int above = Math.max(0, 65535 - Math.max(range[1], LOWEST_CHOSEN - 1)); // high + 1 .. 65535
      if (below + above >= ENOUGH_ROOM) {
        for (int i = 0; i < RANDOM_TRIES; i++) {
          int pick = ThreadLocalRandom.current().nextInt(below + above);
          int port = pick < below ? LOWEST_CHOSEN + pick : 65535 - (pick - below);
          if (bindable(port)) {
            return port;
          }
        }
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code {low, high}} from "low high", or null if the text is not two ports in order. */
  private static int[] parseRange(String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 2) {
      return null;
    }
    try {
      int low = Integer.parseInt(parts[0]);
      int high = Integer.parseInt(parts[1]);
      return 1 <= low && low <= high && high <= 65535 ? new int[] {low, high} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Whether {@code port} can be bound on the wildcard address without {@code SO_REUSEADDR} right now. A plain socket,
   * never a listening one: nobody can connect to the port during the check.
   */
  private static boolean bindable(int port) {
    try (Socket s = new Socket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether a server's output says that its port was taken ("Address already in use" and the like): a launch on a
   * port of the launcher's choosing that failed so may be retried on another port.
   */
  static boolean saysAddressInUse(String output) {
    return output != null && ADDRESS_IN_USE.matcher(output).find();
  }

  /**
   * Connects to {@code address} every 50 ms until it accepts, {@code alive} turns false, or {@code timeout}
   * passes.
   *
   * @throws IOException if the server did not accept in time or died first
   */
  public static void awaitAccepting(InetSocketAddress address, Duration timeout, BooleanSupplier alive, String what)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new IOException(what + " exited before it accepted connections on " + address);
      }
      boolean accepted = false;
      try (Socket s = new Socket()) {
        s.connect(address, 200);
        if (s.getLocalPort() == address.getPort() && s.getLocalAddress().equals(s.getInetAddress())) {
          // TCP simultaneous open: with nobody listening yet, the kernel may pick the probed port itself as the
          // probe's ephemeral source port, and the socket "connects" to itself. That is not a server.
          last = new IOException("connected to itself (nobody listening yet)");
        } else {
          accepted = true;
        }
      } catch (IOException e) {
        last = e;
      }
      if (accepted) {
        if (!alive.getAsBoolean()) {
          // Another process answered on the port (the command lost a race for it and exited): not our server.
          throw new IOException(what + " exited; another process answers on " + address);
        }
        return;
      }
      // Polling a port: there is no event to wait for from outside the server's process.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new IOException(what + " did not accept connections on " + address + " within " + timeout.toMillis() + " ms"
        + (last == null ? "" : ": " + last.getMessage()));
  }
}
