package io.github.obrol.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When a {@link ChatClient} reconnects after it lost an established connection: exponential backoff with
 * jitter, up to a maximum number of consecutive attempts. Attempt {@code n} (counting from 1) waits
 * {@code min(maxDelay, initialDelay * multiplier^(n-1))}, shortened by a random fraction of up to
 * {@code jitter} so that many clients dropped at once do not return at once.
 *
 * <p>The client never reconnects after a fatal answer: {@code INVALID_NAME}, {@code LOGIN_REJECTED},
 * {@code KICKED}, {@code UNSUPPORTED_VERSION} or {@code UNSUPPORTED_DIALECT}; nor after {@link
 * ChatClient#close()} or {@link ChatClient#abort()}; nor when the listener vetoes it ({@link
 * Disconnection#cancelReconnect()}). It does reconnect after {@code SHUTTING_DOWN}, idle and slow
 * consumer closes, and I/O errors. A failed first {@link ChatClient#connect()} is not retried: its future
 * fails and the caller decides; a {@code NAME_TAKEN} answer to a first login is final.
 *
 * <p>{@code NAME_TAKEN} answering a <em>re</em>connect's login is different: after a network drop the
 * server holds the old connection, and with it the name, until it notices that connection is dead (its
 * idle timeout or TCP keepalive). The client therefore keeps trying, with the same backoff, until {@code
 * nameTakenRetryWindow} has passed since the connection was lost; these attempts do not count against
 * {@code maxAttempts}. Then it gives up and closes with {@link NameTakenException} whose {@link
 * NameTakenException#duringReconnect()} is true.
 *
 * @param maxAttempts consecutive attempts after a loss before the client gives up and closes; {@code 0}
 *     disables reconnecting; reset by every successful login
 * @param initialDelay wait before the first attempt, {@code >= 0}
 * @param maxDelay the longest wait, {@code >= initialDelay}
 * @param multiplier growth of the wait per attempt, {@code >= 1}
 * @param jitter the largest random fraction taken off a wait, from 0 (none) to 1
 * @param nameTakenRetryWindow how long after a loss a reconnect answered {@code NAME_TAKEN} is tried
 *     again, {@code >= 0} ({@code 0}: never); default {@link #DEFAULT_NAME_TAKEN_RETRY_WINDOW}
 */
public record ReconnectPolicy(
    int maxAttempts,
    Duration initialDelay,
    Duration maxDelay,
    double multiplier,
    double jitter,
    Duration nameTakenRetryWindow) {

  /**
   * 60 seconds: long enough for a server to notice a dead connection through a short idle timeout or
   * TCP keepalive, short enough that a name somebody else took is given up in reasonable time.
   */
  public static final Duration DEFAULT_NAME_TAKEN_RETRY_WINDOW = Duration.ofSeconds(60);

  private static final ReconnectPolicy DISABLED =
      new ReconnectPolicy(0, Duration.ZERO, Duration.ZERO, 1.0, 0.0);

  /** A policy with the default {@code nameTakenRetryWindow} (60 seconds). */
  public ReconnectPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
    this(maxAttempts, initialDelay, maxDelay, multiplier, jitter, DEFAULT_NAME_TAKEN_RETRY_WINDOW);
  }

  /** Validates every component; messages read {@code "maxAttempts: -1 (expected: >= 0)"}. */
  public ReconnectPolicy {
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 0)");
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay: " + initialDelay + " (expected: >= 0)");
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay: " + maxDelay + " (expected: >= initialDelay " + initialDelay + ")");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1, finite)");
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0 to 1)");
    }
    Objects.requireNonNull(nameTakenRetryWindow, "nameTakenRetryWindow");
    if (nameTakenRetryWindow.isNegative()) {
      throw new IllegalArgumentException("nameTakenRetryWindow: " + nameTakenRetryWindow + " (expected: >= 0)");
    }
  }

  /** This policy with another {@code nameTakenRetryWindow}. */
  public ReconnectPolicy withNameTakenRetryWindow(Duration window) {
    return new ReconnectPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, window);
  }

  /** Never reconnect. The default of {@link ChatClient.Builder#reconnectPolicy}. */
  public static ReconnectPolicy disabled() {
    return DISABLED;
  }

  /**
   * Exponential backoff doubling from {@code initialDelay} up to {@code maxDelay}, with jitter 0.5, for
   * up to {@code maxAttempts} attempts. For example {@code exponentialBackoff(Duration.ofMillis(500),
   * Duration.ofSeconds(30), 10)}.
   */
  public static ReconnectPolicy exponentialBackoff(Duration initialDelay, Duration maxDelay, int maxAttempts) {
    return new ReconnectPolicy(maxAttempts, initialDelay, maxDelay, 2.0, 0.5);
  }

  /**
   * Exponential backoff doubling from {@code initialDelay} up to {@code maxDelay}, with jitter 0.5, with
   * no limit on the number of attempts ({@link Integer#MAX_VALUE}): for a bot that must come back whenever
   * the server does. It still stops after a fatal answer, a close or a listener's veto (see above). For
   * example {@code forever(Duration.ofSeconds(1), Duration.ofMinutes(1))}.
   */
  public static ReconnectPolicy forever(Duration initialDelay, Duration maxDelay) {
    return new ReconnectPolicy(Integer.MAX_VALUE, initialDelay, maxDelay, 2.0, 0.5);
  }

  /** Whether the policy reconnects at all. */
  public boolean enabled() {
    return maxAttempts > 0;
  }

  /**
   * The wait before attempt {@code attempt} (from 1), using {@code random} (values in [0, 1)) for the
   * jitter.
   */
  public Duration delayBeforeAttempt(int attempt, DoubleSupplier random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt: " + attempt + " (expected: >= 1)");
    }
    double base = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
    double capped = Math.min(base, (double) maxDelay.toNanos());
    double jittered = capped * (1.0 - jitter * random.getAsDouble());
    return Duration.ofNanos((long) Math.max(0, jittered));
  }
}
