package io.github.obrol.server.internal;

/**
 * A token bucket for one connection's commands or one address's new connections (GEN-LIMIT-4,
 * GEN-LIMIT-10). Not thread-safe: used by one thread at a time.
 */
final class TokenBucket {
  private final double tokensPerNano;
  private final double capacity;
  private double tokens;
  private long last;

  /** A bucket refilled at {@code perSecond} tokens a second up to {@code burst}; {@code perSecond} 0 never limits. */
  TokenBucket(int perSecond, int burst, long nowNanos) {
    this(perSecond, burst, burst, nowNanos);
  }

  /** As {@link #TokenBucket(int, int, long)}, starting with {@code initialTokens} (at most {@code burst}). */
  TokenBucket(int perSecond, int burst, double initialTokens, long nowNanos) {
    this.tokensPerNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = Math.max(0, Math.min(burst, initialTokens));
    this.last = nowNanos;
  }

  /** Whether this bucket limits at all. */
  boolean limits() {
    return tokensPerNano != 0;
  }

  /** Takes a token if one is left. */
  boolean tryAcquire(long nowNanos) {
    if (tokensPerNano == 0) {
      return true;
    }
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Nanoseconds from {@code nowNanos} until a token is available; 0 if one is. */
  long nanosUntilToken(long nowNanos) {
    if (tokensPerNano == 0) {
      return 0;
    }
    refill(nowNanos);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / tokensPerNano);
  }

  /** The tokens left at {@code nowNanos}. */
  double tokens(long nowNanos) {
    refill(nowNanos);
    return tokens;
  }

  private void refill(long nowNanos) {
    if (nowNanos > last) {
      tokens = Math.min(capacity, tokens + (nowNanos - last) * tokensPerNano);
      last = nowNanos;
    }
  }
}
