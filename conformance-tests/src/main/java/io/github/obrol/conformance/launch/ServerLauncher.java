package io.github.obrol.conformance.launch;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Provides the server under test: an already running address ({@link #running}), an external command
 * started and stopped per run ({@link ExternalCommandLauncher}), or a container image
 * ({@link ContainerLauncher}).
 */
@FunctionalInterface
public interface ServerLauncher {
  /**
   * Starts (or finds) the server and returns once it accepts connections.
   *
   * @throws IOException if it could not be started or did not become ready in time
   */
  LaunchedServer launch() throws IOException;

  /**
   * One chat that already runs at several {@code addresses} (the nodes of a cluster, in order); the suite neither
   * starts nor stops it, and spreads each check's users over the addresses round-robin.
   *
   * @throws IllegalArgumentException if the list is empty
   */
  static ServerLauncher running(java.util.List<InetSocketAddress> addresses) {
    java.util.List<InetSocketAddress> all = java.util.List.copyOf(addresses);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("addresses: [] (expected: at least one address)");
    }
    return () -> new LaunchedServer() {
      @Override
      public InetSocketAddress address() {
        return all.get(0);
      }

      @Override
      public java.util.List<InetSocketAddress> addresses() {
        return all;
      }

      @Override
      public void close() {}
    };
  }

  /** A server that already runs at {@code address}; the suite neither starts nor stops it. */
  static ServerLauncher running(InetSocketAddress address) {
    return () -> new LaunchedServer() {
      @Override
      public InetSocketAddress address() {
        return address;
      }

      @Override
      public void close() {}
    };
  }
}
