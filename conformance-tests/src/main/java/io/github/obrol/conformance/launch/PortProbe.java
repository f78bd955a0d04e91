package io.github.obrol.conformance.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Readiness by port probe, and free loopback ports for servers the launchers start. */
public final class PortProbe {
  private PortProbe() {}

  /** A TCP port on the loopback interface that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
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
