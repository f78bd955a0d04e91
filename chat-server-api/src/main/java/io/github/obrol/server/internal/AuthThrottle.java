package io.github.obrol.server.internal;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password and token guessing (AUTH-11): failures counted per account and per source address, an
 * exponentially growing delay of the failure reply, then a temporary refusal. Thread-safe; shared by every
 * session of a server. Bounded: at most {@link #MAX_KEYS} accounts and addresses are remembered; beyond that the
 * ones whose failures are oldest are forgotten first.
 */
final class AuthThrottle {
  /** First delayed failure's delay; doubled per further failure (AUTH-11). */
  static final long BASE_DELAY_NANOS = 250_000_000L;
  /** Longest delay of a failure reply (AUTH-11). */
  static final long MAX_DELAY_NANOS = 4_000_000_000L;
  /** Failures of one account after which it is refused for {@link #LOCK_NANOS} (AUTH-11). */
  static final int ACCOUNT_LOCK_AFTER = 5;
  /** Failures from one address after which it is refused for {@link #LOCK_NANOS} (AUTH-11). */
  static final int ADDRESS_LOCK_AFTER = 20;
  /** An address's failures weigh a quarter of an account's in the delay (AUTH-11). */
  static final int ADDRESS_WEIGHT = 4;
  /** Refusal time after the last failure of a locked account or address (AUTH-11). */
  static final long LOCK_NANOS = 60_000_000_000L;
  /** Failures are forgotten this long after the last one (AUTH-11). */
  static final long FORGET_NANOS = 15L * 60 * 1_000_000_000L;
  /** Most accounts and addresses remembered at once. */
  static final int MAX_KEYS = 100_000;

  private record Failures(int count, long lastNanos) {}

  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  AuthThrottle(LongSupplier clock) {
    this.clock = clock;
  }

  private static String accountKey(String account) {
    return "a:" + account.toLowerCase(Locale.ROOT);
  }

  private static String addressKey(InetAddress address) {
    return "i:" + (address == null ? "?" : address.getHostAddress());
  }

  /**
   * Nanoseconds until {@code account} (may be null) and {@code address} may try again, 0 if they may now.
   */
  long lockedFor(String account, InetAddress address) {
    long now = clock.getAsLong();
    long wait = lockWait(failures.get(addressKey(address)), ADDRESS_LOCK_AFTER, now);
    if (account != null) {
      wait = Math.max(wait, lockWait(failures.get(accountKey(account)), ACCOUNT_LOCK_AFTER, now));
    }
    return wait;
  }

  private static long lockWait(Failures f, int lockAfter, long now) {
    if (f == null || f.count() < lockAfter) {
      return 0;
    }
    return Math.max(0, f.lastNanos() + LOCK_NANOS - now);
  }

  /** Counts a failure; returns how long to hold back the failure reply, in nanoseconds (AUTH-11). */
  long failed(String account, InetAddress address) {
    long now = clock.getAsLong();
    int k = count(addressKey(address), now) / ADDRESS_WEIGHT;
    if (account != null) {
      k = Math.max(k, count(accountKey(account), now));
    }
    if (failures.size() > MAX_KEYS) {
      trim(now);
    }
    return delayFor(k);
  }

  /** The delay of a failure reply when the larger weighted count is {@code k} (AUTH-11). */
  static long delayFor(int k) {
    if (k < 2) {
      return 0;
    }
    int shift = Math.min(k - 2, 16);
    return Math.min(BASE_DELAY_NANOS << shift, MAX_DELAY_NANOS);
  }

  private int count(String key, long now) {
    return failures.compute(key, (k, f) -> f == null || now - f.lastNanos() >= FORGET_NANOS
        ? new Failures(1, now) : new Failures(f.count() + 1, now)).count();
  }

  /** A success clears the account's failures, not the address's (AUTH-11). */
  void succeeded(String account) {
    failures.remove(accountKey(account));
  }

  private void trim(long now) {
    for (Iterator<Map.Entry<String, Failures>> it = failures.entrySet().iterator(); it.hasNext(); ) {
      Failures f = it.next().getValue();
      if (now - f.lastNanos() >= Math.min(FORGET_NANOS, LOCK_NANOS)) {
        it.remove();
      }
    }
    // Still full of recent failures (an attack from many addresses): forget arbitrary ones rather than grow.
    for (Iterator<String> it = failures.keySet().iterator(); failures.size() > MAX_KEYS && it.hasNext(); ) {
      it.next();
      it.remove();
    }
  }
}
