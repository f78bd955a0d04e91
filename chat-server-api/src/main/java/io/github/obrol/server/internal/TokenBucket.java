package io.github.obrol.server.internal;

/**
 * A token bucket for one connection's commands (GEN-LIMIT-4). Not thread-safe: used on the connection's
 * event loop only.
 */
final class TokenBucket {
  private final double tokensPerNano;
  private final double capacity;
  private double tokens;
  private long last;

  /** A bucket refilled at {@code perSecond} tokens a second up to {@code burst}; {@code perSecond} 0 never limits. */
  TokenBucket(int perSecond, int burst, long nowNanos) {
    this.tokensPerNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes a token if one is left. */
  boolean tryAcquire(long nowNanos) {
    if (tokensPerNano == 0) {
      return true;
    }
    tokens = Math.min(capacity, tokens + (nowNanos - last) * tokensPerNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
