package io.github.obrol.conformance.launch;

import java.net.InetSocketAddress;

/** A server the suite can talk to, and whatever it printed; closing it stops a server the launcher started. */
public interface LaunchedServer extends AutoCloseable {
  /** Where the server listens (with several addresses, the first). */
  InetSocketAddress address();

  /**
   * Every address of this chat, in order: one for a single server, one per node for a cluster. The suite spreads
   * each check's users over them round-robin ({@link io.github.obrol.conformance.ConformanceOptions}). Default:
   * {@link #address()} alone.
   */
  default java.util.List<InetSocketAddress> addresses() {
    return java.util.List.of(address());
  }

  /** What the server printed so far (empty for servers the launcher does not own). */
  default String output() {
    return "";
  }

  /** Whether closing this stops the server (so the suite may check its shutdown, GEN-LEAVE-2). Default: false. */
  default boolean ownsServer() {
    return false;
  }

  /** Stops the server if the launcher started it; does nothing for an already running server. */
  @Override
  void close();
}
