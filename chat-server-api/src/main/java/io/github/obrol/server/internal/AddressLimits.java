package io.github.obrol.server.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server remembers per source address (GEN-LIMIT-10): a token bucket of new connections, and
 * the command bucket of the address's most recently closed connection, which the next connection from
 * that address starts from, so that reconnecting does not refill a command burst. Bounded: the least
 * recently used addresses are forgotten beyond {@link #MAX_ADDRESSES}. Thread-safe.
 */
final class AddressLimits {
  static final int MAX_ADDRESSES = 65_536;

  private static final class State {
    TokenBucket connections;
    double commandTokens = -1;
    long commandTokensAt;
  }

  private final int connectionsPerSecond;
  private final int connectionBurst;
  private final int commandsPerSecond;
  private final int commandBurst;
  private final Map<InetAddress, State> states = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<InetAddress, State> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  AddressLimits(int connectionsPerSecond, int connectionBurst, int commandsPerSecond, int commandBurst) {
    this.connectionsPerSecond = connectionsPerSecond;
    this.connectionBurst = connectionBurst;
    this.commandsPerSecond = commandsPerSecond;
    this.commandBurst = commandBurst;
  }

  /** Whether a new connection from {@code address} is within the address's connection rate; takes a token. */
  synchronized boolean admit(InetAddress address, long nowNanos) {
    if (connectionsPerSecond == 0 || address == null) {
      return true;
    }
    State s = states.computeIfAbsent(address, a -> new State());
    if (s.connections == null) {
      s.connections = new TokenBucket(connectionsPerSecond, connectionBurst, nowNanos);
    }
    return s.connections.tryAcquire(nowNanos);
  }

  /** The command bucket for a new connection from {@code address}: full, or what its last connection left. */
  synchronized TokenBucket commandBucket(InetAddress address, long nowNanos) {
    State s = address == null ? null : states.get(address);
    if (s == null || s.commandTokens < 0) {
      return new TokenBucket(commandsPerSecond, commandBurst, nowNanos);
    }
    return new TokenBucket(commandsPerSecond, commandBurst, s.commandTokens, s.commandTokensAt);
  }

  /** Remembers what a closing connection from {@code address} left in its command bucket. */
  synchronized void closed(InetAddress address, TokenBucket bucket, long nowNanos) {
    if (address == null || bucket == null || !bucket.limits()) {
      return;
    }
    double left = bucket.tokens(nowNanos);
    if (left >= commandBurst) {
      State s = states.get(address);
      if (s != null) {
        s.commandTokens = -1; // full again: nothing worth remembering
      }
      return;
    }
    State s = states.computeIfAbsent(address, a -> new State());
    s.commandTokens = left;
    s.commandTokensAt = nowNanos;
  }
}
