package io.github.obrol.server.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server remembers per source address (GEN-LIMIT-10): a token bucket of new connections, and
 * the command bucket of the address's most recent connection, whose tokens the next connection from that
 * address starts with, so that reconnecting does not refill a command burst. Bounded: the least recently
 * used addresses are forgotten beyond {@link #MAX_ADDRESSES}. Thread-safe.
 */
final class AddressLimits {
  static final int MAX_ADDRESSES = 65_536;

  private static final class State {
    TokenBucket connections;
    TokenBucket lastCommands;
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

  /**
   * The command bucket for a new connection from {@code address}: it starts with the tokens the address's
   * most recent connection has now (open or closed; read without its loop, so approximately), or full.
   */
  synchronized TokenBucket commandBucket(InetAddress address, long nowNanos) {
    TokenBucket bucket;
    if (address == null || commandsPerSecond == 0) {
      return new TokenBucket(commandsPerSecond, commandBurst, nowNanos);
    }
    State s = states.computeIfAbsent(address, a -> new State());
    bucket = s.lastCommands == null
        ? new TokenBucket(commandsPerSecond, commandBurst, nowNanos)
        : new TokenBucket(commandsPerSecond, commandBurst, s.lastCommands.peek(nowNanos), nowNanos);
    s.lastCommands = bucket;
    return bucket;
  }
}
